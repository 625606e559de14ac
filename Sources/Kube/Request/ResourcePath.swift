/// Builds API paths and query strings the way the API server expects them.
public enum ResourcePath {
    /// The path prefix of a group-version: `/api/v1` or `/apis/apps/v1`.
    public static func groupVersion(group: String, version: String) -> String {
        group.isEmpty ? "/api/\(version)" : "/apis/\(group)/\(version)"
    }

    /// The path of a collection or one object, with an optional subresource.
    public static func path(
        for resource: APIResource, namespace: String? = nil, name: String? = nil, subresource: String? = nil
    ) -> String {
        let gvk = resource.groupVersionKind
        var path = groupVersion(group: gvk.group, version: gvk.version)
        if resource.namespaced, let namespace, !namespace.isEmpty {
            path += "/namespaces/" + escapeSegment(namespace)
        }
        path += "/" + resource.plural
        if let name, !name.isEmpty { path += "/" + escapeSegment(name) }
        if let subresource, !subresource.isEmpty { path += "/" + subresource }
        return path
    }

    /// Percent-encodes one path segment (names are DNS-safe, but never trust that).
    public static func escapeSegment(_ segment: String) -> String { percentEncode(segment) }

    /// A query string (`?a=1&b=2`) from ordered items, or empty when there are none.
    public static func query(_ items: [(String, String)]) -> String {
        guard !items.isEmpty else { return "" }
        return "?" + items.map { percentEncode($0.0) + "=" + percentEncode($0.1) }.joined(separator: "&")
    }

    /// Encodes everything but RFC 3986 unreserved characters, so `=`, `,`, `!` and spaces in
    /// selectors survive intact.
    public static func percentEncode(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                out.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                out += "%" + hex[Int(byte >> 4)] + hex[Int(byte & 0xF)]
            }
        }
        return out
    }

    private static let hex = ["0", "1", "2", "3", "4", "5", "6", "7", "8", "9", "A", "B", "C", "D", "E", "F"]
}
