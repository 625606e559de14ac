import Foundation
import GoTemplate

extension TOMLDecoder {
    /// A `"basic"` or `"""multi-line basic"""` string, with its escapes.
    mutating func basicString() throws(GoFunctionError) -> String {
        let multiline = peek(1) == UInt8(ascii: "\"") && peek(2) == UInt8(ascii: "\"")
        position += multiline ? 3 : 1
        if multiline { skipFirstNewline() }
        var out: [UInt8] = []
        while true {
            guard let byte = current else { throw fail("unexpected EOF; expected \"\\\"\"") }
            if byte == UInt8(ascii: "\"") {
                if !multiline {
                    position += 1
                    break
                }
                if peek(1) == UInt8(ascii: "\""), peek(2) == UInt8(ascii: "\"") {
                    // Up to two quotes may stand right before the closing three.
                    var extra = 0
                    while extra < 2, peek(3 + extra) == UInt8(ascii: "\"") { extra += 1 }
                    out += [UInt8](repeating: UInt8(ascii: "\""), count: extra)
                    position += 3 + extra
                    break
                }
            }
            if byte == UInt8(ascii: "\n") {
                guard multiline else { throw fail("strings cannot contain newlines") }
                line += 1
            }
            guard byte == UInt8(ascii: "\\") else {
                out.append(byte)
                position += 1
                continue
            }
            position += 1
            try escape(into: &out, multiline: multiline)
        }
        return String(decoding: out, as: UTF8.self)
    }

    private mutating func escape(into out: inout [UInt8], multiline: Bool) throws(GoFunctionError) {
        guard let code = current else { throw fail("unexpected EOF") }
        position += 1
        let simple: [UInt8: UInt8] = [
            UInt8(ascii: "b"): 8, UInt8(ascii: "t"): 9, UInt8(ascii: "n"): 10, UInt8(ascii: "f"): 12, UInt8(ascii: "r"): 13,
            UInt8(ascii: "e"): 27, UInt8(ascii: "\""): 34, UInt8(ascii: "\\"): 92,
        ]
        if let byte = simple[code] {
            out.append(byte)
            return
        }
        if code == UInt8(ascii: "u") || code == UInt8(ascii: "U") {
            let count = code == UInt8(ascii: "u") ? 4 : 8
            guard position + count <= bytes.count,
                let number = UInt32(String(decoding: bytes[position..<position + count], as: UTF8.self), radix: 16),
                let scalar = Unicode.Scalar(number)
            else { throw fail("invalid escape in string") }
            position += count
            out += Array(String(Character(scalar)).utf8)
            return
        }
        if multiline, code == UInt8(ascii: " ") || code == UInt8(ascii: "\t") || code == UInt8(ascii: "\n") || code == UInt8(ascii: "\r") {
            // A line-ending backslash trims the newline and the white space after it.
            position -= 1
            while let byte = current,
                byte == UInt8(ascii: " ") || byte == UInt8(ascii: "\t") || byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r")
            {
                if byte == UInt8(ascii: "\n") { line += 1 }
                position += 1
            }
            return
        }
        throw fail("invalid escape in string '\\\(Character(Unicode.Scalar(code)))'")
    }

    /// A `'literal'` or `'''multi-line literal'''` string.
    mutating func literalString() throws(GoFunctionError) -> String {
        let multiline = peek(1) == UInt8(ascii: "'") && peek(2) == UInt8(ascii: "'")
        position += multiline ? 3 : 1
        if multiline { skipFirstNewline() }
        let start = position
        while true {
            guard let byte = current else { throw fail("unexpected EOF; expected \"'\"") }
            if byte == UInt8(ascii: "'") {
                if !multiline {
                    defer { position += 1 }
                    return String(decoding: bytes[start..<position], as: UTF8.self)
                }
                if peek(1) == UInt8(ascii: "'"), peek(2) == UInt8(ascii: "'") {
                    var extra = 0
                    while extra < 2, peek(3 + extra) == UInt8(ascii: "'") { extra += 1 }
                    defer { position += 3 + extra }
                    return String(decoding: bytes[start..<position + extra], as: UTF8.self)
                }
            }
            if byte == UInt8(ascii: "\n") {
                guard multiline else { throw fail("strings cannot contain newlines") }
                line += 1
            }
            position += 1
        }
    }

    private mutating func skipFirstNewline() {
        if current == UInt8(ascii: "\r"), peek(1) == UInt8(ascii: "\n") { position += 1 }
        if current == UInt8(ascii: "\n") {
            position += 1
            line += 1
        }
    }

