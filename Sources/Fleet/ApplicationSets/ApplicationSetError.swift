/// Why a generation of an ApplicationSet failed, naming the set, the generator or field, and the
/// cause, never a credential. Any of these leaves every Application as it was.
///
/// ```swift
/// throw ApplicationSetError(.generator, set: "keelson/services", field: "spec.generators[0].git", "cannot fetch main: …")
/// ```
public struct ApplicationSetError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What failed.
    public enum Code: String, Sendable, Hashable {
        /// The spec cannot be used.
        case invalidSpec
        /// A generator could not produce its parameters (Git, a forge, the cluster list).
        case generator
        /// The template could not be rendered with a generator's parameters.
        case template
        /// A rendered Application is not a valid Application, or not one this set may write.
        case application
    }

    /// What failed.
    public var code: Code
    /// The set, `namespace/name` (empty while it is not known).
    public var set: String
    /// The field or generator, e.g. `spec.generators[0].git`.
    public var field: String
    /// What is wrong, with no secret.
    public var message: String

    /// Creates an error.
    public init(_ code: Code, set: String = "", field: String, _ message: String) {
        self.code = code
        self.set = set
        self.field = field
        self.message = message
    }

    /// The Argo CD condition reason this failure reports.
    public var reason: String {
        switch code {
        case .invalidSpec: "ApplicationSetSpecError"
        case .generator: "ApplicationParamsGenerationError"
        case .template: "RenderTemplateParamsError"
        case .application: "ApplicationValidationError"
        }
    }

    public var description: String {
        let prefix = set.isEmpty ? "ApplicationSet" : "ApplicationSet \(set)"
        return field.isEmpty ? "\(prefix): \(message)" : "\(prefix): \(field): \(message)"
    }

    /// The same error about `set`.
    func about(_ set: String) -> ApplicationSetError {
        var copy = self
        if copy.set.isEmpty { copy.set = set }
        return copy
    }
}
