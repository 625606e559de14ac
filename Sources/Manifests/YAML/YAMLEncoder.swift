/// Writes `JSONValue`s as block-style YAML that reads back to the same values, both with
/// Keelson's reader and with YAML 1.1 readers such as kubectl's: key order is kept, and a
/// string is quoted whenever its bare form could read as anything else.
///
/// ```swift
/// YAMLEncoder.encode(["a": "yes", "b": [1, 2]])  // "a: \"yes\"\nb:\n- 1\n- 2\n"
/// ```
public enum YAMLEncoder {
    /// One document, ending in a newline.
    public static func encode(_ value: JSONValue) -> String {
        var out = ""
        write(value, into: &out)
        return out
    }

    /// Several documents separated by `---` lines.
    public static func encodeDocuments(_ values: [JSONValue]) -> String {
        var out = ""
        for (index, value) in values.enumerated() {
            if index > 0 { out += "---\n" }
            write(value, into: &out)
        }
        return out
    }

    /// Appends one document to `out`.
    public static func write(_ value: JSONValue, into out: inout String) {
        switch value {
        case .object(let object) where !object.isEmpty:
            writeObject(object, indent: 0, into: &out)
        case .array(let array) where !array.isEmpty:
            writeArray(array, indent: 0, into: &out)
        default:
            writeInline(value, indent: 0, into: &out)
            out += "\n"
        }
    }

    private static func spaces(_ count: Int) -> String { String(repeating: " ", count: count) }

    /// Writes `key: value` lines at `indent`; the first line's indentation is already written
    /// when `continuing` is set (the object is the first thing after a `- `).
    private static func writeObject(_ object: JSONObject, indent: Int, continuing: Bool = false, into out: inout String) {
        var first = true
        for (key, value) in object {
            if !(first && continuing) { out += spaces(indent) }
            first = false
            out += ScalarStyle.key(key)
            out += ":"
            switch value {
            case .object(let child) where !child.isEmpty:
                out += "\n"
                writeObject(child, indent: indent + 2, into: &out)
            case .array(let child) where !child.isEmpty:
                out += "\n"
                writeArray(child, indent: indent, into: &out)
            default:
                out += " "
                writeInline(value, indent: indent, into: &out)
                out += "\n"
            }
        }
    }

    private static func writeArray(_ array: [JSONValue], indent: Int, continuing: Bool = false, into out: inout String) {
        var first = true
        for item in array {
            if !(first && continuing) { out += spaces(indent) }
            first = false
            out += "- "
            switch item {
            case .object(let child) where !child.isEmpty:
                writeObject(child, indent: indent + 2, continuing: true, into: &out)
            case .array(let child) where !child.isEmpty:
                writeArray(child, indent: indent + 2, continuing: true, into: &out)
            default:
                writeInline(item, indent: indent, into: &out)
                out += "\n"
            }
        }
    }

    /// A scalar or empty collection on the current line; block strings continue below it.
    private static func writeInline(_ value: JSONValue, indent: Int, into out: inout String) {
        switch value {
        case .null: out += "null"
        case .bool(let b): out += b ? "true" : "false"
        case .number(let n): out += n.description
        case .string(let s): ScalarStyle.writeString(s, indent: indent + 2, into: &out)
        case .array: out += "[]"
        case .object: out += "{}"
        }
    }
}
