import GoTemplate

extension GoJSON {
    /// Decodes `text` as `json.Unmarshal` into an `interface{}` does: numbers become `float64`,
    /// objects `map[string]interface{}`; errors read as Go's (`invalid character 'x' looking for
    /// beginning of value`, `unexpected end of JSON input`).
    public static func decode(_ text: String) throws(GoFunctionError) -> Value {
        var scanner = JSONScanner(Array(text.utf8))
        let value = try scanner.document()
        return value
    }

    /// Decodes the first JSON value of `text` as a `json.Decoder` does, returning it and the number of
    /// bytes consumed (`--set-json`'s `key=value,key2=value2`).
    static func decodePrefix(_ bytes: [UInt8]) throws(GoFunctionError) -> (Value, Int) {
        var scanner = JSONScanner(bytes)
        scanner.skipSpace()
        guard scanner.index < bytes.count else { throw GoFunctionError("EOF") }
        let value = try scanner.value()
        return (value, scanner.index)
    }

    /// The Go type name of a JSON value's kind, as `UnmarshalTypeError` names it.
    static func kindName(_ value: Value) -> String {
        switch value {
        case .map: "object"
        case .list: "array"
        case .string: "string"
        case .float, .int: "number"
        case .bool: "bool"
        default: "null"
        }
    }
}

/// A JSON reader that fails with the messages of Go's `encoding/json` scanner.
struct JSONScanner {
    let bytes: [UInt8]
    var index = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func document() throws(GoFunctionError) -> Value {
        // Go checks the whole input is valid before decoding; errors past the value win over type errors.
        skipSpace()
        guard index < bytes.count else { throw GoFunctionError("unexpected end of JSON input") }
        let value = try self.value()
        skipSpace()
        if index < bytes.count { throw invalid(bytes[index], "after top-level value") }
        return value
    }

    mutating func skipSpace() {
        while index < bytes.count, [0x20, 0x09, 0x0A, 0x0D].contains(bytes[index]) { index += 1 }
    }

    func invalid(_ byte: UInt8, _ context: String) -> GoFunctionError {
        GoFunctionError("invalid character \(Self.quoteChar(byte)) \(context)")
    }

    static func quoteChar(_ byte: UInt8) -> String {
        switch byte {
        case UInt8(ascii: "'"): return "'\\''"
        case UInt8(ascii: "\""): return "'\"'"
        case 0x20...0x7E: return "'\(Character(Unicode.Scalar(byte)))'"
        case 0x07: return "'\\a'"
        case 0x08: return "'\\b'"
        case 0x0C: return "'\\f'"
        case 0x0A: return "'\\n'"
        case 0x0D: return "'\\r'"
        case 0x09: return "'\\t'"
        case 0x0B: return "'\\v'"
        case 0x80...: return "'\\x" + GoJSON.hex(UInt32(byte), width: 2) + "'"
        default: return "'\\x" + GoJSON.hex(UInt32(byte), width: 2) + "'"
        }
    }

    mutating func next(_ context: String) throws(GoFunctionError) -> UInt8 {
        guard index < bytes.count else { throw GoFunctionError("unexpected end of JSON input") }
        return bytes[index]
    }

    mutating func value() throws(GoFunctionError) -> Value {
        let byte = try next("")
        switch byte {
        case UInt8(ascii: "{"): return try object()
        case UInt8(ascii: "["): return try array()
        case UInt8(ascii: "\""): return .string(try string())
        case UInt8(ascii: "t"): try literal("true"); return .bool(true)
        case UInt8(ascii: "f"): try literal("false"); return .bool(false)
        case UInt8(ascii: "n"): try literal("null"); return .null
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return try number()
        default: throw invalid(byte, "looking for beginning of value")
        }
    }

    mutating func literal(_ word: String) throws(GoFunctionError) {
        let expected = Array(word.utf8)
        for (offset, letter) in expected.enumerated() {
            let byte = try next("")
            guard byte == letter else {
                throw invalid(byte, "in literal \(word) (expecting '\(Character(Unicode.Scalar(letter)))')")
            }
            _ = offset
            index += 1
        }
    }

