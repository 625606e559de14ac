import Manifests

/// A number of Applications, or a share of them: `3`, or `"25%"` (`maxUpdate`,
/// `maxDeletionShare`). A share is rounded down, and never below one unless it is zero.
public enum Share: Sendable, Hashable, CustomStringConvertible {
    /// An absolute count.
    case count(Int)
    /// A percentage, 0 to 100.
    case percent(Int)

    /// How many of `total` this is: a non-zero share gives at least one.
    public func of(_ total: Int) -> Int {
        switch self {
        case .count(let count): return count
        case .percent(let percent):
            guard percent > 0 else { return 0 }
            return max(1, total * percent / 100)
        }
    }

    public var description: String {
        switch self {
        case .count(let count): "\(count)"
        case .percent(let percent): "\(percent)%"
        }
    }

    /// Reads `3` or `"25%"` (a string of digits counts too).
    static func parse(_ value: JSONValue?, _ field: String, reader: FieldReader) throws(ObjectFieldError) -> Share? {
        guard let value, !value.isNull else { return nil }
        if let number = value.intValue {
            guard number >= 0, number <= Int64(Int32.max) else { throw reader.error(field, "must not be negative") }
            return .count(Int(number))
        }
        guard let text = value.stringValue else { throw reader.error(field, "must be a number or a percentage such as \"25%\"") }
        if text.hasSuffix("%"), let percent = Int(text.dropLast()), (0...100).contains(percent) { return .percent(percent) }
        if let count = Int(text), count >= 0 { return .count(count) }
        throw reader.error(field, "\"\(text.prefix(40))\" is not a number or a percentage from 0% to 100%")
    }
}
