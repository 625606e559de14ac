import Foundation
import GoTemplate

extension GoTimeFormat {
    /// An error of `time.Parse`, worded as Go's `ParseError`.
    struct ParseError: Error {
        let message: String
    }

    /// `time.ParseInLocation(layout, value, zone)` for the common layout elements.
    static func parse(_ layout: String, _ value: String, in zone: TimeZone) throws(ParseError) -> GoTime {
        var rest = Substring(value)
        var (year, month, day, hour, minute, second, nanos) = (1, 1, 1, 0, 0, 0, Int64(0))
        var pm: Bool?
        var offset: Int?
        var layoutRest = Substring(layout)
        func fail(_ element: String, _ valueElement: Substring) -> ParseError {
            ParseError(
                message: "parsing time " + GoQuote.quote(value) + " as " + GoQuote.quote(layout) + ": cannot parse "
                    + GoQuote.quote(String(valueElement)) + " as " + GoQuote.quote(element))
        }
        func number(_ width: ClosedRange<Int>, _ element: String) throws(ParseError) -> Int {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }.prefix(width.upperBound)
            guard digits.count >= width.lowerBound, let number = Int(digits) else { throw fail(element, rest) }
            rest = rest.dropFirst(digits.count)
            return number
        }
        func name(_ names: [String], short: Bool, _ element: String) throws(ParseError) -> Int {
            for (index, full) in names.enumerated() {
                let candidate = short ? String(full.prefix(3)) : full
                if rest.lowercased().hasPrefix(candidate.lowercased()) {
                    rest = rest.dropFirst(candidate.count)
                    return index
                }
            }
            throw fail(element, rest)
        }
        for chunk in chunks(layout) {
            let element = String(layoutRest.prefix(elementLength(chunk)))
            layoutRest = layoutRest.dropFirst(elementLength(chunk))
            switch chunk {
            case .literal(let text):
                guard rest.hasPrefix(text) else { throw fail(text, rest) }
                rest = rest.dropFirst(text.count)
            case .longYear: year = try number(4...4, element)
            case .year: year = try number(2...2, element) + 1900
            case .longMonth: month = try name(months, short: false, element) + 1
            case .month: month = try name(months, short: true, element) + 1
            case .numMonth, .zeroMonth: month = try number(chunk == .zeroMonth ? 2...2 : 1...2, element)
            case .longWeekDay: _ = try name(days, short: false, element)
            case .weekDay: _ = try name(days, short: true, element)
            case .day, .zeroDay, .underDay:
                if chunk == .underDay, rest.hasPrefix(" ") { rest = rest.dropFirst() }
                day = try number(chunk == .zeroDay ? 2...2 : 1...2, element)
            case .zeroYearDay, .yearDay: _ = try number(3...3, element)
            case .hour: hour = try number(2...2, element)
            case .hour12, .zeroHour12: hour = try number(chunk == .zeroHour12 ? 2...2 : 1...2, element)
            case .minute, .zeroMinute: minute = try number(chunk == .zeroMinute ? 2...2 : 1...2, element)
            case .second, .zeroSecond:
                second = try number(chunk == .zeroSecond ? 2...2 : 1...2, element)
            case .pm, .lowerPM:
                let word = rest.prefix(2).uppercased()
                guard word == "AM" || word == "PM" else { throw fail(element, rest) }
                pm = word == "PM"
                rest = rest.dropFirst(2)
            case .zoneName:
                let letters = rest.prefix { $0.isUppercase }
                guard letters.count >= 3 else { throw fail(element, rest) }
                if letters == "UTC" || letters == "GMT" { offset = 0 }
                rest = rest.dropFirst(letters.count)
            case .iso8601TZ(let form) where rest.hasPrefix("Z"):
                _ = form
                rest = rest.dropFirst()
                offset = 0
            case .iso8601TZ(let form), .numTZ(let form):
                guard let sign = rest.first, sign == "+" || sign == "-" else { throw fail(element, rest) }
                rest = rest.dropFirst()
                let hours = try number(2...2, element)
                var minutes = 0
                if form.contains("07:00") {
                    guard rest.hasPrefix(":") else { throw fail(element, rest) }
                    rest = rest.dropFirst()
                }
                if !form.hasSuffix("07") { minutes = try number(2...2, element) }
                offset = (sign == "-" ? -1 : 1) * (hours * 3600 + minutes * 60)
            case .fraction(let digits, _):
                guard rest.hasPrefix(".") || rest.hasPrefix(",") else { throw fail(element, rest) }
                let fraction = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
                guard fraction.count == digits || (element.contains("9") && !fraction.isEmpty) else { throw fail(element, rest) }
                nanos = Int64((fraction + String(repeating: "0", count: max(0, 9 - fraction.count))).prefix(9))!
                rest = rest.dropFirst(1 + fraction.count)
            }
        }
        guard rest.isEmpty else {
            throw ParseError(message: "parsing time " + GoQuote.quote(value) + ": extra text: " + GoQuote.quote(String(rest)))
        }
        if let pm {
            if pm, hour < 12 { hour += 12 }
            if !pm, hour == 12 { hour = 0 }
        }
        var calendar = Calendar(identifier: .gregorian)
        let location = offset.map { TimeZone(secondsFromGMT: $0)! } ?? zone
        calendar.timeZone = location
        let components = DateComponents(year: year, month: month, day: day, hour: hour, minute: minute, second: second)
        guard month >= 1, month <= 12, day >= 1, day <= 31, hour < 24, minute < 60, second < 60,
            let date = calendar.date(from: components)
        else {
            throw ParseError(message: "parsing time " + GoQuote.quote(value) + ": day out of range")
        }
        let resultZone = offset == 0 && zone.secondsFromGMT(for: date) != 0 ? TimeZone.goUTC : (offset == nil ? zone : location)
        return GoTime(seconds: Int64(date.timeIntervalSince1970.rounded(.down)), nanoseconds: nanos, zone: resultZone)
    }

    private static func elementLength(_ chunk: Chunk) -> Int {
        switch chunk {
        case .literal(let text): text.count
        case .longMonth: 7
        case .month, .weekDay, .zoneName, .zeroYearDay, .yearDay: 3
        case .longWeekDay: 6
        case .longYear: 4
        case .numMonth, .day, .hour12, .minute, .second: 1
        case .zeroMonth, .zeroDay, .underDay, .zeroHour12, .zeroMinute, .zeroSecond, .year, .hour, .pm, .lowerPM: 2
        case .iso8601TZ(let form), .numTZ(let form): form.count
        case .fraction(let digits, _): digits + 1
        }
    }
}
