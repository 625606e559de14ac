import Foundation

/// Go's reference-time layouts (`2006-01-02 15:04:05 -0700 MST`) for formatting and parsing.
enum GoTimeFormat {
    /// One element of a layout.
    enum Chunk: Equatable {
        case literal(String)
        case longMonth, month, numMonth, zeroMonth, longWeekDay, weekDay, day, underDay, zeroDay, zeroYearDay, yearDay
        case hour, hour12, zeroHour12, minute, zeroMinute, second, zeroSecond, longYear, year, pm, lowerPM, zoneName
        case iso8601TZ(String), numTZ(String), fraction(digits: Int, trimmed: Bool)
    }

    struct Components {
        var year = 0, month = 1, day = 1, hour = 0, minute = 0, second = 0, weekday = 0, yearDay = 1
    }

    static let months = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November", "December"]
    static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// The layout split into chunks, as Go's `nextStdChunk` reads it.
    static func chunks(_ layout: String) -> [Chunk] {
        let tokens: [(String, Chunk)] = [
            ("January", .longMonth), ("Jan", .month), ("Monday", .longWeekDay), ("Mon", .weekDay), ("MST", .zoneName),
            ("2006", .longYear), ("002", .zeroYearDay), ("01", .zeroMonth), ("02", .zeroDay), ("03", .zeroHour12), ("04", .zeroMinute),
            ("05", .zeroSecond), ("06", .year), ("15", .hour), ("__2", .yearDay), ("_2", .underDay), ("1", .numMonth), ("2", .day),
            ("3", .hour12), ("4", .minute), ("5", .second), ("PM", .pm), ("pm", .lowerPM),
            ("Z07:00:00", .iso8601TZ("Z07:00:00")), ("Z070000", .iso8601TZ("Z070000")), ("Z07:00", .iso8601TZ("Z07:00")),
            ("Z0700", .iso8601TZ("Z0700")), ("Z07", .iso8601TZ("Z07")), ("-07:00:00", .numTZ("-07:00:00")), ("-070000", .numTZ("-070000")),
            ("-07:00", .numTZ("-07:00")), ("-0700", .numTZ("-0700")), ("-07", .numTZ("-07")),
        ]
        var out: [Chunk] = []
        var literal = ""
        var rest = Substring(layout)
        outer: while let first = rest.first {
            if first == "." || first == ",", let next = rest.dropFirst().first, next == "0" || next == "9" {
                let run = rest.dropFirst().prefix { $0 == next }
                let after = rest.dropFirst(1 + run.count).first
                if after == nil || !after!.isNumber {
                    if !literal.isEmpty { out.append(.literal(literal)) }
                    literal = ""
                    out.append(.fraction(digits: run.count, trimmed: next == "9"))
                    rest = rest.dropFirst(1 + run.count)
                    continue
                }
            }
            for (token, chunk) in tokens where rest.hasPrefix(token) {
                if token == "Jan" || token == "Mon", rest.dropFirst(3).first?.isLowercase == true, !rest.hasPrefix("January"),
                    !rest.hasPrefix("Monday")
                {
                    continue
                }
                if !literal.isEmpty { out.append(.literal(literal)) }
                literal = ""
                out.append(chunk)
                rest = rest.dropFirst(token.count)
                continue outer
            }
            literal.append(first)
            rest = rest.dropFirst()
        }
        if !literal.isEmpty { out.append(.literal(literal)) }
        return out
    }

    static func components(_ time: GoTime) -> Components {
        // Go's proleptic Gregorian calendar (Foundation switches to Julian before 1582).
        let local = time.seconds + Int64(time.zone.secondsFromGMT(for: Date(timeIntervalSince1970: TimeInterval(time.seconds))))
        let days = Int((Double(local) / 86400).rounded(.down))
        let secondOfDay = Int(local - Int64(days) * 86400)
        let (year, month, day) = civil(days)
        return Components(
            year: year, month: month, day: day, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60, second: secondOfDay % 60,
            weekday: ((days + 4) % 7 + 7) % 7, yearDay: days - daysFromCivil(year, 1, 1) + 1)
    }