    mutating func object() throws(GoFunctionError) -> Value {
        index += 1
        var entries: [String: Value] = [:]
        skipSpace()
        if try next("") == UInt8(ascii: "}") {
            index += 1
            return .map(entries)
        }
        while true {
            skipSpace()
            let byte = try next("")
            guard byte == UInt8(ascii: "\"") else { throw invalid(byte, "looking for beginning of object key string") }
            let key = try string()
            skipSpace()
            let colon = try next("")
            guard colon == UInt8(ascii: ":") else { throw invalid(colon, "after object key") }
            index += 1
            skipSpace()
            entries[key] = try value()
            skipSpace()
            let separator = try next("")
            index += 1
            if separator == UInt8(ascii: "}") { return .map(entries) }
            guard separator == UInt8(ascii: ",") else { throw invalid(separator, "after object key:value pair") }
        }
    }

    mutating func array() throws(GoFunctionError) -> Value {
        index += 1
        var items: [Value] = []
        skipSpace()
        if try next("") == UInt8(ascii: "]") {
            index += 1
            return .list(items)
        }
        while true {
            skipSpace()
            items.append(try value())
            skipSpace()
            let separator = try next("")
            index += 1
            if separator == UInt8(ascii: "]") { return .list(items) }
            guard separator == UInt8(ascii: ",") else { throw invalid(separator, "after array element") }
        }
    }

    mutating func string() throws(GoFunctionError) -> String {
        index += 1
        var out: [UInt8] = []
        while true {
            let byte = try next("")
            index += 1
            switch byte {
            case UInt8(ascii: "\""):
                return String(decoding: out, as: UTF8.self)
            case UInt8(ascii: "\\"):
                let escape = try next("")
                index += 1
                switch escape {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): out.append(escape)
                case UInt8(ascii: "b"): out.append(0x08)
                case UInt8(ascii: "f"): out.append(0x0C)
                case UInt8(ascii: "n"): out.append(0x0A)
                case UInt8(ascii: "r"): out.append(0x0D)
                case UInt8(ascii: "t"): out.append(0x09)
                case UInt8(ascii: "u"):
                    var scalar = try hex4()
                    if (0xD800..<0xDC00).contains(scalar), index + 1 < bytes.count, bytes[index] == UInt8(ascii: "\\"),
                        bytes[index + 1] == UInt8(ascii: "u")
                    {
                        let saved = index
                        index += 2
                        let low = try hex4()
                        if (0xDC00..<0xE000).contains(low) {
                            scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                        } else {
                            index = saved
                            scalar = 0xFFFD
                        }
                    }
                    let character = Unicode.Scalar(scalar) ?? "\u{FFFD}"
                    out.append(contentsOf: Array(String(character).utf8))
                default: throw invalid(escape, "in string escape code")
                }
            case 0x00..<0x20: throw invalid(byte, "in string literal")
            default: out.append(byte)
            }
        }
    }

    mutating func hex4() throws(GoFunctionError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try next("")
            guard let digit = Character(Unicode.Scalar(byte)).hexDigitValue else {
                throw invalid(byte, "in \\u hexadecimal character escape")
            }
            value = value * 16 + UInt32(digit)
            index += 1
        }
        return value
    }

    mutating func number() throws(GoFunctionError) -> Value {
        let start = index
        func digit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        if bytes[index] == UInt8(ascii: "-") {
            index += 1
            let byte = try next("")
            guard digit(byte) else { throw invalid(byte, "in numeric literal") }
        }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: ".") {
            index += 1
            let byte = try next("")
            guard digit(byte) else { throw invalid(byte, "after decimal point in numeric literal") }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        if index < bytes.count, bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E") {
            index += 1
            var byte = try next("")
            if byte == UInt8(ascii: "+") || byte == UInt8(ascii: "-") {
                index += 1
                byte = try next("")
            }
            guard digit(byte) else { throw invalid(byte, "in exponent of numeric literal") }
            while index < bytes.count, digit(bytes[index]) { index += 1 }
        }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        guard let number = Double(text), number.isFinite else {
            throw GoFunctionError("json: cannot unmarshal number \(text) into Go value of type float64")
        }
        return .float(number)
    }
}
