import Foundation
import GoTemplate

extension HelmFunctions {
    /// Sprig's `urlParse` and `urlJoin` (Go's `net/url` fields).
    static func urls() -> [String: GoFunction] {
        [
            "urlParse": GoFunction([.string]) { a, _ in
                let url = GoURL(parsing: a[0].text)
                return .map([
                    "scheme": .string(url.scheme), "host": .string(url.host), "hostname": .string(url.hostname), "path": .string(url.path),
                    "query": .string(url.query), "opaque": .string(url.opaque), "fragment": .string(url.fragment),
                    "userinfo": .string(url.userinfo),
                ])
            },
            "urlJoin": GoFunction([.map]) { a, _ in
                let map = entries(a[0])
                func field(_ name: String) -> String { map[name]?.sprigString ?? "" }
                var url = GoURL()
                (url.scheme, url.host, url.path, url.query) = (field("scheme"), field("host"), field("path"), field("query"))
                (url.opaque, url.fragment, url.userinfo) = (field("opaque"), field("fragment"), field("userinfo"))
                return .string(url.string)
            },
        ]
    }
}

/// The parts of a URL as Go's `url.Parse` splits them.
struct GoURL {
    var scheme = "", opaque = "", userinfo = "", host = "", path = "", query = "", fragment = ""

    init() {}

    init(parsing text: String) {
        var rest = Substring(text)
        if let hash = rest.firstIndex(of: "#") {
            fragment = String(rest[rest.index(after: hash)...]).removingPercentEncoding ?? ""
            rest = rest[..<hash]
        }
        if let colon = rest.firstIndex(of: ":"), let first = rest.first, first.isLetter,
            rest[..<colon].allSatisfy({ $0.isLetter || $0.isNumber || "+-.".contains($0) })
        {
            scheme = rest[..<colon].lowercased()
            rest = rest[rest.index(after: colon)...]
        }
        if let question = rest.firstIndex(of: "?") {
            query = String(rest[rest.index(after: question)...])
            rest = rest[..<question]
        }
        if !scheme.isEmpty, !rest.hasPrefix("/") {
            opaque = String(rest)
            return
        }
        if rest.hasPrefix("//") {
            rest = rest.dropFirst(2)
            let end = rest.firstIndex(of: "/") ?? rest.endIndex
            var authority = rest[..<end]
            rest = rest[end...]
            if let at = authority.lastIndex(of: "@") {
                userinfo = String(authority[..<at])
                authority = authority[authority.index(after: at)...]
            }
            host = String(authority)
        }
        path = String(rest).removingPercentEncoding ?? String(rest)
    }

    /// `Hostname()`: the host without port or IPv6 brackets.
    var hostname: String {
        if host.hasPrefix("["), let close = host.firstIndex(of: "]") { return String(host[host.index(after: host.startIndex)..<close]) }
        if let colon = host.lastIndex(of: ":") { return String(host[..<colon]) }
        return host
    }

    /// `URL.String()`.
    var string: String {
        var out = ""
        if !scheme.isEmpty { out += scheme + ":" }
        if !opaque.isEmpty {
            out += opaque
        } else {
            if !scheme.isEmpty || !host.isEmpty || !userinfo.isEmpty {
                if !host.isEmpty || !path.isEmpty || !userinfo.isEmpty { out += "//" }
                if !userinfo.isEmpty { out += userinfo + "@" }
                out += host
            }
            let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
            if !escaped.isEmpty, !escaped.hasPrefix("/"), !host.isEmpty { out += "/" }
            out += escaped
        }
        if !query.isEmpty { out += "?" + query }
        if !fragment.isEmpty { out += "#" + (fragment.addingPercentEncoding(withAllowedCharacters: .urlFragmentAllowed) ?? fragment) }
        return out
    }
}
