import Foundation

/// One document of a YAML stream, with where it starts.
public struct YAMLDocument: Sendable, Hashable {
    /// The document's value.
    public var value: JSONValue
    /// Where the document's root node starts.
    public var location: SourceLocation
}

/// Decodes multi-document YAML (and JSON, which YAML reads) into `JSONValue`s, resolving
/// scalars as kustomize v5 does, refusing duplicate keys, expanding anchors, aliases and
/// merge keys (`<<`) within node and byte budgets, and naming `file:line:column` in every error.
///
/// The byte limits count the text of keys and scalars, an alias at its expanded size, before
/// the expansion is built. Each is raised to the input's own size, so only alias expansion
/// can exceed them: a legitimate file of any size reads as before.
public struct YAMLDecoder: Sendable {
    /// The most nodes aliases may expand a document stream to; the budget is at least this
    /// many and at least four nodes per input byte, so only alias expansion can exceed it.
    public var minimumNodeBudget: Int
    /// The deepest nesting of flow collections (`[` and `{`) accepted.
    public var maximumFlowDepth: Int
    /// The most bytes of text one document may expand to through aliases (default 4 MiB: the
    /// API server refuses any request body over 3 MiB, and etcd any object over 1.5 MiB, so
    /// no document past this could ever be applied).
    public var maximumDocumentBytes: Int
    /// The most bytes of text all documents of one `decode` may expand to through aliases
    /// (default 100 MiB, what a `SecureRoot` lets a whole render read). A render passes its
    /// own `ExpansionBudget` instead, shared by all its files.
    public var maximumStreamBytes: Int

    /// The default `maximumDocumentBytes`.
    public static let defaultMaximumDocumentBytes = 4 << 20
    /// The default `maximumStreamBytes`.
    public static let defaultMaximumStreamBytes = 100 << 20

    /// Creates a decoder with the default limits.
    public init(
        minimumNodeBudget: Int = 1_000_000, maximumFlowDepth: Int = 10_000,
        maximumDocumentBytes: Int = YAMLDecoder.defaultMaximumDocumentBytes, maximumStreamBytes: Int = YAMLDecoder.defaultMaximumStreamBytes
    ) {
        self.minimumNodeBudget = minimumNodeBudget
        self.maximumFlowDepth = maximumFlowDepth
        self.maximumDocumentBytes = maximumDocumentBytes
        self.maximumStreamBytes = maximumStreamBytes
    }

    /// Decodes every non-empty document in `bytes`; `file` names the source in errors.
    public func decode(_ bytes: some Collection<UInt8>, file: String) throws(ManifestError) -> [YAMLDocument] {
        var budget = ExpansionBudget(
            limit: max(maximumStreamBytes, bytes.count), name: "the stream limit (YAMLDecoder.maximumStreamBytes)")
        return try decode(bytes, file: file, budget: &budget)
    }

    /// Decodes every non-empty document in `bytes`, spending the bytes they expand to from
    /// `budget` (shared by every file of a render); `file` names the source in errors.
    public func decode(_ bytes: some Collection<UInt8>, file: String, budget: inout ExpansionBudget) throws(ManifestError) -> [YAMLDocument] {
        var slice = Array(bytes)[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw ManifestError(.encoding, "not valid UTF-8", at: SourceLocation(file: file))
        }
        return try decode(text, file: file, budget: &budget)
    }

    /// Decodes every non-empty document in `text`; `file` names the source in errors.
    public func decode(_ text: String, file: String) throws(ManifestError) -> [YAMLDocument] {
        var budget = ExpansionBudget(
            limit: max(maximumStreamBytes, text.utf8.count), name: "the stream limit (YAMLDecoder.maximumStreamBytes)")
        return try decode(text, file: file, budget: &budget)
    }

    /// Decodes every non-empty document in `text`, spending the bytes they expand to from
    /// `budget`; `file` names the source in errors.
    public func decode(_ text: String, file: String, budget: inout ExpansionBudget) throws(ManifestError) -> [YAMLDocument] {
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        try checkFlowDepth(text, file: file)
        var builder = DocumentBuilder(
            file: file, budget: max(minimumNodeBudget, text.utf8.count * 4),
            documentLimit: max(maximumDocumentBytes, text.utf8.count), bytes: budget)
        defer { budget = builder.bytes }
        return try builder.documents(text)
    }

    /// A flow collection nested thousands deep would exhaust the stack of any recursive
    /// reader; refuse it before parsing. Brackets inside scalars only make this stricter.
    private func checkFlowDepth(_ text: String, file: String) throws(ManifestError) {
        var depth = 0
        var line = 1
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "["), UInt8(ascii: "{"):
                depth += 1
                if depth > maximumFlowDepth {
                    throw ManifestError(
                        .tooLarge, "collections nested deeper than \(maximumFlowDepth) levels", at: SourceLocation(file: file, line: line))
                }
            case UInt8(ascii: "]"), UInt8(ascii: "}"): depth = max(0, depth - 1)
            case UInt8(ascii: "\n"): line += 1
            default: break
            }
        }
    }
}
