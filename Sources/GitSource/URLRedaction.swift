/// Removes secrets from repository URLs and from text holding them: the user information
/// (`user:password@`) and the query and fragment, where signed URLs carry their tokens
/// (`?sig=...`). The one place Keelson redacts URLs; everything that prints one uses it.
///
/// ```swift
/// URLRedaction.redact("https://robot:pw@example.com/org/repo.git?sig=abc")
/// // "https://example.com/org/repo.git?<redacted>"
/// ```
public enum URLRedaction {
    /// What stands in for a removed query or fragment.
    public static let marker = "<redacted>"

    /// `url` without user information, its query or fragment replaced by `?<redacted>`.
    public static func redact(_ url: String) -> String {
        if let range = url.range(of: "://") {
            return String(url[..<range.upperBound]) + redactAfterScheme(url[range.upperBound...])
        }
        return redactQuery(Substring(url))
    }

    /// `text` with every `scheme://...` URL in it redacted; a URL ends at white space or a quote.
    public static func scrub(_ text: String) -> String {
        var output = ""
        var rest = Substring(text)
        while let range = rest.range(of: "://") {
            output += rest[..<range.upperBound]
            rest = rest[range.upperBound...]
            let end = rest.firstIndex(where: isURLEnd) ?? rest.endIndex
            output += redactAfterScheme(rest[..<end])
            rest = rest[end...]
        }
        return output + rest
    }

    /// Authority without user information, then the path with its query redacted.
    private static func redactAfterScheme(_ text: Substring) -> String {
        let authorityEnd = text.firstIndex(where: { $0 == "/" || $0 == "?" || $0 == "#" }) ?? text.endIndex
        var authority = text[..<authorityEnd]
        if let at = authority.lastIndex(of: "@") { authority = authority[authority.index(after: at)...] }
        return String(authority) + redactQuery(text[authorityEnd...])
    }

    private static func redactQuery(_ text: Substring) -> String {
        guard let start = text.firstIndex(where: { $0 == "?" || $0 == "#" }) else { return String(text) }
        return String(text[...start]) + marker
    }

    private static func isURLEnd(_ character: Character) -> Bool {
        character.isWhitespace || character == "'" || character == "\"" || character == "<" || character == ">" || character == "`"
    }
}
