import Foundation
import GoTemplate
import KeelsonFoundation

extension HelmFunctions {
    /// Sprig's date functions; `now` and `ago` read `clock`.
    static func dates(clock: TemplateClock) -> [String: GoFunction] {
        let dateInZone = GoFunction([.string, .any, .string]) { a, _ in .string(format(a[1], a[0].text, zone: a[2].text, clock: clock)) }
        let dateModify = GoFunction([.string, .any]) { a, _ in
            let time = try goTime(a[1], "dateModify")
            return .object(GoDuration.nanoseconds(a[0].text).map { time.adding(nanoseconds: $0) } ?? time)
        }
        let mustDateModify = GoFunction([.string, .any]) { a, _ in
            let time = try goTime(a[1], "mustDateModify")
            guard let delta = GoDuration.nanoseconds(a[0].text) else { throw GoFunctionError("time: invalid duration " + GoQuote.quote(a[0].text)) }
            return .object(time.adding(nanoseconds: delta))
        }
        return [
            "now": GoFunction([]) { _, _ in .object(GoTime(clock.now(), zone: .current, monotonic: true)) },
            "date": GoFunction([.string, .any]) { a, _ in .string(format(a[1], a[0].text, zone: "Local", clock: clock)) },
            "dateInZone": dateInZone,
            "date_in_zone": dateInZone,
            "htmlDate": GoFunction([.any]) { a, _ in .string(format(a[0], "2006-01-02", zone: "Local", clock: clock)) },
            "htmlDateInZone": GoFunction([.any, .string]) { a, _ in .string(format(a[0], "2006-01-02", zone: a[1].text, clock: clock)) },
            "dateModify": dateModify,
            "date_modify": dateModify,
            "mustDateModify": mustDateModify,
            "must_date_modify": mustDateModify,
            "ago": GoFunction([.any]) { a, _ in
                let now = GoTime(clock.now(), zone: .current)
                guard let time = instant(a[0]) else { return .string("0s") }
                let elapsed = now.nanoseconds(since: time)
                return .string(GoDuration.string((elapsed + (elapsed >= 0 ? 500_000_000 : -500_000_000)) / 1_000_000_000 * 1_000_000_000))
            },
            "toDate": GoFunction([.string, .string]) { a, _ in
                .object((try? GoTimeFormat.parse(a[0].text, a[1].text, in: .current)) ?? .zero)
            },
            "mustToDate": GoFunction([.string, .string]) { a, _ in
                switch Result(catching: { () throws(GoTimeFormat.ParseError) in try GoTimeFormat.parse(a[0].text, a[1].text, in: .current) }) {
                case .success(let time): return .object(time)
                case .failure(let error): throw GoFunctionError(error.message)
                }
            },
            "unixEpoch": GoFunction([.object(GoType("time.Time"))]) { a, _ in .string(String(try goTime(a[0], "unixEpoch").seconds)) },
            "duration": GoFunction([.any]) { a, _ in
                let seconds: Int64
                switch a[0] {
                case .string(let text): seconds = Int64(text) ?? 0
                case .int(let value, .int64): seconds = value
                default: seconds = 0
                }
                return .string(GoDuration.string(seconds &* 1_000_000_000))
            },
            "durationRound": GoFunction([.any]) { a, _ in
                var nanoseconds: Int64 = 0
                switch a[0] {
                case .string(let text): nanoseconds = GoDuration.nanoseconds(text) ?? 0
                case .int(let value, .int64): nanoseconds = value
                case .object(let object as GoTime): nanoseconds = GoTime(clock.now(), zone: .current).nanoseconds(since: object)
                default: break
                }
                return .string(roundedDuration(nanoseconds.magnitude))
            },
        ]
    }

    /// The time a date argument names: a `time.Time` or Unix seconds (`int`, `int64`, `int32`).
    private static func instant(_ value: Value) -> GoTime? {
        switch value {
        case .object(let time as GoTime): return time
        case .int(let seconds, .int), .int(let seconds, .int64), .int(let seconds, .int32):
            return GoTime(seconds: seconds, nanoseconds: 0, zone: .current)
        default: return nil
        }
    }

    private static func goTime(_ value: Value, _ name: String) throws(GoFunctionError) -> GoTime {
        guard case .object(let time as GoTime) = value else {
            throw GoFunctionError("wrong type for value; expected time.Time; got \(value.goType)")
        }
        return time
    }

    /// Sprig's `dateInZone`: anything that is not a time or Unix seconds formats the current time.
    private static func format(_ value: Value, _ layout: String, zone: String, clock: TemplateClock) -> String {
        let time = instant(value) ?? GoTime(clock.now(), zone: .current)
        return GoTimeFormat.format(time.inZone(TimeZone.goLocation(zone) ?? .goUTC), layout)
    }

    /// Sprig's `durationRound`: the duration in its largest whole unit.
    static func roundedDuration(_ u: UInt64) -> String {
        let second: UInt64 = 1_000_000_000
        let units: [(UInt64, String)] = [
            (second * 86400 * 365, "y"), (second * 86400 * 30, "mo"), (second * 86400, "d"), (second * 3600, "h"), (second * 60, "m"), (second, "s"),
        ]
        for (size, name) in units where u > size { return String(u / size) + name }
        return "0s"
    }
}
