// A scenario the model refuses once its files are read: a roster, parameter or calibration
// problem, reported against the scenario file so the user knows which run it concerns.
import TwinCityModel

/// A scenario whose files are well formed but which the model cannot set up: the roster is
/// refused (`RosterError`), a parameter is out of range or inconsistent (`ParameterError`),
/// or the base year cannot be calibrated (`CalibrationError`).
///
/// Its description reads `scenario.toml: <message>`, the message naming the city or
/// parameter at fault; the command-line tool reports it as an input error (exit status 2).
public struct ScenarioError: UserInputError, Sendable {
    /// The scenario file, as the user gave its path.
    public var file: String
    /// What the model refused and why.
    public var message: String
    /// The model's own error, for callers that handle its kinds differently.
    public var underlying: any Error

    /// Wraps a model error met while setting up the scenario in `file`.
    package init(file: String, message: String, underlying: any Error) {
        self.file = file
        self.message = message
        self.underlying = underlying
    }

    /// `file: message`.
    public var description: String { "\(file): \(message)" }
}
