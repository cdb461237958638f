import Foundation

/// Whether a case checks the code or the model.
///
/// *Verification* asks whether migsim computes what its model says (closed
/// form, SimGrid running the same model, invariants); it fails the build.
/// *Validation* asks whether the model predicts real systems (measurements);
/// it reports, and fails only where a tolerance is stated beside its source.
public enum CaseClass: String, Sendable, CaseIterable {
    case verification
    case validation
}

/// How a case's reference relates to the parameters it was run with.
public enum CaseRole: String, Sendable, CaseIterable {
    /// A verification check: the reference is computed, not measured.
    case check
    /// The parameters were fitted to this point (automatically, or by hand
    /// in an earlier session), so agreement here is not evidence.
    case calibration
    /// The parameters were frozen before this point was looked at.
    case prediction
}

/// One checked figure: reference, the value a predictor gave, relative error
/// and, when the case is judged, its tolerance.
public struct ValidationResult: Sendable {
    public let caseClass: CaseClass
    public let role: CaseRole
    /// `analytic`, `simgrid` or `invariant`, or a measured data set's name.
    public let group: String
    public let name: String
    public let metric: String
    /// `migsim`, or the closed-form predictor (`akoush-avg`, ...).
    public var predictor = "migsim"
    public let reference: Double
    /// The value, or the mean across ``seeds`` replications.
    public let simulated: Double
    /// Relative tolerance; `nil` for a validation case that only reports.
    public let tolerance: Double?
    public let note: String
    /// Replications behind ``simulated`` (1 for deterministic cases).
    public var seeds = 1
    /// Half-width of the 95 % interval of the mean across seeds (Student t).
    public var ci95: Double? = nil
    /// Pre-copy rounds of the simulated migration, when it has rounds.
    public var rounds: Int? = nil
    /// Bytes the simulated migration sent.
    public var bytesSent: Double? = nil
    /// Published round count, when the source gives one (reported, not judged).
    public var referenceRounds: Double? = nil
    /// Published bytes sent, when the source gives them (reported, not judged).
    public var referenceBytes: Double? = nil
    /// The reference as its source prints it (`210 ms`), for measured cases.
    public var printed: String? = nil
    /// The reference was read from a figure, or is otherwise approximate.
    public var approximate = false

    public init(caseClass: CaseClass, role: CaseRole, group: String, name: String, metric: String, reference: Double,
                simulated: Double, tolerance: Double?, note: String) {
        self.caseClass = caseClass
        self.role = role
        self.group = group
        self.name = name
        self.metric = metric
        self.reference = reference
        self.simulated = simulated
        self.tolerance = tolerance
        self.note = note
    }

    public var relativeError: Double { abs(simulated - reference) / max(abs(reference), 1e-300) }
    /// Signed: positive when the prediction is above the reference.
    public var signedError: Double { (simulated - reference) / max(abs(reference), 1e-300) }
    /// Within tolerance, or not judged.
    public var passed: Bool { tolerance.map { relativeError <= $0 } ?? true }
    /// Whether the reference lies in the 95 % interval of the mean (`nil`
    /// with a single seed). With many seeds this interval is narrow, so it
    /// asks whether the model's mean is right, not whether one run could give the measurement.
    public var referenceInInterval: Bool? { ci95.map { abs(simulated - reference) <= $0 } }
    /// Half-width of the 95 % prediction interval of one more run,
    /// `t sd sqrt(1 + 1/n)` = ``ci95`` x `sqrt(n + 1)`: the interval one
    /// measured run should fall in if the model were right.
    public var pi95: Double? { ci95.map { $0 * Double(seeds + 1).squareRoot() } }
    /// Whether the (single) measured run lies in the prediction interval.
    public var referenceInPredictionInterval: Bool? { pi95.map { abs(simulated - reference) <= $0 } }
}
