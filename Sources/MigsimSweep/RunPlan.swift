import MigsimConfig
import MigsimRandom

/// One run of a sweep: its stable id, grid or sample point, replication and seed.
public struct SweepRun: Sendable, Equatable {
    /// 0-based position in the run list; stable for a given spec.
    public let id: Int
    /// Grid values in axis order, or the sampled keys' texts in parameter order.
    public let parameters: [String]
    /// 0-based replication number.
    public let replication: Int
    public let seed: UInt64
}

/// The fixed, ordered run list of a sweep and its selections.
///
/// Order: grid points in declared order (first axis outermost), or the
/// sampling design's points in its order (``SampleDesign``), then
/// replications. The seed of a run is
/// `splitmix64(fnv1a64(canonical) ^ splitmix64(base seed ^ replication))`
/// where `canonical` is `key=value` lines of the run's grid point: it never
/// depends on the shard, the worker or the execution order. A sampled run's
/// `canonical` is empty: every point of a design shares the seed of its
/// replication (common random numbers), so the difference between two points,
/// on which the sensitivity estimators rest, comes from the parameters alone.
public struct RunPlan {
    public let spec: SweepSpec
    public let runs: [SweepRun]

    public init(_ spec: SweepSpec) {
        self.spec = spec
        var points: [[String]] = [[]]
        if let design = spec.sample {
            points = design.texts
        } else {
            for axis in spec.grid {
                points = points.flatMap { p in axis.values.map { p + [$0] } }
            }
        }
        var runs: [SweepRun] = []
        runs.reserveCapacity(points.count * spec.replications)
        for p in points {
            var canonical = ""
            if spec.sample == nil {
                for (axis, v) in zip(spec.grid, p) { canonical += "\(axis.key)=\(v)\n" }
            }
            let h = StreamPurpose(canonical).code
            for r in 0..<spec.replications {
                let seed = splitmix64(h ^ splitmix64(spec.seed ^ UInt64(r)))
                runs.append(SweepRun(id: runs.count, parameters: p, replication: r, seed: seed))
            }
        }
        self.runs = runs
    }

    /// The scenario of `run`: base config + grid or sampled values + its seed.
    public func config(for run: SweepRun) throws -> ScenarioConfig {
        var c = spec.base
        for (key, v) in zip(spec.parameterKeys, run.parameters) { try c.set(key: key, value: v, source: spec.path) }
        try c.set(key: "seed", value: String(run.seed), source: spec.path)
        return c
    }

    /// Builds and checks the scenario of every grid point (replication 0; the
    /// seed changes no check), so a bad point fails before the first run
    /// starts rather than mid-sweep.
    /// - Throws: ``SweepError`` naming the spec, the grid point and the problem.
    public func validate() throws {
        for run in runs where run.replication == 0 {
            do {
                _ = try config(for: run).scenario()
            } catch {
                let point = zip(spec.parameterKeys, run.parameters).map { "\($0)=\($1)" }.joined(separator: ", ")
                throw SweepError("\(spec.path): \(spec.sample == nil ? "grid" : "sample") point \(point) (run \(run.id)) is invalid: \(error)")
            }
        }
    }

    /// Parses `K/N` (0-based K, explicit N) and returns the runs `id % N == K`.
    public func shard(_ text: String) throws -> [SweepRun] {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let k = Int(parts[0]), let n = Int(parts[1]), n >= 1, k >= 0, k < n else {
            throw SweepError("--shard \(text): accepted K/N with integers 0 <= K < N, e.g. 0/4")
        }
        return runs.filter { $0.id % n == k }
    }

    /// Parses a list such as `3,5,7-9` and returns those runs in id order.
    public func select(_ text: String) throws -> [SweepRun] {
        var ids = Set<Int>()
        for item in text.split(separator: ",", omittingEmptySubsequences: false) {
            let bounds = item.split(separator: "-", omittingEmptySubsequences: false)
            let lo: Int?, hi: Int?
            if bounds.count == 1 { lo = Int(bounds[0]); hi = lo } else if bounds.count == 2 { lo = Int(bounds[0]); hi = Int(bounds[1]) } else { lo = nil; hi = nil }
            guard let a = lo, let b = hi, a >= 0, a <= b, b < runs.count else {
                throw SweepError("--runs \(text): '\(item)' is not a run id or range; accepted: ids or a-b ranges within 0...\(runs.count - 1), comma-separated")
            }
            for i in a...b { ids.insert(i) }
        }
        return runs.filter { ids.contains($0.id) }
    }

    /// Compact id ranges: `1, 3-5`.
    public static func ranges(_ ids: [Int]) -> String {
        var out: [String] = []
        var i = 0
        let s = ids.sorted()
        while i < s.count {
            var j = i
            while j + 1 < s.count && s[j + 1] == s[j] + 1 { j += 1 }
            out.append(i == j ? "\(s[i])" : "\(s[i])-\(s[j])")
            i = j + 1
        }
        return out.joined(separator: ", ")
    }
}
