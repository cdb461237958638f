import Foundation
import MigsimConfig
import MigsimModel

/// libFuzzer entry for scenario files: the bytes are a scenario file.
///
/// Same steps as `migsim scenario check FILE` and `migsim run FILE`: UTF-8
/// check, parse, validate (`ScenarioConfig.scenario()`). A thrown error is a
/// correct answer; only a crash, a hang (libFuzzer -timeout), an ASan report
/// or an allocation above -malloc_limit_mb is a finding. A scenario that
/// validates and is small runs for a bounded number of events per kind, so
/// the validator's promise (a valid scenario does not crash the model) is
/// fuzzed too.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzScenario(_ data: UnsafePointer<UInt8>, _ size: Int) -> CInt {
    guard let text = String(bytes: UnsafeBufferPointer(start: data, count: size), encoding: .utf8) else { return 0 }
    let scenario: Scenario
    do {
        scenario = try ScenarioFile.parse(text, source: "fuzz.yaml").scenario()
    } catch is ConfigError {
        return 0
    } catch {
        fatalError("not a ConfigError: \(type(of: error)): \(error)")
    }
    // Keep executions fast: run only small scenarios, for a few events each.
    guard scenario.vms.count <= 64, scenario.cluster.hosts.count <= 64 else { return 0 }
    do {
        _ = try scenario.run(maxEvents: 2_000)
    } catch let e as ModelError {
        fatalError("a validated scenario failed in the model: \(e)")
    } catch {
        fatalError("a validated scenario threw \(type(of: error)): \(error)")
    }
    return 0
}
