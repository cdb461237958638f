import CGSL

/// The Sobol quasi-random sequence in up to 40 dimensions, as GSL computes it.
///
/// Wraps a `gsl_qrng *` of type `gsl_qrng_sobol`, allocated with
/// `gsl_qrng_alloc` and freed in `deinit`; the pointer never leaves this
/// module. GSL manual, section "Quasi-Random Sequences": `gsl_qrng_sobol` is
/// Antonov and Saleev's Gray-code form of Sobol's sequence (Bratley and Fox,
/// ACM TOMS 14(1), 1988, algorithm 659), valid up to dimension 40. GSL skips the
/// all-zero point, so the first point of every dimension is 0.5.
///
/// The sequence has no seed: the points depend only on the dimension and the
/// index, so a design built from them is the same on every machine and run.
/// Saltelli's design (``SampleDesign``) takes its matrices A and B from one
/// sequence of dimension 2k.
///
/// A reference type because it is a mutable resource (its position in the
/// sequence); not `Sendable`.
public final class SobolSequence {
    private let q: UnsafeMutablePointer<gsl_qrng>
    public let dimension: Int
    /// Points drawn so far.
    public private(set) var count = 0

    /// GSL's largest dimension for `gsl_qrng_sobol` (its `max_dimension`).
    public static var maximumDimension: Int { Int(migsim_gsl_qrng_sobol().pointee.max_dimension) }

    /// A sequence of `dimension` coordinates per point, starting at its first point.
    /// - Precondition: `1 <= dimension <= maximumDimension` (40); callers check user input first.
    public init(dimension: Int) {
        _ = gslErrorHandlerDisabled
        precondition(dimension >= 1 && dimension <= Self.maximumDimension, "Sobol dimension \(dimension) outside 1...\(Self.maximumDimension)")
        guard let q = gsl_qrng_alloc(migsim_gsl_qrng_sobol(), UInt32(dimension)) else { fatalError("gsl_qrng_alloc: out of memory") }
        self.q = q
        self.dimension = dimension
    }

    deinit { gsl_qrng_free(q) }

    /// The next point, each coordinate in [0, 1) (`gsl_qrng_get`).
    public func next() -> [Double] {
        var x = [Double](repeating: 0, count: dimension)
        let status = x.withUnsafeMutableBufferPointer { gsl_qrng_get(q, $0.baseAddress) }
        // GSL's Sobol generator fails only after 2^30 points; a design is far smaller.
        precondition(status == 0, "gsl_qrng_get: sequence exhausted after \(count) points")
        count += 1
        return x
    }
}
