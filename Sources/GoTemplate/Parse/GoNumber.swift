/// Go's `strconv.ParseInt(s, 0, 64)`, `ParseUint` and `ParseFloat` for template number literals.
enum GoNumber {
    static func parseUInt(_ text: String) -> UInt64? {
        var body = Substring(text)
        if body.hasPrefix("+") { body = body.dropFirst() }
        return unsignedBody(body)
    }

    static func parseInt(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if body.hasPrefix("+") {
            body = body.dropFirst()
        } else if body.hasPrefix("-") {
            negative = true
            body = body.dropFirst()
        }
        guard let magnitude = unsignedBody(body) else { return nil }
        if negative {
            if magnitude == UInt64(Int64.max) + 1 { return Int64.min }
            return magnitude <= UInt64(Int64.max) ? -Int64(magnitude) : nil
        }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    private static func unsignedBody(_ text: Substring) -> UInt64? {
        var digits = text
        var radix = 10
        var prefixed = false
        let lower = text.lowercased()
        if lower.hasPrefix("0x") {
            radix = 16
            digits = text.dropFirst(2)
            prefixed = true
        } else if lower.hasPrefix("0o") {
            radix = 8
            digits = text.dropFirst(2)
            prefixed = true
        } else if lower.hasPrefix("0b") {
            radix = 2
            digits = text.dropFirst(2)
            prefixed = true
        } else if text.hasPrefix("0") && text.count > 1 {
            radix = 8
            digits = text.dropFirst(1)
            prefixed = true
        }
        guard underscoresOK(digits, prefixed: prefixed) else { return nil }
        let clean = digits.filter { $0 != "_" }
        guard !clean.isEmpty else { return nil }
        return UInt64(clean, radix: radix)
    }

    private static func underscoresOK(_ digits: Substring, prefixed: Bool) -> Bool {
        guard digits.contains("_") else { return true }
        let characters = Array(digits)
        for (index, character) in characters.enumerated() where character == "_" {
            let beforeOK = index == 0 ? prefixed : characters[index - 1] != "_"
            let afterOK = index + 1 < characters.count && characters[index + 1] != "_"
            if !beforeOK || !afterOK { return false }
        }
        return true
    }

    static func parseFloat(_ text: String) -> Double? {
        var clean = text
        if clean.contains("_") { clean = clean.filter { $0 != "_" } }
        let lower = clean.lowercased()
        let unsigned = lower.hasPrefix("+") || lower.hasPrefix("-") ? String(lower.dropFirst()) : lower
        if unsigned.hasPrefix("0x") {
            guard unsigned.contains("p") else { return nil }
            return Double(clean)
        }
        guard unsigned.allSatisfy({ "0123456789.e+-".contains($0) }), !unsigned.isEmpty else { return nil }
        return Double(clean)
    }
}