    /// The civil date of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(_ days: Int) -> (year: Int, month: Int, day: Int) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }

    /// Days since 1970-01-01 of a civil date.
    static func daysFromCivil(_ year: Int, _ month: Int, _ day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yearOfEra = y - era * 400
        let dayOfYear = (153 * (month > 2 ? month - 3 : month + 9) + 2) / 5 + day - 1
        let dayOfEra = yearOfEra * 365 + yearOfEra / 4 - yearOfEra / 100 + dayOfYear
        return era * 146_097 + dayOfEra - 719_468
    }

    /// `time.Format`.
    static func format(_ time: GoTime, _ layout: String) -> String {
        let c = components(time)
        let date = Date(timeIntervalSince1970: TimeInterval(time.seconds))
        let offset = time.zone.secondsFromGMT(for: date)
        func pad(_ value: Int, _ width: Int, _ filler: Character = "0") -> String {
            let text = String(abs(value))
            return (value < 0 ? "-" : "") + String(repeating: filler, count: max(0, width - text.count)) + text
        }
        var out = ""
        for chunk in chunks(layout) {
            switch chunk {
            case .literal(let text): out += text
            case .longMonth: out += months[c.month - 1]
            case .month: out += String(months[c.month - 1].prefix(3))
            case .numMonth: out += String(c.month)
            case .zeroMonth: out += pad(c.month, 2)
            case .longWeekDay: out += days[c.weekday]
            case .weekDay: out += String(days[c.weekday].prefix(3))
            case .day: out += String(c.day)
            case .underDay: out += pad(c.day, 2, " ")
            case .zeroDay: out += pad(c.day, 2)
            case .zeroYearDay: out += pad(c.yearDay, 3)
            case .yearDay: out += pad(c.yearDay, 3, " ")
            case .hour: out += pad(c.hour, 2)
            case .hour12: out += String(c.hour % 12 == 0 ? 12 : c.hour % 12)
            case .zeroHour12: out += pad(c.hour % 12 == 0 ? 12 : c.hour % 12, 2)
            case .minute: out += String(c.minute)
            case .zeroMinute: out += pad(c.minute, 2)
            case .second: out += String(c.second)
            case .zeroSecond: out += pad(c.second, 2)
            case .longYear: out += pad(c.year, 4)
            case .year: out += pad(c.year % 100, 2)
            case .pm: out += c.hour >= 12 ? "PM" : "AM"
            case .lowerPM: out += c.hour >= 12 ? "pm" : "am"
            case .zoneName: out += time.zoneName ?? time.zone.goAbbreviation(at: date)
            case .iso8601TZ(let form) where offset == 0: out += "Z" + (form.isEmpty ? "" : "")
            case .iso8601TZ(let form): out += zone(offset, String(form.dropFirst()))
            case .numTZ(let form): out += zone(offset, String(form.dropFirst()))
            case .fraction(let digits, let trimmed):
                var text = pad(Int(time.nanoseconds), 9).prefix(digits)
                if trimmed {
                    while text.hasSuffix("0") { text = text.dropLast() }
                    if !text.isEmpty { out += "." + text }
                } else {
                    out += "." + text
                }
            }
        }
        return out
    }

    /// A numeric zone offset in the shape of `form` (`0700`, `07:00`, `07`, `070000`, `07:00:00`).
    private static func zone(_ offset: Int, _ form: String) -> String {
        let sign = offset < 0 ? "-" : "+"
        let magnitude = abs(offset)
        func two(_ value: Int) -> String { value < 10 ? "0\(value)" : "\(value)" }
        let (h, m, s) = (two(magnitude / 3600), two(magnitude % 3600 / 60), two(magnitude % 60))
        switch form {
        case "07": return sign + h
        case "07:00": return sign + h + ":" + m
        case "070000": return sign + h + m + s
        case "07:00:00": return sign + h + ":" + m + ":" + s
        default: return sign + h + m
        }
    }
}
