/// Derivative-free minimisation in the unit cube by the downhill simplex.
///
/// Nelder and Mead, "A simplex method for function minimization", The
/// Computer Journal 7(4):308-313, 1965, with the paper's coefficients
/// (reflection 1, expansion 2, contraction 1/2, shrink 1/2) and the
/// acceptance rules as Lagarias, Reeds, Wright and Wright state them
/// ("Convergence properties of the Nelder-Mead simplex method in low
/// dimensions", SIAM J. Optim. 9(1):112-147, 1998, section 2: expansion
/// kept if better than the reflection; outside and inside contraction). A
/// shrink may exceed the evaluation budget by `n`. Points are
/// clamped to [0, 1] in every coordinate (the free parameters are mapped to
/// it), ties keep the earlier vertex, and the start is fixed, so the search is
/// deterministic: the same objective gives the same point.
public enum NelderMead {
    /// The best point found within `evaluations` calls of `f`, and its value.
    /// The simplex starts at `start` and `start + step` along each axis
    /// (`start - step` where that would leave the cube).
    public static func minimize(dimension n: Int, start: [Double], step: Double = 0.25, evaluations: Int,
                                _ f: ([Double]) throws -> Double) rethrows -> (point: [Double], value: Double) {
        precondition(n >= 1 && start.count == n)
        func clamp(_ x: [Double]) -> [Double] { x.map { min(max($0, 0), 1) } }
        var calls = 0
        func eval(_ x: [Double]) throws -> Double {
            calls += 1
            let v = try f(x)
            return v.isNaN ? .infinity : v
        }
        var simplex: [(x: [Double], f: Double)] = []
        let x0 = clamp(start)
        simplex.append((x0, try eval(x0)))
        for i in 0..<n {
            var x = x0
            x[i] = x0[i] + step <= 1 ? x0[i] + step : x0[i] - step
            x = clamp(x)
            simplex.append((x, try eval(x)))
        }
        while calls < evaluations {
            // Stable sort: equal values keep their order.
            simplex = simplex.enumerated().sorted { ($0.element.f, $0.offset) < ($1.element.f, $1.offset) }.map(\.element)
            let best = simplex[0], worst = simplex[n]
            if worst.f - best.f <= 1e-12 * max(1, abs(best.f)) && spread(simplex.map(\.x)) < 1e-9 { break }
            var centroid = [Double](repeating: 0, count: n)
            for v in simplex.dropLast() { for i in 0..<n { centroid[i] += v.x[i] / Double(n) } }
            func along(_ t: Double) -> [Double] { clamp((0..<n).map { centroid[$0] + t * (centroid[$0] - worst.x[$0]) }) }
            let xr = along(1), fr = try eval(xr)
            if fr < best.f {
                let xe = along(2), fe = try eval(xe)
                simplex[n] = fe < fr ? (xe, fe) : (xr, fr)
            } else if fr < simplex[n - 1].f {
                simplex[n] = (xr, fr)
            } else {
                let xc = fr < worst.f ? along(0.5) : along(-0.5)
                let fc = try eval(xc)
                if fc < min(fr, worst.f) {
                    simplex[n] = (xc, fc)
                } else {
                    for j in 1...n {
                        let x = clamp((0..<n).map { best.x[$0] + 0.5 * (simplex[j].x[$0] - best.x[$0]) })
                        simplex[j] = (x, try eval(x))
                    }
                }
            }
        }
        let best = simplex.enumerated().min { ($0.element.f, $0.offset) < ($1.element.f, $1.offset) }!.element
        return (best.x, best.f)
    }

    static func spread(_ xs: [[Double]]) -> Double {
        var m = 0.0
        for a in xs { for b in xs { for i in a.indices { m = max(m, abs(a[i] - b[i])) } } }
        return m
    }
}
