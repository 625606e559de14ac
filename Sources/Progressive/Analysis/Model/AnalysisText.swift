import Foundation
import KeelsonFoundation

/// A text with tags (a query, a URL, a body): the text as written, parsed once against the
/// vocabulary so an unknown tag is refused when the template is read.
public struct AnalysisText: Sendable, Hashable, CustomStringConvertible {
    /// The text as written.
    public let text: String
    let template: TagTemplate

    /// Parses `text`; `path` names the field in a refusal.
    init(_ text: String, path: String, vocabulary: TagTemplate.Vocabulary) throws(AnalysisSpecError) {
        guard text.utf8.count <= TagTemplate.maximumBytes else {
            throw AnalysisSpecError(.tooLarge, path: path, "is longer than \(TagTemplate.maximumBytes / 1024) KiB")
        }
        do {
            template = try TagTemplate(text, vocabulary: vocabulary)
        } catch {
            throw AnalysisSpecError(.invalidTemplate, path: path, error.message)
        }
        self.text = text
    }

    /// The text as written.
    public var description: String { text }

    /// The tags the text uses, e.g. `args.service`.
    public var tags: Set<String> { Self.tags(in: text) }

    /// The text with `values` for its tags, each value through `escape`.
    func render(_ values: [String: String], escape: (String) -> String = { $0 }) -> String { template.render(values, escape: escape) }

    /// The value tags of `text` (sections aside), as the parser reads them.
    static func tags(in text: String) -> Set<String> {
        var tags: Set<String> = []
        var rest = Substring(text)
        while let open = rest.range(of: "{{"), let close = rest[open.upperBound...].range(of: "}}") {
            let tag = rest[open.upperBound..<close.lowerBound].trimmingCharacters(in: .whitespaces)
            if !tag.hasPrefix("#"), !tag.hasPrefix("/") { tags.insert(tag) }
            rest = rest[close.upperBound...]
        }
        return tags
    }

    /// `text` percent-encoded for a URL: only unreserved characters (RFC 3986) stay, so a value
    /// can neither end a parameter nor start a new one or a path segment.
    public static func urlEncoded(_ text: String) -> String {
        var allowed = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789")
        allowed.insert(charactersIn: "-._~")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }
}
