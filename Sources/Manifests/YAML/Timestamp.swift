/// YAML timestamps as kustomize reads them (go-yaml v3's four `time.Parse` layouts) and
/// writes them back (Go's RFC 3339 with nanoseconds, as JSON encodes a `time.Time`).
///
/// `2001-12-14` becomes `2001-12-14T00:00:00Z`; `2001-12-14 21:59:43.10` becomes
/// `2001-12-14T21:59:43.1Z`; an offset is kept (`+01:00`).
enum Timestamp {
    /// The RFC 3339 text for `text`, or `nil` when it is not a timestamp.
    static func parse(_ text: String) -> String? {
        var scanner = Scanner(Array(text.utf8))
        // All layouts start with a four-digit year and a dash.
        guard let year = scanner.fixedDigits(4), scanner.take(UInt8(ascii: "-")),
            let month = scanner.oneOrTwoDigits(), scanner.take(UInt8(ascii: "-")),
            let day = scanner.oneOrTwoDigits(),
            (1...12).contains(month), day >= 1, day <= daysIn(month: month, year: year)
        else { return nil }
        let date = pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2)
        if scanner.atEnd { return date + "T00:00:00Z" }

        guard let separator = scanner.next(),
            separator == UInt8(ascii: "T") || separator == UInt8(ascii: "t") || separator == UInt8(ascii: " "),
            let hour = scanner.oneOrTwoDigits(), scanner.take(UInt8(ascii: ":")),
            let minute = scanner.oneOrTwoDigits(), scanner.take(UInt8(ascii: ":")),
            let second = scanner.oneOrTwoDigits(),
            hour < 24, minute < 60, second < 60
        else { return nil }
        var fraction = ""
        if let mark = scanner.peek(), mark == UInt8(ascii: ".") || mark == UInt8(ascii: ","),
            scanner.peek(1).map(isDigit) == true
        {
            scanner.index += 1
            var digits = scanner.digitRun()
            if digits.count > 9 { digits = Array(digits.prefix(9)) }
            while digits.last == UInt8(ascii: "0") { digits.removeLast() }
            if !digits.isEmpty { fraction = "." + String(decoding: digits, as: UTF8.self) }
        }
        let clock = date + "T" + pad(hour, 2) + ":" + pad(minute, 2) + ":" + pad(second, 2) + fraction

        if separator == UInt8(ascii: " ") {
            return scanner.atEnd ? clock + "Z" : nil
        }
        if scanner.take(UInt8(ascii: "Z")) { return scanner.atEnd ? clock + "Z" : nil }
        guard let sign = scanner.next(), sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-"),
            let zoneHour = scanner.fixedDigits(2), scanner.take(UInt8(ascii: ":")),
            let zoneMinute = scanner.fixedDigits(2), scanner.atEnd,
            zoneHour <= 24, zoneMinute < 60
        else { return nil }
        if zoneHour == 0 && zoneMinute == 0 { return clock + "Z" }
        return clock + (sign == UInt8(ascii: "+") ? "+" : "-") + pad(zoneHour, 2) + ":" + pad(zoneMinute, 2)
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private static func pad(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    private static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2: (year % 4 == 0 && (year % 100 != 0 || year % 400 == 0)) ? 29 : 28
        case 4, 6, 9, 11: 30
        default: 31
        }
    }

    private struct Scanner {
        let bytes: [UInt8]
        var index = 0
        init(_ bytes: [UInt8]) { self.bytes = bytes }

        var atEnd: Bool { index == bytes.count }
        func peek(_ offset: Int = 0) -> UInt8? { index + offset < bytes.count ? bytes[index + offset] : nil }
        mutating func next() -> UInt8? {
            defer { index += 1 }
            return peek()
        }
        mutating func take(_ byte: UInt8) -> Bool {
            guard peek() == byte else { return false }
            index += 1
            return true
        }
        mutating func fixedDigits(_ count: Int) -> Int? {
            guard index + count <= bytes.count, bytes[index..<index + count].allSatisfy(Timestamp.isDigit) else { return nil }
            defer { index += count }
            return bytes[index..<index + count].reduce(0) { $0 * 10 + Int($1 - UInt8(ascii: "0")) }
        }
        /// Go's `getnum(s, false)`: one digit, or two when the second is a digit too.
        mutating func oneOrTwoDigits() -> Int? {
            guard let first = peek(), Timestamp.isDigit(first) else { return nil }
            if let second = peek(1), Timestamp.isDigit(second) { return fixedDigits(2) }
            return fixedDigits(1)
        }
        mutating func digitRun() -> [UInt8] {
            let start = index
            while let byte = peek(), Timestamp.isDigit(byte) { index += 1 }
            return Array(bytes[start..<index])
        }
    }
}
