import Foundation
import Manifests

/// A scalar a measurement gives or an `equals` expects: a number, a boolean or a string.
public enum MetricValue: Sendable, Hashable, CustomStringConvertible {
    /// A number (Prometheus values, JSON numbers).
    case number(Double)
    /// A boolean.
    case bool(Bool)
    /// A string.
    case string(String)

    /// The scalar a JSON value holds; nil for null, arrays and objects.
    public init?(_ json: JSONValue) {
        switch json {
        case .number(let number): self = .number(number.doubleValue)
        case .bool(let bool): self = .bool(bool)
        case .string(let text): self = .string(text)
        case .null, .array, .object: return nil
        }
    }

    /// The value as a number: a number, or a string that reads as one (web answers often quote them).
    public var number: Double? {
        switch self {
        case .number(let value): value
        case .string(let text): Double(text.trimmingCharacters(in: .whitespaces))
        case .bool: nil
        }
    }

    /// The value as it is stored and shown: `0.95`, `12` (no `.0`), `true`, `ok`.
    public var description: String {
        switch self {
        case .number(let value): Self.format(value)
        case .bool(let value): String(value)
        case .string(let text): text
        }
    }

    /// Whether `self` equals `expected`: numbers by value (a numeric string counts as its
    /// number), anything else by its text, so `"true"` equals `true`.
    public func matches(_ expected: MetricValue) -> Bool {
        if case .number(let wanted) = expected, let number { return number == wanted }
        return description == expected.description
    }

    /// `value` without a trailing `.0`, in the shortest form that reads back the same.
    static func format(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "+Inf" : "-Inf" }
        if value == value.rounded(), abs(value) < 1e15 { return String(Int64(value)) }
        return String(value)
    }
}
