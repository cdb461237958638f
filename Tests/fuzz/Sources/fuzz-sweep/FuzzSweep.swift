import Foundation
import MigsimConfig
import MigsimSweep

/// libFuzzer entry for sweep specs: the bytes are a sweep spec.
///
/// Same steps as `migsim sweep list SPEC`: parse the spec (its base, `set` and
/// every grid value are checked), build the run list, and validate the
/// scenario of every grid point (``RunPlan/validate()``; up to 10,000 points). A thrown ``SweepError`` or ``ConfigError`` is a
/// correct answer; a crash, hang, ASan report or huge allocation is a finding.
/// Relative `base:` paths resolve in a directory that does not exist.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzSweep(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(bytes: UnsafeBufferPointer(start: data, count: size), encoding: .utf8) else { return 0 }
    do {
        let plan = RunPlan(try SweepSpec.parse(text, path: "/nonexistent-migsim-fuzz/sweep.yaml"))
        // Validation costs about 0.2 ms per grid point; past 10,000 points only
        // the first and last runs, so large grids are not reported as slow inputs.
        if plan.runs.count / plan.spec.replications <= 10_000 {
            try plan.validate()
        } else {
            for run in [plan.runs.first, plan.runs.last].compactMap({ $0 }) { _ = try plan.config(for: run).scenario() }
        }
    } catch is SweepError {
        return 0
    } catch is ConfigError {
        return 0
    } catch {
        fatalError("not a SweepError or ConfigError: \(type(of: error)): \(error)")
    }
    return 0
}
