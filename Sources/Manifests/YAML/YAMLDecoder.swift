import Foundation
import Yams

/// One document of a YAML stream, with where it starts.
public struct YAMLDocument: Sendable, Hashable {
    /// The document's value.
    public var value: JSONValue
    /// Where the document's root node starts.
    public var location: SourceLocation
}

/// Decodes multi-document YAML (and JSON, which YAML reads) into `JSONValue`s, resolving
/// scalars as kustomize v5 does, refusing duplicate keys, expanding anchors, aliases and
/// merge keys (`<<`) within a node budget, and naming `file:line:column` in every error.
public struct YAMLDecoder: Sendable {
    /// The most nodes aliases may expand a document stream to; the budget is at least this
    /// many and at least four nodes per input byte, so only alias expansion can exceed it.
    public var minimumNodeBudget: Int
    /// The deepest nesting of flow collections (`[` and `{`) accepted.
    public var maximumFlowDepth: Int

    /// Creates a decoder with the default limits.
    public init(minimumNodeBudget: Int = 1_000_000, maximumFlowDepth: Int = 10_000) {
        self.minimumNodeBudget = minimumNodeBudget
        self.maximumFlowDepth = maximumFlowDepth
    }

    /// Decodes every non-empty document in `bytes`; `file` names the source in errors.
    public func decode(_ bytes: some Collection<UInt8>, file: String) throws(ManifestError) -> [YAMLDocument] {
        var slice = Array(bytes)[...]
        if slice.starts(with: [0xEF, 0xBB, 0xBF]) { slice = slice.dropFirst(3) }
        guard let text = String(validating: slice, as: UTF8.self) else {
            throw ManifestError(.encoding, "not valid UTF-8", at: SourceLocation(file: file))
        }
        return try decode(text, file: file)
    }

    /// Decodes every non-empty document in `text`; `file` names the source in errors.
    public func decode(_ text: String, file: String) throws(ManifestError) -> [YAMLDocument] {
        var text = text
        if text.unicodeScalars.first == "\u{FEFF}" { text.unicodeScalars.removeFirst() }
        try checkFlowDepth(text, file: file)
        var converter = NodeConverter(file: file, budget: max(minimumNodeBudget, text.utf8.count * 4))
        var documents: [YAMLDocument] = []
        do {
            let parser = try Parser(yaml: text, resolver: NodeConverter.resolver)
            while let root = try parser.nextRoot() {
                let value = try converter.convert(root)
                if value.isNull { continue }
                let mark = root.mark
                documents.append(
                    YAMLDocument(value: value, location: SourceLocation(file: file, line: mark?.line ?? 0, column: mark?.column ?? 0)))
            }
        } catch let error as ManifestError {
            throw error
        } catch let error as YamlError {
            throw Self.translate(error, file: file)
        } catch {
            throw ManifestError(.syntax, "unreadable YAML", at: SourceLocation(file: file))
        }
        return documents
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

    private static func translate(_ error: YamlError, file: String) -> ManifestError {
        func at(_ mark: Mark) -> SourceLocation { SourceLocation(file: file, line: mark.line, column: mark.column) }
        switch error {
        case .scanner(let context, let problem, let mark, _), .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            let message = context.map { "\(problem) (\($0.text))" } ?? problem
            return ManifestError(.syntax, message, at: at(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            return ManifestError(.duplicateKey, "mapping key \(names) already defined", at: at(context.mark))
        case .reader(let problem, let offset, _, _):
            return ManifestError(.encoding, problem + (offset.map { " at byte \($0)" } ?? ""), at: SourceLocation(file: file))
        default:
            return ManifestError(.syntax, "unreadable YAML", at: SourceLocation(file: file))
        }
    }
}
