import GoTemplate

/// The conversions Sprig applies to its `interface{}` arguments (spf13/cast and Sprig's own `strval`).
extension Value {
    /// Sprig's `toInt64` (`cast.ToInt64`): numbers truncate, strings parse with Go's base prefixes, anything else is 0.
    var sprigInt64: Int64 {
        switch self {
        case .int(let value, _): return value
        case .float(let value): return value.isFinite ? Int64(exactly: value.rounded(.towardZero)) ?? Int64.min : Int64.min
        case .bool(let value): return value ? 1 : 0
        case .string(let text): return GoInteger.parseInt(Self.trimZeroDecimal(text)) ?? 0
        default: return 0
        }
    }

    /// Sprig's `toFloat64` (`cast.ToFloat64`).
    var sprigFloat64: Double {
        switch self {
        case .int(let value, let kind): return kind.isUnsigned ? Double(UInt64(bitPattern: value)) : Double(value)
        case .float(let value): return value
        case .bool(let value): return value ? 1 : 0
        case .string(let text): return Double(text.trimmingPrefix("+")).flatMap { $0.isNaN && !text.lowercased().contains("nan") ? nil : $0 } ?? 0
        default: return 0
        }
    }

    /// Sprig's `strval`: strings and bytes as text, anything else as `%v`.
    var sprigString: String {
        switch self {
        case .string(let text): return text
        case .bytes(let bytes): return GoString.decode(bytes)
        default: return formatted
        }
    }

    /// Whether Sprig's `empty` holds: nil, zero numbers, false, and empty strings, lists and maps.
    var isSprigEmpty: Bool {
        switch self {
        case .object: return false
        default: return !isTruthy
        }
    }

    /// The items of a slice value, or nil for anything that is not a slice.
    var listItems: [Value]? {
        switch self {
        case .list(let items, _): return items
        case .bytes(let bytes): return bytes.map { .int(Int64($0), .uint8) }
        default: return nil
        }
    }

    /// The kind name Sprig's list errors print (`reflect.Kind`): `string`, `map`, `int`...
    var kindName: String { goKind == "invalid" ? "invalid" : goKind }

    /// spf13/cast's `trimZeroDecimal`: `"1.0"` reads as `"1"`.
    static func trimZeroDecimal(_ text: String) -> String {
        guard let dot = text.firstIndex(of: "."), text[text.index(after: dot)...].allSatisfy({ $0 == "0" }) else { return text }
        return String(text[..<dot])
    }
}

extension Value {
    /// A Go `[]string`.
    static func strings(_ items: [String]) -> Value { .list(items.map { .string($0) }, element: .string) }
    /// A Go `[]interface {}`.
    static func interfaces(_ items: [Value]) -> Value { .list(items, element: .interface) }
    /// A Go `int64`.
    static func int64(_ value: Int64) -> Value { .int(value, .int64) }
}
