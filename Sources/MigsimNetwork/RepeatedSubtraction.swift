/// `x` minus `y`, `count` times, rounded after every step exactly as the loop
/// `for _ in 0..<count { x -= y }` rounds, in far fewer steps.
///
/// Why: a flow class stands for `count` flows that the per-flow solver froze
/// one by one, each subtracting the same rate from a resource's remaining
/// capacity. Replaying that loop bit for bit keeps the class solver's rates
/// identical to the per-flow solver's; `x - Double(count) * y` would differ in
/// the last bits.
///
/// **Algorithm.** For positive normal `a` and `b = a ⊖ y` in the same binade
/// `[2^e, 2^(e+1))`, all with the same ulp `u`: `a` is a multiple of `u`, so
/// `a ⊖ y = a - round_u(y)`, and the decrement `δ = a - b` (exact, Sterbenz) is
/// the same for every step that stays in the binade, unless `y` lies exactly
/// halfway between two multiples of `u` (then ties-to-even alternates). So a
/// run of `s` steps is one exact subtraction `a - s·δ`, with `s` bounded by the
/// steps left and by the distance to the binade's floor, computed in integer
/// multiples of `u`. Negative values (a load summed as `-(-0 - y - y ...)`)
/// run the same way towards the binade's top. Anything else (a tie, a step that leaves the binade, zero,
/// negative or subnormal values, non-finite input) takes one plain step.
/// A fixed point (`a ⊖ y == a`) ends the loop at once.
///
/// **Cost.** O(binades crossed + plain steps): O(1) for the usual case of a
/// resource that keeps unfrozen flows, O(count) at worst (values that end
/// near zero or go negative take plain steps, at most one per binade per run).
func subtractRepeatedly(_ x: Double, _ y: Double, count: Int) -> Double {
    var a = x
    var left = count
    while left > 0 {
        let b = a - y
        if b == a || !b.isFinite { return b == a ? a : slowSubtract(b, y, count: left - 1) }
        left -= 1
        // A run is possible when y > 0 and a and b are normal numbers of one
        // sign in one binade.
        guard left > 0, y > 0, a.isNormal, b.isNormal, (a > 0) == (b > 0), a.exponent == b.exponent else {
            a = b
            continue
        }
        let u = a.ulp
        let delta = a - b
        if abs(y - delta) == u / 2 {  // ties-to-even alternates the decrement
            a = b
            continue
        }
        // Steps left inside the binade: down to its floor for positive values,
        // out to its last number below the next power of two for negative ones.
        // Exact: both differences are multiples of u below 2^53·u.
        let floor = Double(sign: .plus, exponent: b.exponent, significand: 1)
        let room = b > 0 ? b - floor : (2 * floor - u) + b
        let s = Swift.min(Int64(left), Int64((room / u).rounded(.towardZero)) / Int64((delta / u).rounded(.towardZero)))
        a = b - Double(s) * delta
        left -= Int(s)
    }
    return a
}

/// The plain loop, for what is left after a step to a non-finite value.
private func slowSubtract(_ x: Double, _ y: Double, count: Int) -> Double {
    var a = x
    for _ in 0..<count { a -= y }
    return a
}

/// `0 + y + y + ...` (`count` terms), rounded after every step as the loop
/// rounds: the load of a resource crossed by one flow class, summed flow by
/// flow as the per-flow bookkeeping does. Uses `fl(a + y) = -fl(-a - y)`.
func addRepeatedly(_ y: Double, count: Int) -> Double {
    count == 0 ? 0 : -subtractRepeatedly(-0.0, y, count: count)
}