    /// A boolean, number, date or time.
    mutating func scalar() throws(GoFunctionError) -> Value {
        let start = position
        while let byte = current, Self.isScalar(byte) { position += 1 }
        // A date and a time may be separated by one space.
        if position - start == 10, current == UInt8(ascii: " "), let next = peek(1), (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(next) {
            position += 1
            while let byte = current, Self.isScalar(byte) { position += 1 }
        }
        let token = String(decoding: bytes[start..<position], as: UTF8.self)
        switch token {
        case "":
            throw fail(
                current == nil ? "unexpected EOF; expected value" : "expected value but found '\(Character(Unicode.Scalar(current!)))' instead")
        case "true": return .bool(true)
        case "false": return .bool(false)
        case "inf", "+inf": return .float(.infinity)
        case "-inf": return .float(-.infinity)
        case "nan", "+nan", "-nan": return .float(.nan)
        default: break
        }
        if let time = TOMLTime.parse(token) { return .object(time) }
        if let integer = Self.integer(token) { return .int(integer, .int64) }
        let digits = token.replacingOccurrences(of: "_", with: "")
        if token.first != ".", token.last != ".", !token.contains("_."), !token.contains("._"), let double = Double(digits),
            digits.contains(where: { ".eE".contains($0) })
        {
            return .float(double)
        }
        throw fail("invalid value: '\(token)'")
    }

    private static func isScalar(_ byte: UInt8) -> Bool {
        (UInt8(ascii: "a")...UInt8(ascii: "z")).contains(byte) || (UInt8(ascii: "A")...UInt8(ascii: "Z")).contains(byte)
            || (UInt8(ascii: "0")...UInt8(ascii: "9")).contains(byte) || "_+-.:".utf8.contains(byte)
    }

    /// A decimal, `0x`, `0o` or `0b` integer with single underscores between digits.
    private static func integer(_ token: String) -> Int64? {
        guard !token.hasPrefix("_"), !token.hasSuffix("_"), !token.contains("__") else { return nil }
        let digits = token.replacingOccurrences(of: "_", with: "")
        for (prefix, radix) in [("0x", 16), ("0o", 8), ("0b", 2)] where digits.hasPrefix(prefix) {
            return Int64(digits.dropFirst(2), radix: radix)
        }
        let unsigned = digits.hasPrefix("+") || digits.hasPrefix("-") ? digits.dropFirst() : Substring(digits)
        guard !unsigned.isEmpty, unsigned.allSatisfy(\.isNumber), unsigned == "0" || !unsigned.hasPrefix("0") else { return nil }
        return Int64(digits.hasPrefix("+") ? String(digits.dropFirst()) : digits)
    }
}

/// TOML's dates and times as Go's `time.Time`: an offset date-time in its fixed zone (UTC for `Z`), and the
/// local forms at offset zero in the zones BurntSushi names `datetime-local`, `date-local` and `time-local`.
enum TOMLTime {
    static func parse(_ token: String) -> GoTime? {
        let text = token.replacingOccurrences(of: " ", with: "T")
        let pattern = #/^(?:(\d{4})-(\d{2})-(\d{2}))?(?:T?(\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?(Z|z|[+-]\d{2}:\d{2})?$/#
        guard let match = text.wholeMatch(of: pattern), match.1 != nil || match.4 != nil else { return nil }
        var components = DateComponents()
        components.year = match.1.flatMap { Int($0) } ?? 0
        components.month = match.2.flatMap { Int($0) } ?? 1
        components.day = match.3.flatMap { Int($0) } ?? 1
        components.hour = match.4.flatMap { Int($0) } ?? 0
        components.minute = match.5.flatMap { Int($0) } ?? 0
        components.second = match.6.flatMap { Int($0) } ?? 0
        var zone = TimeZone.goUTC
        if let offset = match.8, offset != "Z", offset != "z" {
            let sign = offset.hasPrefix("-") ? -1 : 1
            let hours = Int(offset.dropFirst().prefix(2)) ?? 0
            let minutes = Int(offset.suffix(2)) ?? 0
            zone = TimeZone(secondsFromGMT: sign * (hours * 3600 + minutes * 60)) ?? TimeZone.goUTC
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        guard let date = calendar.date(from: components) else { return nil }
        let fraction = match.7.map { String($0.prefix(9)).padding(toLength: 9, withPad: "0", startingAt: 0) }
        var time = GoTime(seconds: Int64(date.timeIntervalSince1970.rounded(.down)), nanoseconds: Int64(fraction ?? "0") ?? 0, zone: zone)
        if match.8 == nil { time.zoneName = match.1 == nil ? "time-local" : match.4 == nil ? "date-local" : "datetime-local" }
        return time
    }
}
