import GoTemplate

/// What a tenant's template may cost: ESO's renderer runs templates a namespace's user writes,
/// inside the controller, so every function that can amplify its input (`repeat`, `until`,
/// `indent`, `join`, a `printf` width) is checked before it allocates, every result is capped,
/// and every regular expression a function is given must pass `TenantRegex`. Helm's own map is
/// left as it is: charts are not held to these limits. External secrets' templates and
/// ApplicationSet templates (both written by tenants) run through it.
public enum TemplateBounds {
    /// The largest string a function may return, and the largest rendered value (a Secret's size).
    public static let maximumBytes = 1024 * 1024
    /// The longest list a function may return.
    static let maximumCount = 100_000
    /// The widest `printf` width or precision.
    static let maximumFormatWidth = 4096

    /// A function refused by a bound; its message names no value.
    public struct Refusal: Error, CustomStringConvertible {
        /// What was refused.
        public var message: String
        public var description: String { message }
    }

    static let listMakers: Set<String> = ["until", "untilStep", "seq"]
    static let padders: Set<String> = ["indent", "nindent", "randAlpha", "randAlphaNum", "randNumeric", "randAscii", "randBytes"]
    static let regexFunctions: Set<String> = [
        "regexMatch", "mustRegexMatch", "regexFindAll", "mustRegexFindAll", "regexFind", "mustRegexFind", "regexReplaceAll",
        "mustRegexReplaceAll", "regexReplaceAllLiteral", "mustRegexReplaceAllLiteral", "regexSplit", "mustRegexSplit",
    ]

    /// `functions` with every function bounded, and `printf` with its widths checked.
    public static func bounded(_ functions: [String: GoFunction]) -> [String: GoFunction] {
        var out: [String: GoFunction] = [:]
        for (name, function) in functions {
            var wrapped = function
            let body = function.body
            wrapped.body = { arguments, context in
                try precheck(name, arguments)
                return try checked(try body(arguments, context))
            }
            out[name] = wrapped
        }
        out["printf"] = GoFunction([.string], variadic: .any) { arguments, _ in
            let format = arguments[0].formatted
            try checkFormat(format)
            return try checked(.string(GoFormat.sprintf(format, Array(arguments.dropFirst()))))
        }
        return out
    }

    /// Refuses a call whose result would be too large, or whose pattern is not a tenant's to run.
    static func precheck(_ name: String, _ arguments: [Value]) throws(Refusal) {
        if regexFunctions.contains(name), case .string(let pattern)? = arguments.first, let reason = TenantRegex.refusal(pattern) {
            throw Refusal(message: "the regular expression is refused: \(reason)")
        }
        let integers = arguments.compactMap { argument -> Int64? in if case .int(let value, _) = argument { value } else { nil } }
        switch name {
        case "repeat":
            guard arguments.count == 2, case .int(let count, _) = arguments[0], case .string(let text) = arguments[1] else { return }
            let (product, overflow) = Int64(text.utf8.count).multipliedReportingOverflow(by: max(count, 0))
            if overflow || product > maximumBytes { throw Refusal(message: "the result would exceed \(maximumBytes) bytes") }
        case "join":
            guard arguments.count == 2, case .list(let items, _) = arguments[1] else { return }
            var total = 0
            for item in items {
                total += item.formatted.utf8.count + (arguments[0].formatted.utf8.count)
                if total > maximumBytes { throw Refusal(message: "the result would exceed \(maximumBytes) bytes") }
            }
        case _ where listMakers.contains(name):
            if integers.contains(where: { $0.magnitude > maximumCount }) { throw Refusal(message: "the list would exceed \(maximumCount) items") }
        case _ where padders.contains(name):
            if integers.contains(where: { $0.magnitude > maximumBytes }) { throw Refusal(message: "the result would exceed \(maximumBytes) bytes") }
        default:
            return
        }
    }

    /// `value`, or a refusal when it is larger than the bounds.
    static func checked(_ value: Value) throws(Refusal) -> Value {
        switch value {
        case .string(let text) where text.utf8.count > maximumBytes: throw Refusal(message: "the result exceeds \(maximumBytes) bytes")
        case .bytes(let bytes) where bytes.count > maximumBytes: throw Refusal(message: "the result exceeds \(maximumBytes) bytes")
        case .list(let items, _) where items.count > maximumCount: throw Refusal(message: "the list exceeds \(maximumCount) items")
        default: return value
        }
    }

    /// Refuses a format whose width or precision (a number, or `*`) could pad beyond the bounds.
    static func checkFormat(_ format: String) throws(Refusal) {
        guard format.utf8.count <= maximumBytes else { throw Refusal(message: "the format exceeds \(maximumBytes) bytes") }
        var digits = 0
        var inVerb = false
        for scalar in format.unicodeScalars {
            if scalar == "%" {
                inVerb.toggle()
                digits = 0
                continue
            }
            guard inVerb else { continue }
            if ("0"..."9").contains(scalar) {
                digits += 1
                if digits > String(maximumFormatWidth).count { throw Refusal(message: "a width or precision exceeds \(maximumFormatWidth)") }
            } else if scalar == "*" {
                throw Refusal(message: "a width or precision given as an argument (*) is not allowed")
            } else if scalar == "." || scalar == "-" || scalar == "+" || scalar == " " || scalar == "#" || scalar == "[" || scalar == "]" {
                digits = 0
            } else {
                inVerb = false
                digits = 0
            }
        }
    }
}
