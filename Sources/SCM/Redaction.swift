/// Keeps secrets out of messages: the token is removed and every URL cut to scheme, host and
/// its first path segment, then `/***`, since paths and queries name private repositories and
/// webhook URLs carry secrets in the path.
public enum Redaction {
    /// `url` cut to `scheme://host[:port]/first/***`; a URL with no path keeps only its origin.
    public static func url(_ url: Substring) -> String {
        guard let schemeEnd = url.range(of: "://") else { return "***" }
        let scheme = url[..<schemeEnd.lowerBound]
        let rest = url[schemeEnd.upperBound...]
        let authorityEnd = rest.firstIndex { $0 == "/" || $0 == "?" || $0 == "#" } ?? rest.endIndex
        // User information is a credential: only the host and port stay.
        let host = rest[..<authorityEnd].split(separator: "@").last ?? ""
        let path = rest[authorityEnd...]
        guard path.first == "/" else { return "\(scheme)://\(host)" + (path.isEmpty ? "" : "/***") }
        let segment = path.dropFirst().prefix { $0 != "/" && $0 != "?" && $0 != "#" }
        return "\(scheme)://\(host)/\(segment)/***"
    }

    /// `text` with `secret` removed and every `http://` or `https://` URL in it redacted.
    public static func scrub(_ text: String, secret: String) -> String {
        let text = secret.isEmpty ? text : text.replacing(secret, with: "***")
        return text.replacing(/https?:\/\/[^\s"'<>]+/) { url($0.output) }
    }
}
