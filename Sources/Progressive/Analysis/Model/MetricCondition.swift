/// What a measured value must be to pass: between bounds (inclusive), or equal to a scalar.
/// Keelson has no expression language, so conditions are data and every one is table-testable.
public enum MetricCondition: Sendable, Hashable {
    /// `threshold: {min?, max?}`: the value passes when `min ≤ value ≤ max`.
    case threshold(min: Double?, max: Double?)
    /// `equals: <scalar>`: the value passes when it equals this one.
    case equals(MetricValue)
}
