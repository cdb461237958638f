import Foundation

/// The `run.json` manifest written beside a run's CSV files.
public enum Manifest {
    public static let version = "0.2.0"

    /// JSON with the migsim version, scenario digest (FNV-1a 64 of
    /// `canonicalScenario`, the scenario's canonical text), seed, run id and
    /// wall time in seconds.
    public static func json(canonicalScenario: String, seed: UInt64, runID: Int, wall: Duration) -> String {
        let w = Double(wall.components.seconds) + Double(wall.components.attoseconds) * 1e-18
        return """
            {
              "migsim_version": "\(version)",
              "scenario_digest": "\(digest(canonicalScenario))",
              "seed": \(seed),
              "run_id": \(runID),
              "wall_time_s": \(DecimalFormat.fixed(w, decimals: 6))
            }

            """
    }

    /// The `scenario_digest` of a canonical scenario text: FNV-1a 64, 16 hex digits.
    public static func digest(_ canonicalScenario: String) -> String {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in canonicalScenario.utf8 { h = (h ^ UInt64(b)) &* 0x0000_0100_0000_01B3 }
        let hex = String(h, radix: 16)  // as "%016llx" prints it (no Foundation formatting at start-up)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
