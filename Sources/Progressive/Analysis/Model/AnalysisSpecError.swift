/// Why an `AnalysisTemplate`, a metric or a webhook is refused: the field path
/// (`spec.metrics[0].threshold`), what is wrong with it, and the object it was read from.
///
/// ```swift
/// do { _ = try AnalysisTemplate(manifest) }
/// catch { print(error) }  // AnalysisTemplate shop/success-rate: spec.metrics[0].interval: "5 minutes" is not a duration …
/// ```
public struct AnalysisSpecError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of refusal this is.
    public enum Code: String, Sendable, Hashable {
        /// A field is missing, of the wrong type or out of range.
        case invalidField
        /// A template names a tag its vocabulary lacks, or does not parse.
        case invalidTemplate
        /// An argument the metrics use has no value.
        case missingArgument
        /// The object is larger than Keelson reads (too many metrics, a query too long).
        case tooLarge
    }

    /// What kind of refusal this is.
    public var code: Code
    /// The field path, e.g. `spec.metrics[0].threshold`; empty for the whole object.
    public var path: String
    /// What is wrong, in words.
    public var message: String
    /// The object read, e.g. `AnalysisTemplate shop/success-rate`; empty when not known.
    public var object: String

    /// Creates an error.
    public init(_ code: Code, path: String, _ message: String, object: String = "") {
        self.code = code
        self.path = path
        self.message = message
        self.object = object
    }

    /// `AnalysisTemplate shop/success-rate: spec.metrics[0].threshold: min is not a number`.
    public var description: String {
        let field = path.isEmpty ? message : "\(path): \(message)"
        return object.isEmpty ? field : "\(object): \(field)"
    }

    /// The same error, naming `object`.
    func naming(_ object: String) -> AnalysisSpecError {
        var copy = self
        copy.object = object
        return copy
    }
}
