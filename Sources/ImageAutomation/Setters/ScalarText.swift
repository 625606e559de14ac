import Manifests

/// Writing a new value in a scalar's original quote style.
enum ScalarText {
    /// The text for `value` written as `style`. A plain scalar that would read back as
    /// something other than the same string (`1.10`, `true`, `a: b`) is double-quoted instead.
    static func render(_ value: String, style: ScalarSite.Style) -> String {
        switch style {
        case .plain: return readsAsString(value) ? value : doubleQuoted(value)
        case .singleQuoted: return "'" + value.replacing("'", with: "''") + "'"
        case .doubleQuoted: return doubleQuoted(value)
        }
    }

    /// A JSON string literal is a valid YAML double-quoted scalar.
    private static func doubleQuoted(_ value: String) -> String {
        var out = ""
        JSONWriter.writeString(value, into: &out)
        return out
    }

    /// Whether `value` written plain, as a mapping value, reads back as the same string.
    private static func readsAsString(_ value: String) -> Bool {
        guard !value.isEmpty, !value.contains("\n"), value.trimmingBlanks == value else { return false }
        let documents = try? YAMLDecoder().decode("k: " + value + "\n", file: "<value>")
        return documents?.first?.value["k"] == .string(value)
    }

    /// The value of a double-quoted scalar's inner text (the escapes image references can hold).
    static func unescapeDoubleQuoted(_ inner: String) -> String? {
        var out = ""
        var iterator = inner.unicodeScalars.makeIterator()
        while let scalar = iterator.next() {
            guard scalar == "\\" else {
                out.unicodeScalars.append(scalar)
                continue
            }
            switch iterator.next() {
            case "\"": out += "\""
            case "\\": out += "\\"
            case "/": out += "/"
            case "n": out += "\n"
            case "t": out += "\t"
            case "r": out += "\r"
            case "0": out += "\0"
            default: return nil
            }
        }
        return out
    }
}

extension String {
    /// The string without leading and trailing spaces and tabs.
    var trimmingBlanks: Substring {
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { $0 != " " && $0 != "\t" }),
            let last = scalars.lastIndex(where: { $0 != " " && $0 != "\t" })
        else { return "" }
        return Substring(scalars[first...last])
    }
}
