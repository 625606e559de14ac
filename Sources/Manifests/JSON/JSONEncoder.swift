/// Writes `JSONValue`s as JSON text, keeping key order.
public enum JSONWriter {
    /// Compact JSON on one line.
    public static func compact(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: nil, level: 0, into: &out)
        return out
    }

    /// Indented JSON (four spaces, as `kubectl get -o json` prints), ending in a newline.
    public static func pretty(_ value: JSONValue) -> String {
        var out = ""
        write(value, indent: 4, level: 0, into: &out)
        out += "\n"
        return out
    }

    /// Indented JSON with `indent` spaces per level, ending in a newline (`kubeseal` prints two).
    public static func pretty(_ value: JSONValue, indent: Int) -> String {
        var out = ""
        write(value, indent: max(indent, 0), level: 0, into: &out)
        out += "\n"
        return out
    }

    private static func write(_ value: JSONValue, indent: Int?, level: Int, into out: inout String) {
        func newline(_ level: Int) {
            guard let indent else { return }
            out += "\n"
            out += String(repeating: " ", count: indent * level)
        }
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.description
        case .string(let s): writeString(s, into: &out)
        case .array(let items):
            guard !items.isEmpty else { return out += "[]" }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                newline(level + 1)
                write(item, indent: indent, level: level + 1, into: &out)
            }
            newline(level)
            out += "]"
        case .object(let object):
            guard !object.isEmpty else { return out += "{}" }
            out += "{"
            for (index, (key, item)) in object.enumerated() {
                if index > 0 { out += "," }
                newline(level + 1)
                writeString(key, into: &out)
                out += indent == nil ? ":" : ": "
                write(item, indent: indent, level: level + 1, into: &out)
            }
            newline(level)
            out += "}"
        }
    }

    /// A JSON string literal. `likeGo` escapes as Go's `encoding/json` does (`<`, `>`, `&`,
    /// U+2028/9 and `\b`/`\f` as `\u00XX`), for output whose bytes must equal Go's (a hash).
    public static func writeString(_ s: String, into out: inout String, likeGo: Bool = false) {
        out += "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}" where !likeGo: out += "\\b"
            case "\u{0C}" where !likeGo: out += "\\f"
            default:
                if scalar.value < 0x20 || (likeGo && goEscaped.contains(scalar)) {
                    let digits = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        out += "\""
    }

    /// What Go escapes besides control characters, so JSON is safe inside HTML.
    static let goEscaped: Set<Unicode.Scalar> = ["<", ">", "&", "\u{2028}", "\u{2029}"]
}
