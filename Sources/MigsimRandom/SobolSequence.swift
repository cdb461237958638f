import CGSL

/// The Sobol low-discrepancy sequence in `dimension` dimensions (1 to 40),
/// from GSL's `gsl_qrng_sobol` (GSL manual, "Quasi-Random Sequences"; Antonov
/// and Saleev's Gray-code construction, ACM TOMS algorithm 659).
///
/// Deterministic: the same dimension gives the same points, with no seed.
/// Used for Saltelli's sampling design in `migsim sweep` (`sample:`).
public enum SobolSequence {
    /// Largest dimension GSL's Sobol generator supports.
    public static let maximumDimension = 40

    /// The first `count` points, each `dimension` coordinates in (0, 1), after
    /// dropping `skip` points. GSL starts after the all-zero point: its first
    /// point is (1/2, ..., 1/2).
    public static func points(dimension: Int, count: Int, skip: Int = 0) -> [[Double]] {
        precondition((1...maximumDimension).contains(dimension) && count >= 0 && skip >= 0)
        _ = gslErrorHandlerDisabled
        guard let q = gsl_qrng_alloc(migsim_gsl_qrng_sobol(), UInt32(dimension)) else { return [] }
        defer { gsl_qrng_free(q) }
        var x = [Double](repeating: 0, count: dimension)
        var out: [[Double]] = []
        out.reserveCapacity(count)
        for i in 0..<(skip + count) {
            x.withUnsafeMutableBufferPointer { _ = gsl_qrng_get(q, $0.baseAddress) }
            if i >= skip { out.append(x) }
        }
        return out
    }
}
