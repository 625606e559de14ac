import Foundation

/// Reads plain YAML scalars the way kustomize v5 does (go-yaml v3 resolution, then JSON):
/// only `true`/`false` in three spellings are booleans (`yes` and `on` stay strings), `0123`
/// is octal, underscores are dropped from numbers, integers stay exact across the whole
/// `Int64` and `UInt64` range, and timestamps become RFC 3339 strings.
enum ScalarResolver {
    /// Why a scalar could not be read.
    enum Failure: Error, Equatable {
        /// A float that JSON cannot carry (`.inf`, `.nan`).
        case nonFinite
        /// The explicit tag does not fit the text (`!!int 1.5`); carries what was found.
        case mismatch(found: String)
    }

    /// The explicit tag on a scalar, reduced to what resolution needs.
    enum Tag: Equatable {
        case implicit, string, int, float, bool, null, timestamp, binary
        /// A tag this reader does not interpret: the text is kept as a string.
        case other
    }

    private enum Mapped { case value(JSONValue), nonFinite }

    private static let mapped: [String: Mapped] = {
        var table: [String: Mapped] = [:]
        for s in ["true", "True", "TRUE"] { table[s] = .value(.bool(true)) }
        for s in ["false", "False", "FALSE"] { table[s] = .value(.bool(false)) }
        for s in ["", "~", "null", "Null", "NULL"] { table[s] = .value(.null) }
        for s in [".nan", ".NaN", ".NAN", ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF"] {
            table[s] = .nonFinite
        }
        return table
    }()

    /// The first bytes of the words in `mapped`.
    private static let mappedFirstBytes: Set<UInt8> = Set(mapped.keys.compactMap(\.utf8.first))

    /// What a plain scalar reads as before a tag is applied.
    private enum Reading {
        case value(JSONValue), timestamp(String), nonFinite
    }

    /// Resolves a plain (or explicitly tagged) scalar's text into a value.
    static func resolve(_ text: String, tag: Tag = .implicit) -> Result<JSONValue, Failure> {
        switch tag {
        case .string, .other: return .success(.string(text))
        case .binary: return .success(.string(decodeBinary(text) ?? text))
        default: break
        }
        let reading = read(text, tryTimestamp: tag == .implicit || tag == .timestamp)
        switch (tag, reading) {
        case (.implicit, .value(let v)): return .success(v)
        case (.implicit, .timestamp(let s)), (.timestamp, .timestamp(let s)): return .success(.string(s))
        case (_, .nonFinite): return .failure(.nonFinite)
        case (.int, .value(.number(let n))) where !n.isFloatingPoint: return .success(.number(n))
        case (.float, .value(.number(let n))): return .success(.number(JSONNumber(n.doubleValue)))
        case (.bool, .value(.bool(let b))): return .success(.bool(b))
        case (.null, .value(.null)): return .success(.null)
        case (_, .value(let v)): return .failure(.mismatch(found: found(v)))
        case (_, .timestamp): return .failure(.mismatch(found: "!!timestamp"))
        }
    }

    /// Whether a plain scalar with this text reads back as the same string (no quotes needed
    /// for kustomize's reader).
    static func readsAsPlainString(_ text: String) -> Bool {
        if case .value(.string) = read(text, tryTimestamp: true) { return true }
        return false
    }

    private static func found(_ value: JSONValue) -> String {
        switch value {
        case .number(let n): n.isFloatingPoint ? "!!float" : "!!int"
        case .bool: "!!bool"
        case .null: "!!null"
        default: "!!str"
        }
    }

    private static func read(_ text: String, tryTimestamp: Bool) -> Reading {
        guard let first = text.utf8.first else { return .value(.null) }
        // Only the words in `mapped` start with these bytes: most scalars skip hashing.
        if mappedFirstBytes.contains(first), let hit = mapped[text] {
            switch hit {
            case .value(let v): return .value(v)
            case .nonFinite: return .nonFinite
            }
        }
        switch first {
        case UInt8(ascii: "."):
            if let d = decimalFloat(text) { return .value(.number(JSONNumber(d))) }
        case UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "+"), UInt8(ascii: "-"):
            if tryTimestamp, let stamp = Timestamp.parse(text) { return .timestamp(stamp) }
            let plain = String(text.filter { $0 != "_" })
            if let n = goParseInt(plain) { return .value(.number(n)) }
            if let d = decimalFloat(plain) { return .value(.number(JSONNumber(d))) }
        default:
            break
        }
        return .value(.string(text))
    }

    /// Go's `strconv.ParseInt(s, 0, 64)`, falling back to `ParseUint(s, 0, 64)`, plus the
    /// `0b`/`0o` spellings: base prefixes `0x`, `0o`, `0b`, and a leading `0` for octal.
    static func goParseInt(_ s: String) -> JSONNumber? {
        var digits = Substring(s)
        var negative = false
        if let sign = digits.first, sign == "+" || sign == "-" {
            negative = sign == "-"
            digits = digits.dropFirst()
        }
        var radix: UInt64 = 10
        let lower = digits.lowercased()
        if lower.hasPrefix("0x") {
            radix = 16
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0o") {
            radix = 8
            digits = digits.dropFirst(2)
        } else if lower.hasPrefix("0b") {
            radix = 2
            digits = digits.dropFirst(2)
        } else if digits.count > 1, digits.first == "0" {
            radix = 8
            digits = digits.dropFirst()
        }
        guard let lead = digits.first, lead.isHexDigit, let magnitude = UInt64(digits, radix: Int(radix)) else { return nil }
        if negative {
            if magnitude <= UInt64(Int64.max) { return JSONNumber(-Int64(magnitude)) }
            if magnitude == UInt64(Int64.max) + 1 { return JSONNumber(Int64.min) }
            return nil
        }
        return JSONNumber(magnitude)
    }

    /// A decimal float in YAML's style (`1.5`, `.5`, `1.`, `1e3`), finite; `nil` otherwise.
    static func decimalFloat(_ s: String) -> Double? {
        var bytes = Substring(s).utf8[...]
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
        func digitRun() -> Int {
            let run = bytes.prefix { $0 >= UInt8(ascii: "0") && $0 <= UInt8(ascii: "9") }.count
            bytes = bytes.dropFirst(run)
            return run
        }
        if bytes.first == UInt8(ascii: ".") {
            bytes = bytes.dropFirst()
            guard digitRun() > 0 else { return nil }
        } else {
            guard digitRun() > 0 else { return nil }
            if bytes.first == UInt8(ascii: ".") {
                bytes = bytes.dropFirst()
                _ = digitRun()
            }
        }
        if let e = bytes.first, e == UInt8(ascii: "e") || e == UInt8(ascii: "E") {
            bytes = bytes.dropFirst()
            if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") { bytes = bytes.dropFirst() }
            guard digitRun() > 0 else { return nil }
        }
        guard bytes.isEmpty, let d = Double(s), d.isFinite else { return nil }
        return d
    }

    /// `!!binary`: base64 (line breaks allowed) decoded, invalid UTF-8 replaced as Go's JSON does.
    private static func decodeBinary(_ text: String) -> String? {
        let compact = text.filter { !$0.isWhitespace }
        guard let bytes = Data(base64Encoded: compact) else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}

extension JSONValue {
    /// The value a plain (unquoted, untagged) YAML scalar with this text reads as, the way
    /// kustomize's reader resolves it; a float JSON cannot carry stays a string.
    public static func plainScalar(_ text: String) -> JSONValue {
        (try? ScalarResolver.resolve(text).get()) ?? .string(text)
    }
}
