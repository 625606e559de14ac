import Foundation

/// How Prometheus writes numbers and label values, shared by the metrics the traffic simulator
/// exposes and the answers the scripted Prometheus gives.
enum PrometheusText {
    /// A sample value as Prometheus writes it (`strconv.FormatFloat(v, 'f', -1, 64)` for common
    /// values): `1`, `0.99`, `NaN`, `+Inf`.
    static func sample(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }

    /// A label value escaped for the text exposition format.
    static func escape(_ value: String) -> String {
        value.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"")
            .replacingOccurrences(of: "\n", with: "\\n")
    }
}
