/// A finite JSON number that keeps integers exact over the whole `Int64` and `UInt64` range.
///
/// Two numbers are equal when their values are equal (`1` equals `1.0`), as JSON readers
/// such as the Kubernetes API server treat them.
public struct JSONNumber: Sendable, Hashable, CustomStringConvertible {
    enum Storage: Sendable {
        case int(Int64)
        case uint(UInt64)  // only values above Int64.max
        case double(Double)  // always finite
    }

    let storage: Storage

    /// An integer.
    public init(_ value: Int64) { storage = .int(value) }
    /// An integer; values that fit `Int64` are stored as such.
    public init(_ value: UInt64) {
        storage = value <= UInt64(Int64.max) ? .int(Int64(value)) : .uint(value)
    }
    /// A floating-point value; it must be finite (JSON has no infinities or NaN).
    public init(_ value: Double) {
        precondition(value.isFinite, "JSON numbers are finite")
        storage = .double(value)
    }

    /// Whether the number was written as a floating-point value.
    public var isFloatingPoint: Bool { if case .double = storage { true } else { false } }

    /// The value as `Int64` when it is an integer in range (including integral doubles).
    public var int64Value: Int64? {
        switch storage {
        case .int(let i): i
        case .uint: nil
        case .double(let d): Int64(exactly: d)
        }
    }

    /// The value as a `Double` (possibly rounded for very large integers).
    public var doubleValue: Double {
        switch storage {
        case .int(let i): Double(i)
        case .uint(let u): Double(u)
        case .double(let d): d
        }
    }

    /// The canonical text: integers in decimal, doubles in the shortest form that reads back
    /// as the same double and as a floating-point value (`1.0`, `1e-07`).
    public var description: String {
        switch storage {
        case .int(let i): return String(i)
        case .uint(let u): return String(u)
        case .double(let d):
            if d == 0 { return d.sign == .minus ? "-0.0" : "0.0" }
            return d.description
        }
    }

    public static func == (lhs: JSONNumber, rhs: JSONNumber) -> Bool {
        switch (lhs.storage, rhs.storage) {
        case (.int(let a), .int(let b)): a == b
        case (.uint(let a), .uint(let b)): a == b
        case (.double(let a), .double(let b)): a == b
        case (.int(let i), .double(let d)), (.double(let d), .int(let i)): Int64(exactly: d) == i
        case (.uint(let u), .double(let d)), (.double(let d), .uint(let u)): UInt64(exactly: d) == u
        case (.int, .uint), (.uint, .int): false
        }
    }

    public func hash(into hasher: inout Hasher) {
        switch storage {
        case .int(let i): hasher.combine(i)
        case .uint(let u): hasher.combine(u)
        case .double(let d):
            if let i = Int64(exactly: d) {
                hasher.combine(i)
            } else if let u = UInt64(exactly: d) {
                hasher.combine(u)
            } else {
                hasher.combine(d)
            }
        }
    }
}
