import Foundation

/// A `WWW-Authenticate` challenge: `Bearer realm="...",service="...",scope="..."` or `Basic realm="..."`.
struct AuthChallenge: Sendable, Hashable {
    /// `bearer` or `basic`, lowercased.
    var scheme: String
    /// The parameters, keys lowercased.
    var parameters: [String: String]

    /// Reads the first challenge of a header value; `nil` if it has no scheme.
    init?(header: String) {
        var rest = Substring(header).drop(while: { $0 == " " })
        let scheme = rest.prefix(while: { $0 != " " && $0 != "," })
        guard !scheme.isEmpty else { return nil }
        self.scheme = scheme.lowercased()
        rest = rest.dropFirst(scheme.count)
        var parameters: [String: String] = [:]
        while true {
            rest = rest.drop(while: { $0 == " " || $0 == "," })
            guard let equals = rest.firstIndex(of: "=") else { break }
            let key = rest[..<equals].trimmingCharacters(in: .whitespaces).lowercased()
            rest = rest[rest.index(after: equals)...]
            var value = ""
            if rest.first == "\"" {
                rest = rest.dropFirst()
                while let character = rest.first, character != "\"" {
                    if character == "\\", let next = rest.dropFirst().first {
                        value.append(next)
                        rest = rest.dropFirst(2)
                    } else {
                        value.append(character)
                        rest = rest.dropFirst()
                    }
                }
                rest = rest.dropFirst()
            } else {
                value = String(rest.prefix(while: { $0 != "," }))
                rest = rest.dropFirst(value.count)
            }
            parameters[key] = value
        }
        self.parameters = parameters
    }
}

/// The `rel="next"` target of a `Link` header, e.g. `</v2/app/tags/list?n=2&last=b>; rel="next"`.
enum LinkHeader {
    static func next(_ header: String) -> String? {
        for link in header.split(separator: ",") {
            let parts = link.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let target = parts.first, target.hasPrefix("<"), target.hasSuffix(">") else { continue }
            let isNext = parts.dropFirst().contains { $0.replacingOccurrences(of: " ", with: "") == "rel=\"next\"" || $0 == "rel=next" }
            if isNext { return String(target.dropFirst().dropLast()) }
        }
        return nil
    }
}
