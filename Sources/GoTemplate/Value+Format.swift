extension Value {
    /// What Go's `fmt` prints for the value with `%v` (and `fmt.Sprint` for one operand): `<nil>`,
    /// `[a b]`, `map[a:1 b:2]` with sorted keys, floats as `strconv.FormatFloat(f, 'g', -1, 64)`.
    public var formatted: String {
        switch self {
        case .map, .list: holdsItself ? Self.cycleMark : formattedTree
        default: formattedTree
        }
    }

    /// `formatted`, for a value known not to hold itself.
    private var formattedTree: String {
        switch self {
        case .null: "<nil>"
        case .bool(let value): value ? "true" : "false"
        case .int(let value, let kind): kind == .uint64 || kind == .uint ? String(UInt64(bitPattern: value)) : String(value)
        case .float(let value): GoFloat.format(value, "g")
        case .string(let value): value
        case .bytes(let value): "[" + value.map { String($0) }.joined(separator: " ") + "]"
        case .list(let items, _): "[" + items.map(\.formattedTree).joined(separator: " ") + "]"
        case .map(let map):
            "map[" + map.entries.sorted { $0.key < $1.key }.map { "\($0.key):\($0.value.formattedTree)" }.joined(separator: " ") + "]"
        case .object(let object): object.formatted
        }
    }
}

/// Go's `strconv.FormatFloat` for the shortest representation that reads back exactly.
public enum GoFloat {
    /// Formats `value` as Go's `strconv.FormatFloat(value, format, -1, 64)` does for `format`
    /// `g` (also `%v`), `e` and `f`.
    public static func format(_ value: Double, _ format: Character) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        // Whole numbers below a million (ports, replicas, sizes) read as their integer in `g` and `f`.
        if format != "e", value.magnitude < 1e6, value.rounded() == value, !(value == 0 && value.sign == .minus) {
            return String(Int64(value))
        }
        let (negative, digits, point) = shortestDigits(value)
        let sign = negative ? "-" : ""
        switch format {
        case "e": return sign + exponential(digits, point)
        case "f": return sign + fixed(digits, point)
        default:
            // %g with the shortest precision: exponent form when the exponent is < -4 or >= 6.
            let exponent = point - 1
            if exponent < -4 || exponent >= 6 { return sign + exponential(digits, point) }
            return sign + fixed(digits, point)
        }
    }

    /// The shortest decimal digits that read back as `value`, and the position of the decimal
    /// point relative to them (`1500` → "15", 4).
    static func shortestDigits(_ value: Double) -> (negative: Bool, digits: [Character], point: Int) {
        if value == 0 { return (value.sign == .minus, ["0"], 1) }
        // Swift's description is the shortest round-tripping form, like Go's; take its digits.
        var text = "\(value.magnitude)"
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            exponent = Int(text[text.index(after: e)...])!
            text = String(text[..<e])
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        let whole = Array(parts[0])
        let fraction = parts.count > 1 ? Array(parts[1]) : []
        var digits = whole + fraction
        var point = whole.count + exponent
        while digits.count > 1, digits.first == "0" {
            digits.removeFirst()
            point -= 1
        }
        while digits.count > 1, digits.last == "0" { digits.removeLast() }
        return (value.sign == .minus, digits, point)
    }

    private static func exponential(_ digits: [Character], _ point: Int) -> String {
        var out = String(digits[0])
        if digits.count > 1 { out += "." + String(digits[1...]) }
        let exponent = point - 1
        let magnitude = abs(exponent)
        return out + (exponent < 0 ? "e-" : "e+") + (magnitude < 10 ? "0" : "") + String(magnitude)
    }

    private static func fixed(_ digits: [Character], _ point: Int) -> String {
        if point <= 0 { return "0." + String(repeating: "0", count: -point) + String(digits) }
        if point >= digits.count { return String(digits) + String(repeating: "0", count: point - digits.count) }
        return String(digits[..<point]) + "." + String(digits[point...])
    }
}
