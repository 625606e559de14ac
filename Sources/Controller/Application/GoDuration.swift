/// Durations written as Go and Kubernetes write them: `90s`, `3m`, `1h30m`, `500ms`, `1.5h`.
public enum GoDuration {
    private static let units: [(String, Double)] = [
        ("ns", 1e-9), ("us", 1e-6), ("µs", 1e-6), ("ms", 1e-3), ("s", 1), ("m", 60), ("h", 3600),
    ]

    /// The duration `text` names, or `nil` when it is not one (a bare number other than 0 is not).
    public static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        var negative = false
        if rest.first == "-" || rest.first == "+" {
            negative = rest.first == "-"
            rest = rest.dropFirst()
        }
        if rest == "0" { return .zero }
        guard !rest.isEmpty else { return nil }
        var total = 0.0
        while !rest.isEmpty {
            let number = rest.prefix { $0.isNumber || $0 == "." }
            guard !number.isEmpty, let value = Double(number) else { return nil }
            rest = rest.dropFirst(number.count)
            let unitText = rest.prefix { !$0.isNumber && $0 != "." }
            guard let unit = units.first(where: { $0.0 == unitText }) else { return nil }
            rest = rest.dropFirst(unitText.count)
            total += value * unit.1
        }
        guard total.isFinite, total < 1e12 else { return nil }
        let duration = Duration.milliseconds(Int64((total * 1000).rounded()))
        return negative ? .zero - duration : duration
    }

    /// `1h30m0s`-style text for a duration, as Go prints it (whole seconds).
    public static func format(_ duration: Duration) -> String {
        var seconds = duration.components.seconds
        guard seconds > 0 else { return "0s" }
        let hours = seconds / 3600
        seconds %= 3600
        let minutes = seconds / 60
        seconds %= 60
        if hours > 0 { return "\(hours)h\(minutes)m\(seconds)s" }
        if minutes > 0 { return "\(minutes)m\(seconds)s" }
        return "\(seconds)s"
    }
}
