import GoTemplate

/// go-yaml v2's resolution of plain scalars (YAML 1.1): the table of booleans and nulls, Go's
/// base-prefixed integers, and its float pattern.
extension GoYAMLValue {
    /// The booleans, nulls and special floats go-yaml v2 recognises by exact text.
    static let table: [String: GoYAMLValue] = {
        var table: [String: GoYAMLValue] = [:]
        for word in ["y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON"] { table[word] = .bool(true) }
        for word in ["n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF"] { table[word] = .bool(false) }
        for word in ["", "~", "null", "Null", "NULL"] { table[word] = .null }
        for word in [".nan", ".NaN", ".NAN"] { table[word] = .float(.nan) }
        for word in [".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF"] { table[word] = .float(.infinity) }
        for word in ["-.inf", "-.Inf", "-.INF"] { table[word] = .float(-.infinity) }
        return table
    }()

    /// What go-yaml v2 decodes an unquoted, untagged scalar `text` as.
    static func resolvePlain(_ text: String) -> GoYAMLValue {
        guard let first = text.utf8.first else { return .null }
        // Only words of at most five bytes, starting with these, are in the table; most text is not.
        if text.utf8.count <= 5, "yYnNtTfFoO~.+-".utf8.contains(first), let known = table[text] { return known }
        switch Unicode.Scalar(first) {
        case ".":
            if let number = goParseFloat(text) { return .float(number) }
        case "+", "-", "0"..."9":
            // Go's integers and floats use no other bytes: text with any other is a string.
            guard text.utf8.allSatisfy(Self.isNumberByte) else { return .string(text) }
            let plain = String(text.unicodeScalars.filter { $0 != "_" })
            if let number = GoInteger.parseInt(plain) { return .int(number) }
            if let number = GoInteger.parseUInt(plain) { return .uint(number) }
            if isYAMLFloat(plain), let number = goParseFloat(plain) { return .float(number) }
        default: break
        }
        return .string(text)
    }

    /// Digits of any base Go's `ParseInt` reads, its prefixes and `_`, a sign, a point, an exponent.
    private static func isNumberByte(_ byte: UInt8) -> Bool {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "a")...UInt8(ascii: "f"), UInt8(ascii: "A")...UInt8(ascii: "F"),
            UInt8(ascii: "x"), UInt8(ascii: "X"), UInt8(ascii: "o"), UInt8(ascii: "O"), UInt8(ascii: "_"), UInt8(ascii: "+"),
            UInt8(ascii: "-"), UInt8(ascii: "."):
            true
        default: false
        }
    }

    /// Whether go-yaml v2 would resolve `text` to a type other than string when written plain, or
    /// reads it as a YAML 1.1 sexagesimal number or a timestamp: such strings are written quoted.
    static func needsQuotes(_ text: String) -> Bool {
        if text == "<<" { return false }
        if case .string = resolvePlain(text) {
            // Both start with a digit, after a sign for a sexagesimal number.
            guard let first = text.utf8.first,
                (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(first) || first == UInt8(ascii: "+") || first == UInt8(ascii: "-")
            else { return false }
            return isBase60Float(text) || isTimestamp(text)
        }
        return true
    }

    /// Go's `strconv.ParseFloat(s, 64)` for decimal text; nil when out of range, as go-yaml then keeps a string.
    static func goParseFloat(_ text: String) -> Double? {
        guard text.unicodeScalars.allSatisfy({ "0123456789+-.eE".unicodeScalars.contains($0) }) else { return nil }
        guard let number = Double(text), number.isFinite else { return nil }
        return number
    }

    /// `^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$`
    static func isYAMLFloat(_ text: String) -> Bool {
        var rest = text.utf8[...]
        _ = rest.skip(UInt8(ascii: "+"), UInt8(ascii: "-"))
        if rest.skip(UInt8(ascii: ".")) {
            guard rest.skipDigits() > 0 else { return false }
        } else {
            guard rest.skipDigits() > 0 else { return false }
            if rest.skip(UInt8(ascii: ".")) { rest.skipDigits() }
        }
        if rest.skip(UInt8(ascii: "e"), UInt8(ascii: "E")) {
            _ = rest.skip(UInt8(ascii: "+"), UInt8(ascii: "-"))
            guard rest.skipDigits() > 0 else { return false }
        }
        return rest.isEmpty
    }

    /// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
    static func isBase60Float(_ text: String) -> Bool {
        var rest = text.utf8[...]
        _ = rest.skip(UInt8(ascii: "+"), UInt8(ascii: "-"))
        guard rest.skipDigits() > 0 else { return false }
        rest.skipDigits(orUnderscores: true)
        var groups = 0
        while rest.skip(UInt8(ascii: ":")) {
            let first = rest.first
            let count = rest.skipDigits()
            guard count == 1 || (count == 2 && first! <= UInt8(ascii: "5")) else { return false }
            groups += 1
        }
        guard groups > 0 else { return false }
        if rest.skip(UInt8(ascii: ".")) { rest.skipDigits(orUnderscores: true) }
        return rest.isEmpty
    }

    /// go-yaml's timestamp formats: `2006-1-2`, with `T`/`t`/space and `15:4:5.999999999`, and a zone after `T`.
    static func isTimestamp(_ text: String) -> Bool {
        // Every byte of a timestamp is ASCII: any other byte fails the match, as its scalar would.
        var rest = text.utf8[...]
        func number(_ range: ClosedRange<Int>) -> Bool { range.contains(rest.skipDigits()) }
        func expect(_ byte: UInt8) -> Bool { rest.skip(byte) }
        guard number(4...4), expect(UInt8(ascii: "-")), number(1...2), expect(UInt8(ascii: "-")), number(1...2) else { return false }
        guard let separator = rest.first else { return true }
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " ") else { return false }
        rest = rest.dropFirst()
        guard number(1...2), expect(UInt8(ascii: ":")), number(1...2), expect(UInt8(ascii: ":")), number(1...2) else { return false }
        if expect(UInt8(ascii: ".")) { guard number(1...9) else { return false } }
        if separator == UInt8(ascii: " ") { return rest.isEmpty }
        if expect(UInt8(ascii: "Z")) { return rest.isEmpty }
        guard expect(UInt8(ascii: "+")) || expect(UInt8(ascii: "-")) else { return false }
        return number(2...2) && expect(UInt8(ascii: ":")) && number(2...2) && rest.isEmpty
    }
}

extension Substring.UTF8View {
    /// Drops the first byte if it is `byte` (or `other`); whether it did.
    fileprivate mutating func skip(_ byte: UInt8, _ other: UInt8? = nil) -> Bool {
        guard let first, first == byte || first == other else { return false }
        self = dropFirst()
        return true
    }

    /// Drops the leading ASCII digits (and `_`s, when asked); how many bytes it dropped.
    @discardableResult
    fileprivate mutating func skipDigits(orUnderscores: Bool = false) -> Int {
        let count = prefix { (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) || (orUnderscores && $0 == UInt8(ascii: "_")) }.count
        self = dropFirst(count)
        return count
    }
}
