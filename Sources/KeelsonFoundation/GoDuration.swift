/// Durations written as Go and Kubernetes write them (`90s`, `3m`, `1h30m`, `500ms`, `1.5h`):
/// Go's `time.ParseDuration` and `Duration.String()`, the one home for both. Helm's date
/// functions need them to the nanosecond, Applications and Rollouts need them as `Duration`.
public enum GoDuration {
    /// `Duration.String()`: `1h2m3.5s`, `1.5ms`, `0s`.
    public static func string(_ nanoseconds: Int64) -> String {
        if nanoseconds == 0 { return "0s" }
        let negative = nanoseconds < 0
        let u = nanoseconds.magnitude
        let sign = negative ? "-" : ""
        if u < 1_000_000_000 {
            let (unit, scale): (String, UInt64) = u < 1000 ? ("ns", 1) : u < 1_000_000 ? ("µs", 1000) : ("ms", 1_000_000)
            return sign + decimal(u, scale) + unit
        }
        var text = decimal(u % 60_000_000_000, 1_000_000_000) + "s"
        let minutes = u / 60_000_000_000
        if minutes > 0 {
            text = String(minutes % 60) + "m" + text
            if minutes >= 60 { text = String(minutes / 60) + "h" + text }
        }
        return sign + text
    }

    /// `value / scale` with the fraction's trailing zeros removed.
    private static func decimal(_ value: UInt64, _ scale: UInt64) -> String {
        let whole = String(value / scale)
        guard scale > 1, value % scale != 0 else { return whole }
        var fraction = String(value % scale)
        fraction = String(repeating: "0", count: String(scale).count - 1 - fraction.count) + fraction
        while fraction.hasSuffix("0") { fraction.removeLast() }
        return whole + "." + fraction
    }

    private static let units: [(String, Double)] = [
        ("ns", 1), ("us", 1e3), ("µs", 1e3), ("μs", 1e3), ("ms", 1e6), ("s", 1e9), ("m", 60e9), ("h", 3600e9),
    ]

    /// The duration `text` names, or `nil` when it is not one (a bare number other than 0 is not).
    public static func parse(_ text: String) -> Duration? {
        nanoseconds(text).map { .nanoseconds($0) }
    }

    /// `duration` as Go prints it: `1h30m0s`, `1.5s`.
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        return string(seconds &* 1_000_000_000 &+ attoseconds / 1_000_000_000)
    }

    /// `time.ParseDuration` in nanoseconds, or nil when `text` is not a duration.
    public static func nanoseconds(_ text: String) -> Int64? {
        var rest = Substring(text)
        var negative = false
        if let sign = rest.first, sign == "-" || sign == "+" {
            negative = sign == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return 0 }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isASCII && ($0.isNumber || $0 == ".") }
            guard !number.isEmpty, number != ".", let value = Double(number.hasPrefix(".") ? "0" + number : String(number)) else { return nil }
            rest = rest.dropFirst(number.count)
            let unit = rest.prefix { !($0.isASCII && ($0.isNumber || $0 == ".")) }
            guard let scale = units.first(where: { $0.0 == unit })?.1 else { return nil }
            rest = rest.dropFirst(unit.count)
            total += value * scale
        }
        guard total < 9.3e18 else { return nil }
        return Int64(total.rounded(.towardZero)) * (negative ? -1 : 1)
    }
}
