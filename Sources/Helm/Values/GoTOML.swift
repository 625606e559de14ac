import GoTemplate

/// Helm's `toToml`: the BurntSushi/toml encoder on a template value. Plain keys first, then
/// tables and arrays of tables, each group in key order; nested tables indented by two spaces.
enum GoTOML {
    /// The TOML document for `value` (a map), or the single TOML value for anything else.
    static func encode(_ value: Value) throws(GoFunctionError) -> String {
        if value.holdsItself { throw GoFunctionError("toml: cannot encode a map that holds itself") }
        if hasNilInArray(value) { throw GoFunctionError("toml: cannot encode array with nil element") }
        var out = ""
        switch plain(value) {
        case .map(let map): table(map.entries, path: [], to: &out)
        case let other: element(other, to: &out)
        }
        return out
    }

    /// Whether a list anywhere in `value` holds a nil, which the encoder refuses.
    private static func hasNilInArray(_ value: Value) -> Bool {
        switch plain(value) {
        case .list(let items, _): items.contains(where: isNil) || items.contains(where: hasNilInArray)
        case .map(let map): map.entries.values.contains(where: hasNilInArray)
        default: false
        }
    }

    /// Objects as `encoding/json` would show their fields; everything else unchanged.
    private static func plain(_ value: Value) -> Value {
        if case .object(let object) = value { return plain(object.jsonValue) }
        return value
    }

    private static func isTable(_ value: Value) -> Bool {
        if case .map = plain(value) { return true }
        return false
    }

    private static func isTableArray(_ value: Value) -> Bool {
        guard case .list(let items, _) = plain(value), !items.isEmpty else { return false }
        return items.allSatisfy(isTable)
    }

    private static func isNil(_ value: Value) -> Bool {
        if case .null = value { return true }
        return false
    }

    private static func table(_ entries: [String: Value], path: [String], to out: inout String) {
        let keys = entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }
        let indent = String(repeating: "  ", count: path.count)
        for key in keys where !isNil(entries[key]!) && !isTable(entries[key]!) && !isTableArray(entries[key]!) {
            out += indent + quoteKey(key) + " = "
            element(plain(entries[key]!), to: &out)
            out += "\n"
        }
        for key in keys {
            let value = plain(entries[key]!)
            let subpath = path + [key]
            let header = String(repeating: "  ", count: subpath.count - 1) + subpath.map(quoteKey).joined(separator: ".")
            if let inner = value.mapEntries {
                if subpath.count == 1 && !out.isEmpty { out += "\n" }
                out += header.replacingFirstName(with: "[") + "]\n"
                table(inner, path: subpath, to: &out)
            } else if isTableArray(value), case .list(let items, _) = value {
                for item in items {
                    guard let inner = plain(item).mapEntries else { continue }
                    if !out.isEmpty { out += "\n" }
                    out += header.replacingFirstName(with: "[[") + "]]\n"
                    table(inner, path: subpath, to: &out)
                }
            }
        }
    }

    private static func element(_ value: Value, to out: inout String) {
        switch plain(value) {
        case .null: break
        case .bool(let flag): out += flag ? "true" : "false"
        case .int(let number, let kind): out += kind == .uint64 || kind == .uint ? String(UInt64(bitPattern: number)) : String(number)
        case .float(let number):
            if number.isNaN {
                out += "nan"
            } else if number.isInfinite {
                out += number < 0 ? "-inf" : "inf"
            } else {
                let text = GoFloat.format(number, "g")
                out += text.contains(".") || text.contains("e") ? text : text + ".0"
            }
        case .string(let text): out += quote(text)
        case .bytes(let bytes): out += quote(String(decoding: bytes, as: UTF8.self))
        case .list(let items, _):
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += ", " }
                element(item, to: &out)
            }
            out += "]"
        case .map(let map):
            let entries = map.entries
            out += "{"
            let keys = entries.keys.sorted { $0.utf8.lexicographicallyPrecedes($1.utf8) }.filter { !isNil(entries[$0]!) }
            for (index, key) in keys.enumerated() {
                if index > 0 { out += ", " }
                out += quoteKey(key) + " = "
                element(entries[key]!, to: &out)
            }
            out += "}"
        case .object: break
        }
    }

    private static func quoteKey(_ key: String) -> String {
        let bare =
            !key.isEmpty
            && key.unicodeScalars.allSatisfy { $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || $0 == "_" || $0 == "-") }
        return bare ? key : quote(key)
    }

    private static func quote(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u" + GoJSON.hex(scalar.value, width: 4, uppercase: true)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    /// The header text with `opening` inserted after its indentation (`  a.b` → `  [a.b`).
    fileprivate func replacingFirstName(with opening: String) -> String {
        let indentation = prefix { $0 == " " }
        return indentation + opening + dropFirst(indentation.count)
    }
}
