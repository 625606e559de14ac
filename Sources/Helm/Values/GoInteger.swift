/// Go's `strconv.ParseInt(text, 0, 64)` and `ParseUint(text, 0, 64)`, which Sprig's casts and
/// go-yaml's resolver both call: a `0x`/`0o`/`0b` or bare `0` prefix picks the base, `_` may
/// separate digits (a prefix counts as one), and a value out of range is no value.
enum GoInteger {
    /// `strconv.ParseInt(text, 0, 64)`: an optional sign, then `parseUInt`'s syntax.
    static func parseInt(_ text: String) -> Int64? {
        var body = Substring(text)
        var negative = false
        if let sign = body.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            body = body.dropFirst()
        }
        guard let magnitude = magnitude(body) else { return nil }
        if negative { return magnitude <= UInt64(Int64.max) + 1 ? Int64(truncatingIfNeeded: 0 &- magnitude) : nil }
        return magnitude <= UInt64(Int64.max) ? Int64(magnitude) : nil
    }

    /// `strconv.ParseUint(text, 0, 64)` (no sign).
    static func parseUInt(_ text: String) -> UInt64? { magnitude(Substring(text)) }

    private static func magnitude(_ text: Substring) -> UInt64? {
        let bytes = Array(text.utf8)
        guard !bytes.isEmpty else { return nil }
        var base: UInt64 = 10
        var digits = bytes[...]
        if bytes[0] == UInt8(ascii: "0") {
            let marker = bytes.count >= 3 ? bytes[1] | 0x20 : 0
            switch marker {
            case UInt8(ascii: "b"): (base, digits) = (2, bytes[2...])
            case UInt8(ascii: "o"): (base, digits) = (8, bytes[2...])
            case UInt8(ascii: "x"): (base, digits) = (16, bytes[2...])
            default: (base, digits) = (8, bytes[1...])
            }
        }
        var value: UInt64 = 0
        var underscores = false
        for byte in digits {
            if byte == UInt8(ascii: "_") {
                underscores = true
                continue
            }
            guard let digit = digitValue(byte), digit < base else { return nil }
            let (shifted, overflowA) = value.multipliedReportingOverflow(by: base)
            let (sum, overflowB) = shifted.addingReportingOverflow(digit)
            guard !overflowA, !overflowB else { return nil }
            value = sum
        }
        return underscores && !underscoresSeparateDigits(bytes) ? nil : value
    }

    private static func digitValue(_ byte: UInt8) -> UInt64? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt64(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "z"): UInt64(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "Z"): UInt64(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Go's `underscoreOK`: every `_` comes after a digit (or the base prefix) and before one.
    private static func underscoresSeparateDigits(_ bytes: [UInt8]) -> Bool {
        enum Last { case start, digit, underscore, other }
        var last = Last.start
        var index = 0
        var hex = false
        if bytes.count >= 2, bytes[0] == UInt8(ascii: "0"), [UInt8(ascii: "b"), UInt8(ascii: "o"), UInt8(ascii: "x")].contains(bytes[1] | 0x20) {
            (index, last, hex) = (2, .digit, bytes[1] | 0x20 == UInt8(ascii: "x"))
        }
        while index < bytes.count {
            let byte = bytes[index]
            index += 1
            if (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || hex && (UInt8(ascii: "a")...UInt8(ascii: "f")).contains(byte | 0x20) {
                last = .digit
            } else if byte == UInt8(ascii: "_") {
                guard last == .digit else { return false }
                last = .underscore
            } else {
                guard last != .underscore else { return false }
                last = .other
            }
        }
        return last != .underscore
    }
}
