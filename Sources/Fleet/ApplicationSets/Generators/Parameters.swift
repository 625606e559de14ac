import Manifests

/// One set of parameters a generator produced: flat strings (`path.basename`) for templates in
/// fasttemplate mode, nested values (`.path.basename`) for `goTemplate: true`.
public typealias Parameters = JSONObject

/// Argo CD's helpers for parameter values.
public enum ParameterText {
    /// Argo CD's `SanitizeName`: lowercase, every character but `a-z0-9-.` turned into `-`, at
    /// most 253 characters, without leading or trailing `-` and `.`.
    public static func sanitizedName(_ name: String) -> String {
        let mapped = String(name.lowercased().map { c -> Character in c.isASCII && (c.isLetter || c.isNumber || c == "-" || c == ".") ? c : "-" })
        let cut = String(mapped.prefix(253))
        return String(cut.drop { $0 == "-" || $0 == "." }.reversed().drop { $0 == "-" || $0 == "." }.reversed())
    }

    /// A branch as a slug, as Argo CD's `branch_slug`: lowercase ASCII letters and digits with
    /// single `-` between words, at most 50 characters.
    public static func slug(_ text: String, maximumLength: Int = 50) -> String {
        var out = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character.isASCII && (character.isLetter || character.isNumber) {
                if pendingDash && !out.isEmpty { out.append("-") }
                pendingDash = false
                out.append(character)
            } else {
                pendingDash = true
            }
        }
        return String(out.prefix(maximumLength)).trimmingSuffix("-")
    }

    /// A value as Go's `%v` prints it in a flattened parameter: strings as they are, whole
    /// numbers without a fraction, `<nil>` for null.
    public static func text(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "<nil>"
        case .number:
            if let integer = value.intValue { return String(integer) }
            return value.doubleValue.map { String($0) } ?? JSONWriter.compact(value)
        case .array, .object: return JSONWriter.compact(value)
        }
    }

    /// Nested values flattened with dots, as Argo CD flattens a Git file's content (`a.b`, list
    /// items `a.0`) in fasttemplate mode.
    public static func flattened(_ value: JSONValue, prefix: String = "") -> [(String, String)] {
        switch value {
        case .object(let object):
            var out: [(String, String)] = []
            for (key, item) in object { out += flattened(item, prefix: prefix.isEmpty ? key : prefix + "." + key) }
            return out
        case .array(let items):
            var out: [(String, String)] = []
            for (index, item) in items.enumerated() { out += flattened(item, prefix: prefix.isEmpty ? "\(index)" : "\(prefix).\(index)") }
            return out
        default:
            return [(prefix, text(value))]
        }
    }

    /// Parameters as a label map for a generator's `selector`.
    static func labels(_ parameters: Parameters) -> [String: String] {
        Dictionary(flattened(.object(parameters)), uniquingKeysWith: { first, _ in first })
    }
}

extension String {
    func trimmingSuffix(_ character: Character) -> String {
        var text = Substring(self)
        while text.last == character { text = text.dropLast() }
        return String(text)
    }
}
