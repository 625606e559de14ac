/// Go's `strconv.FormatFloat(f, 'f', -1, 64)` and `ParseFloat`, which fix the bytes sops encrypts and MACs.
enum GoFloat {
    /// The shortest decimal that reads back as `value`, never in exponent form (`1e20` is `100000000000000000000`).
    static func format(_ value: Double) -> String {
        if value == 0 { return value.sign == .minus ? "-0" : "0" }
        // Swift's description is also the shortest round-trip digit string; only the layout differs.
        var text = "\(value.magnitude)"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...]) ?? 0
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let integer = String(parts[0])
        let fraction = parts.count > 1 ? String(parts[1]) : ""
        var digits = Array(integer + fraction)
        var point = integer.count + exponent  // digits[0..<point] lie before the decimal point
        while digits.first == "0", digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while digits.last == "0", digits.count > max(point, 1) { digits.removeLast() }
        var out = value.sign == .minus ? "-" : ""
        if point <= 0 {
            out += "0." + String(repeating: "0", count: -point) + String(digits)
        } else if point >= digits.count {
            out += String(digits) + String(repeating: "0", count: point - digits.count)
        } else {
            out += String(digits[..<point]) + "." + String(digits[point...])
        }
        return out
    }

    /// A finite double from decimal text, or nil; JSON and YAML cannot carry infinities or NaN.
    static func parse(_ text: String) -> Double? {
        guard let value = Double(text), value.isFinite else { return nil }
        return value
    }
}

/// Go's RFC 3339 round trip (`time.Parse` then `Format(time.RFC3339)`), which gives the MAC's additional data.
enum GoTime {
    /// The timestamp as sops re-formats it: no fractional seconds, `Z` for a zero offset; nil if malformed.
    static func rfc3339(_ text: String) -> String? {
        let chars = Array(text.utf8)
        func digits(_ range: Range<Int>) -> Bool {
            range.upperBound <= chars.count && chars[range].allSatisfy { (0x30...0x39).contains($0) }
        }
        func at(_ index: Int, _ char: Character) -> Bool { index < chars.count && chars[index] == char.asciiValue }
        guard digits(0..<4), at(4, "-"), digits(5..<7), at(7, "-"), digits(8..<10), at(10, "T") || at(10, "t"),
            digits(11..<13), at(13, ":"), digits(14..<16), at(16, ":"), digits(17..<19)
        else { return nil }
        var index = 19
        if at(index, ".") {
            index += 1
            let start = index
            while digits(index..<(index + 1)) { index += 1 }
            guard index > start else { return nil }
        }
        let base = String(decoding: chars[0..<10], as: UTF8.self) + "T" + String(decoding: chars[11..<19], as: UTF8.self)
        if index == chars.count - 1, at(index, "Z") || at(index, "z") { return base + "Z" }
        guard index + 6 == chars.count, at(index, "+") || at(index, "-"), digits((index + 1)..<(index + 3)),
            at(index + 3, ":"), digits((index + 4)..<(index + 6))
        else { return nil }
        let offset = String(decoding: chars[index...], as: UTF8.self)
        return offset.dropFirst() == "00:00" ? base + "Z" : base + offset
    }
}
