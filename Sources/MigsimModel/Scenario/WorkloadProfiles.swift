import MigsimRandom

/// Named workload profiles (page writes per second at 4 KiB pages).
///
/// The figures are migsim's defaults, chosen to span the range Clark et al.
/// (NSDI 2005, section 5, figure 4) report for the writable working set: an
/// idle guest, a web server (SPECweb99-like), an OLTP database and a
/// memory-bound worst case (MMuncher-like). They are approximate; the files in
/// `data/profiles/` document them with their sources.
public enum WorkloadProfile: String, Sendable, CaseIterable {
    case idle, web, database
    case memoryBound = "memory-bound"

    public var spec: WorkloadSpec {
        switch self {
        case .idle:
            // Background daemons: tens of pages/s over a small set.
            return WorkloadSpec(rate: try! .gamma(shape: 4, scale: 12.5), hotSetFraction: 0.02, hotWriteShare: 0.9)
        case .web:
            // ~2,500 pages/s (~10 MB/s), 90 % of writes to 10 % of memory.
            return WorkloadSpec(rate: try! .gamma(shape: 4, scale: 625), hotSetFraction: 0.10, hotWriteShare: 0.9)
        case .database:
            // ~12,000 pages/s (~47 MB/s), 80 % to a 25 % buffer-pool hot set.
            return WorkloadSpec(rate: try! .gamma(shape: 4, scale: 3000), hotSetFraction: 0.25, hotWriteShare: 0.8)
        case .memoryBound:
            // ~60,000 pages/s (~245 MB/s) uniformly over half of memory.
            return WorkloadSpec(rate: try! .constant(60_000), hotSetFraction: 0.5, hotWriteShare: 1)
        }
    }
}
