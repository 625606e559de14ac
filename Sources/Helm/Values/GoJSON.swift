import GoTemplate

/// Go's `encoding/json` as templates reach it: `json.Marshal` (`toJson`), `json.MarshalIndent`
/// (`toPrettyJson`), an `Encoder` without HTML escaping (`toRawJson`), and `json.Unmarshal` into
/// `interface{}` (`fromJson`, `--set-json`).
public enum GoJSON {
    /// A value as `json.Marshal` sees it after method and type dispatch: the shape the text is printed from.
    indirect enum Node {
        case null
        case bool(Bool)
        /// A number as Go prints it in JSON.
        case number(String)
        case string(String)
        case array([Node])
        /// Members sorted by key bytes, as Go sorts map keys.
        case object([(key: String, value: Node)])
    }

    /// Marshals `value` as `json.Marshal` does: sorted keys, `<>&` escaped unless `escapeHTML` is false,
    /// Go's float format; `indent` non-nil gives `json.MarshalIndent(v, "", indent)`.
    public static func encode(_ value: Value, escapeHTML: Bool = true, indent: String? = nil) throws(GoFunctionError) -> String {
        var out = ""
        write(try node(value), to: &out, escapeHTML: escapeHTML, indent: indent, depth: 0)
        return out
    }

    /// The marshalled shape of `value`; fails where Go's encoder fails (NaN and infinities).
    static func node(_ value: Value, depth: Int = 0) throws(GoFunctionError) -> Node {
        guard depth < Value.maximumNesting else { throw cycle(value) }
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number, let kind):
            return .number(kind == .uint64 || kind == .uint ? String(UInt64(bitPattern: number)) : String(number))
        case .float(let number): return .number(try floatText(number))
        case .string(let text): return .string(text)
        case .bytes(let bytes): return .string(Base64.encode(bytes))
        case .list(let items, _):
            var nodes: [Node] = []
            for item in items { nodes.append(try node(item, depth: depth + 1)) }
            return .array(nodes)
        case .map(let map):
            let entries = map.entries
            var members: [(key: String, value: Node)] = []
            for key in entries.keys.sorted(by: { $0.utf8.lexicographicallyPrecedes($1.utf8) }) {
                members.append((key, try node(entries[key]!, depth: depth + 1)))
            }
            return .object(members)
        case .object(let object):
            // A struct keeps its fields' declaration order; anything else marshals as its value.
            guard let order = object.jsonFieldOrder, let fields = object.jsonValue.mapEntries else {
                return try node(object.jsonValue, depth: depth + 1)
            }
            var members: [(key: String, value: Node)] = []
            for key in order { if let field = fields[key] { members.append((key, try node(field, depth: depth + 1))) } }
            return .object(members)
        }
    }

    /// A float as `encoding/json` prints it: `'f'` format, `'e'` below 1e-6 and from 1e21, `e-7` not `e-07`.
    static func floatText(_ number: Double) throws(GoFunctionError) -> String {
        guard number.isFinite else {
            throw GoFunctionError("json: unsupported value: \(GoFloat.format(number, "g"))")
        }
        let magnitude = number.magnitude
        guard magnitude != 0, magnitude < 1e-6 || magnitude >= 1e21 else { return GoFloat.format(number, "f") }
        var text = GoFloat.format(number, "e")
        if let e = text.firstIndex(of: "e"), text[text.index(after: e)...].hasPrefix("-0") {
            text.remove(at: text.index(e, offsetBy: 2))
        }
        return text
    }

    /// Go's error for a map or list that holds itself.
    static func cycle(_ value: Value) -> GoFunctionError {
        GoFunctionError("json: unsupported value: encountered a cycle via \(value.goType)")
    }

    static func write(_ node: Node, to out: inout String, escapeHTML: Bool, indent: String?, depth: Int) {
        func newline(_ level: Int) {
            guard let indent else { return }
            out += "\n" + String(repeating: indent, count: level)
        }
        switch node {
        case .null: out += "null"
        case .bool(let flag): out += flag ? "true" : "false"
        case .number(let text): out += text
        case .string(let text): quote(text, to: &out, escapeHTML: escapeHTML)
        case .array(let items):
            guard !items.isEmpty else { return out += "[]" }
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += "," }
                newline(depth + 1)
                write(item, to: &out, escapeHTML: escapeHTML, indent: indent, depth: depth + 1)
            }
            newline(depth)
            out += "]"
        case .object(let members):
            guard !members.isEmpty else { return out += "{}" }
            out += "{"
            for (index, member) in members.enumerated() {
                if index > 0 { out += "," }
                newline(depth + 1)
                quote(member.key, to: &out, escapeHTML: escapeHTML)
                out += indent == nil ? ":" : ": "
                write(member.value, to: &out, escapeHTML: escapeHTML, indent: indent, depth: depth + 1)
            }
            newline(depth)
            out += "}"
        }
    }

    /// A JSON string literal as Go writes it (`\u003c` for `<` when escaping HTML, `\u2028`, `\u00XX` for controls).
    static func quote(_ text: String, to out: inout String, escapeHTML: Bool) {
        out += "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "<" where escapeHTML, ">" where escapeHTML, "&" where escapeHTML: out += "\\u00" + hex(scalar.value, width: 2)
            case "\u{2028}", "\u{2029}": out += "\\u" + hex(scalar.value, width: 4)
            // A byte that is not UTF-8 (`GoString`), which Go's encoder writes as an escaped U+FFFD.
            case _ where GoString.rawByte(scalar) != nil: out += "\\ufffd"
            default:
                if scalar.value < 0x20 { out += "\\u00" + hex(scalar.value, width: 2) } else { out.unicodeScalars.append(scalar) }
            }
        }
        out += "\""
    }

    static func hex(_ value: UInt32, width: Int, uppercase: Bool = false) -> String {
        let digits = String(value, radix: 16, uppercase: uppercase)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}

/// Standard base64 with padding, as Go's `encoding/base64.StdEncoding` writes it.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/")

    static func encode(_ bytes: [UInt8]) -> String {
        var out = ""
        var index = 0
        while index < bytes.count {
            let chunk = bytes[index..<min(index + 3, bytes.count)]
            let b0 = Int(chunk[chunk.startIndex])
            let b1 = chunk.count > 1 ? Int(chunk[chunk.startIndex + 1]) : 0
            let b2 = chunk.count > 2 ? Int(chunk[chunk.startIndex + 2]) : 0
            out.append(alphabet[b0 >> 2])
            out.append(alphabet[((b0 & 3) << 4) | (b1 >> 4)])
            out.append(chunk.count > 1 ? alphabet[((b1 & 15) << 2) | (b2 >> 6)] : "=")
            out.append(chunk.count > 2 ? alphabet[b2 & 63] : "=")
            index += 3
        }
        return out
    }

    static func decode(_ text: String) -> [UInt8]? {
        var lookup: [Character: UInt8] = [:]
        for (index, character) in alphabet.enumerated() { lookup[character] = UInt8(index) }
        var bits: UInt32 = 0
        var count = 0
        var out: [UInt8] = []
        for character in text where !character.isWhitespace {
            if character == "=" { break }
            guard let value = lookup[character] else { return nil }
            bits = bits << 6 | UInt32(value)
            count += 6
            if count >= 8 {
                count -= 8
                out.append(UInt8((bits >> UInt32(count)) & 0xFF))
            }
        }
        return out
    }
}
