/// Go's `strconv` quoting: `Quote`, `QuoteToASCII`, `Unquote` and the `%#U` rune name.
public enum GoQuote {
    /// `strconv.Quote`: a double-quoted Go string literal, printable runes kept.
    public static func quote(_ text: String, asciiOnly: Bool = false) -> String {
        if GoString.carriesRawBytes(text) { return quote(bytes: GoString.bytes(text), asciiOnly: asciiOnly) }
        // Printable ASCII but the quote and the backslash stays as it is: most text is only that.
        let plain = text.utf8.allSatisfy { (0x20...0x7E).contains($0) && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }
        if plain { return "\"" + text + "\"" }
        var out = "\""
        for scalar in text.unicodeScalars { out += escape(scalar, quote: "\"", asciiOnly: asciiOnly) }
        return out + "\""
    }

    /// `strconv.Quote` of a Go string that may hold bytes that are not UTF-8: each such byte is
    /// written `\xNN`, as Go does, instead of being read as U+FFFD first.
    public static func quote(bytes: [UInt8], asciiOnly: Bool = false) -> String {
        var out = "\""
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var offset = 0
        loop: while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                out += escape(Unicode.UTF8.decode(encoded), quote: "\"", asciiOnly: asciiOnly)
                offset += encoded.count
            case .error(let length):
                for byte in bytes[offset..<offset + length] { out += "\\x" + hex(UInt32(byte), 2) }
                offset += length
            case .emptyInput: break loop
            }
        }
        return out + "\""
    }

    /// `strconv.QuoteRune`.
    static func quoteRune(_ scalar: Unicode.Scalar, asciiOnly: Bool = false) -> String {
        "'" + escape(scalar, quote: "'", asciiOnly: asciiOnly) + "'"
    }

    static func escape(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, asciiOnly: Bool) -> String {
        if let byte = GoString.rawByte(scalar) { return "\\x" + hex(UInt32(byte), 2) }
        if scalar == quote || scalar == "\\" { return "\\" + String(scalar) }
        if asciiOnly ? (scalar.value < 0x80 && isPrint(scalar)) : isPrint(scalar) { return String(scalar) }
        switch scalar {
        case "\u{07}": return "\\a"
        case "\u{08}": return "\\b"
        case "\u{0C}": return "\\f"
        case "\n": return "\\n"
        case "\r": return "\\r"
        case "\t": return "\\t"
        case "\u{0B}": return "\\v"
        default:
            if scalar.value < 0x20 || scalar.value == 0x7F { return "\\x" + hex(scalar.value, 2) }
            if scalar == "\u{FFFD}" && !asciiOnly { return "\\ufffd" }
            if scalar.value < 0x10000 { return "\\u" + hex(scalar.value, 4) }
            return "\\U" + hex(scalar.value, 8)
        }
    }

    private static func hex(_ value: UInt32, _ width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.isASCII { return (0x20...0x7E).contains(scalar.value) }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter, .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber, .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation, .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default: return false
        }
    }

    /// `%#U`: `U+0021 '!'`.
    static func unicodeName(_ scalar: Unicode.Scalar) -> String {
        var digits = String(scalar.value, radix: 16, uppercase: true)
        if digits.count < 4 { digits = String(repeating: "0", count: 4 - digits.count) + digits }
        return isPrint(scalar) ? "U+\(digits) '\(scalar)'" : "U+\(digits)"
    }

    /// Whether `strconv.CanBackquote` holds.
    static func canBackquote(_ text: String) -> Bool {
        for scalar in text.unicodeScalars {
            if scalar == "`" || scalar == "\u{FEFF}" || scalar == "\u{FFFD}" { return false }
            if scalar.value < 0x20 && scalar != "\t" { return false }
            if scalar.value == 0x7F { return false }
        }
        return true
    }

    /// `strconv.Unquote` for `"…"`, `` `…` `` and `'…'` literals; nil when the literal is malformed.
    static func unquote(_ literal: String) -> String? {
        // Most literals are double-quoted with nothing to unescape: their text is the body.
        let utf8 = literal.utf8
        if utf8.count >= 2, utf8.first == UInt8(ascii: "\""), utf8.last == UInt8(ascii: "\"") {
            let body = utf8.dropFirst().dropLast()
            if !body.contains(where: { $0 == UInt8(ascii: "\\") || $0 == UInt8(ascii: "\"") || $0 == UInt8(ascii: "\n") }) {
                return String(Substring(body))
            }
        }
        let scalars = Array(literal.unicodeScalars)
        guard scalars.count >= 2, let quote = scalars.first, scalars.last == quote else { return nil }
        let body = Array(scalars[1..<scalars.count - 1])
        if quote == "`" {
            if body.contains("`") { return nil }
            return String(String.UnicodeScalarView(body.filter { $0 != "\r" }))
        }
        guard quote == "\"" || quote == "'" else { return nil }
        var bytes: [UInt8] = []
        var index = 0
        var count = 0
        while index < body.count {
            guard let (value, next) = unquoteChar(body, index, quote: quote) else { return nil }
            switch value {
            case .byte(let byte): bytes.append(byte)
            case .scalar(let scalar): UTF8.encode(scalar) { bytes.append($0) }
            }
            index = next
            count += 1
        }
        if quote == "'" && count != 1 { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }

    enum Unquoted { case byte(UInt8), scalar(Unicode.Scalar) }

    /// One possibly escaped character of a quoted literal's body.
    static func unquoteChar(_ body: [Unicode.Scalar], _ start: Int, quote: Unicode.Scalar) -> (Unquoted, Int)? {
        let first = body[start]
        if first == quote && (quote == "'" || quote == "\"") { return nil }
        if first == "\n" { return nil }
        guard first == "\\" else { return (.scalar(first), start + 1) }
        guard start + 1 < body.count else { return nil }
        let code = body[start + 1]
        var index = start + 2
        switch code {
        case "a": return (.scalar("\u{07}"), index)
        case "b": return (.scalar("\u{08}"), index)
        case "f": return (.scalar("\u{0C}"), index)
        case "n": return (.scalar("\n"), index)
        case "r": return (.scalar("\r"), index)
        case "t": return (.scalar("\t"), index)
        case "v": return (.scalar("\u{0B}"), index)
        case "\\": return (.scalar("\\"), index)
        case "'", "\"":
            guard code == quote else { return nil }
            return (.scalar(code), index)
        case "x", "u", "U":
            let width = code == "x" ? 2 : code == "u" ? 4 : 8
            guard index + width <= body.count, let value = UInt32(String(String.UnicodeScalarView(body[index..<index + width])), radix: 16)
            else { return nil }
            index += width
            if code == "x" { return quote == "'" ? (.scalar(Unicode.Scalar(UInt8(value))), index) : (.byte(UInt8(value)), index) }
            guard let scalar = Unicode.Scalar(value) else { return nil }
            return (.scalar(scalar), index)
        case "0"..."7":
            guard start + 4 <= body.count, let value = UInt32(String(String.UnicodeScalarView(body[start + 1..<start + 4])), radix: 8),
                value <= 255
            else { return nil }
            return quote == "'" ? (.scalar(Unicode.Scalar(UInt8(value))), start + 4) : (.byte(UInt8(value)), start + 4)
        default: return nil
        }
    }
}
