/// Fixed-point decimal text of a `Double`, byte-identical to C's `"%.Nf"`.
///
/// `String(format:)` costs about a microsecond per call, which made writing a
/// large run's CSV take longer than simulating it. This formatter computes the
/// same correctly rounded digits with integer arithmetic: a finite double is
/// `m * 2^e` exactly, so `x * 10^N` rounded to the nearest integer (ties to
/// even, as glibc's `printf` does in the default rounding mode) is
/// `(m * 10^N) >> -e` plus a rounding bit, computed exactly in 128 bits.
/// Values it cannot do exactly this way (non-finite, or `|x| >= 2^63`) fall
/// back to `String(format:)`. The tests compare it with `String(format:)` on
/// millions of values, ties included.
public enum DecimalFormat {
    static let powersOfTen: [UInt64] = (0...18).map { n in (0..<n).reduce(UInt64(1)) { r, _ in r * 10 } }

    /// `x` with `decimals` digits after the point (0...18), as `"%.{decimals}f"` prints it.
    public static func fixed(_ x: Double, decimals: Int) -> String {
        var out: [UInt8] = []
        append(x, decimals: decimals, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends the UTF-8 bytes of ``fixed(_:decimals:)`` to `out`, without building a `String`.
    public static func append(_ x: Double, decimals: Int, to out: inout [UInt8]) {
        precondition((0...18).contains(decimals))
        if x == 0 && x.sign == .plus {
            // The commonest cell (no queue, no throttle): "0", then the point and zeros.
            out.append(48)
            if decimals > 0 {
                out.append(46)
                out.append(contentsOf: repeatElement(48, count: decimals))
            }
            return
        }
        guard x.isFinite, x.magnitude < 9.2e18 else {
            out.append(contentsOf: String(format: "%.\(decimals)f", x).utf8)
            return
        }
        let negative = x.sign == .minus
        let magnitude = x.magnitude
        // magnitude = significand * 2^exponent, exactly, with significand < 2^53.
        let significand: UInt64, exponent: Int
        if magnitude == 0 {
            significand = 0
            exponent = 0
        } else if magnitude.exponentBitPattern == 0 {
            significand = magnitude.significandBitPattern
            exponent = -1074
        } else {
            significand = magnitude.significandBitPattern | (1 << 52)
            exponent = Int(magnitude.exponentBitPattern) - 1075
        }
        let scaled = UInt128(significand) * UInt128(powersOfTen[decimals])  // < 2^53 * 10^18 < 2^113
        var units: UInt128
        if exponent >= 0 {
            units = scaled << exponent  // magnitude < 2^63 keeps this below 2^127
        } else if -exponent >= 120 {
            // scaled < 2^113, so the value is below 2^-7 units: rounds to 0.
            units = 0
        } else {
            let shift = -exponent
            units = scaled >> shift
            let remainder = scaled & ((UInt128(1) << shift) - 1)
            let half = UInt128(1) << (shift - 1)
            if remainder > half || (remainder == half && units & 1 == 1) { units += 1 }
        }
        // Digits of `units` written right to left into a fixed buffer (at most
        // 39 digits, a point and a sign), with the point `decimals` places from
        // the right, then copied to the end of `out`.
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 48) { buf in
            var at = 48, written = 0
            func put(_ c: UInt8) { at -= 1; buf[at] = c }
            var wide = units
            while wide > UInt128(UInt64.max) {
                let (q, r) = wide.quotientAndRemainder(dividingBy: 10)
                if written == decimals && decimals > 0 { put(46) }
                put(UInt8(48 + r))
                written += 1
                wide = q
            }
            var v = UInt64(wide)
            while v > 0 || written <= decimals {
                let (q, r) = v.quotientAndRemainder(dividingBy: 10)
                if written == decimals && decimals > 0 { put(46) }
                put(UInt8(48 + r))
                written += 1
                v = q
            }
            if negative { put(45) }  // "-0.000" for negative values that round to zero, as printf prints
            out.append(contentsOf: UnsafeBufferPointer(rebasing: buf[at...]))
        }
    }
}
