/// A position in a source file, 1-based.
public struct SourceLocation: Sendable, Hashable, CustomStringConvertible {
    /// The file, as the caller named it (relative to a render root where there is one).
    public var file: String
    /// The line, from 1; 0 when unknown.
    public var line: Int
    /// The column, from 1; 0 when unknown.
    public var column: Int

    /// Creates a location.
    public init(file: String, line: Int = 0, column: Int = 0) {
        self.file = file
        self.line = line
        self.column = column
    }

    /// `file:line:column`, dropping unknown parts.
    public var description: String {
        guard line > 0 else { return file }
        guard column > 0 else { return "\(file):\(line)" }
        return "\(file):\(line):\(column)"
    }
}

/// An error reading or writing manifests: what went wrong and where.
public struct ManifestError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// The YAML or JSON text is not well formed.
        case syntax
        /// A mapping defines the same key twice.
        case duplicateKey
        /// Aliases expand a document beyond its node or byte budget (a "billion laughs" document).
        case aliasExpansion
        /// A value cannot be represented in JSON (a non-string key, an infinity).
        case unrepresentable
        /// An explicit tag does not fit its value (`!!int 1.5`).
        case badTag
        /// A document is not a Kubernetes object (no `apiVersion` or `kind`, not a mapping).
        case notAnObject
        /// The input, or all documents of a stream or render together, expand beyond a limit.
        case tooLarge
        /// The bytes are not valid UTF-8.
        case encoding
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line explanation that never includes document values.
    public var message: String
    /// Where it happened.
    public var location: SourceLocation

    /// Creates an error.
    public init(_ code: Code, _ message: String, at location: SourceLocation) {
        self.code = code
        self.message = message
        self.location = location
    }

    /// `file:line:column: message`.
    public var description: String { "\(location): \(message)" }
}
