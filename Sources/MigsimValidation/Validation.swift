import Foundation
import MigsimModel

/// Every case `migsim validate` runs from a `data/validation/` directory:
/// verification first, then validation against measurements.
public enum Validation {
    /// The predictors compared with measurements: migsim and the closed-form models.
    public static let predictors: [any MigrationPredictor] = [SimulatorPredictor()] + closedFormPredictors

    /// Verification: the analytic model, SimGrid's results and invariants.
    public static func verification(_ dataDirectory: URL) throws -> [ValidationResult] {
        try Verification.analytic(dataDirectory) + Verification.simgrid(dataDirectory) + Verification.invariants()
    }

    /// Validation: every measured data set, fitted and predicted by every predictor.
    public static func validation(_ dataDirectory: URL, predictors: [any MigrationPredictor] = predictors) throws
        -> (results: [ValidationResult], fits: [FitReport]) {
        try MeasuredValidation.run(MeasuredData.load(dataDirectory), predictors: predictors)
    }
}
