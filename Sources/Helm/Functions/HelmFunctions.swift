import GoTemplate

/// The function map Helm 4 gives templates, apart from the engine's own (`include`, `tpl`, `required`,
/// `fail`, `lookup`, Go's builtins) and the serialization codecs (`toYaml`, `toJson`...).
///
/// ```swift
/// let functions = HelmFunctions.sprig(random: SeededRandomSource(seed: seed), clock: .fixed(instant))
/// ```
public enum HelmFunctions {
    /// Sprig v3's text function map as Helm keeps it (`env` and `expandenv` removed), with random bytes
    /// from `random` and `now` from `clock`.
    public static func sprig(random: any RandomSource = SystemRandomSource(), clock: TemplateClock = .system) -> [String: GoFunction] {
        var map = independent
        for family in [dates(clock: clock), randoms(random), crypto(random), certificates(random, clock: clock)] {
            map.merge(family) { first, _ in first }
        }
        return map
    }

    /// The families that need neither the random source nor the clock, made once.
    private static let independent: [String: GoFunction] = {
        var map: [String: GoFunction] = [:]
        let families = [
            strings(), stringLists(), math(), floatMath(), lists(), listAccess(), dicts(), defaults(), reflection(),
            encodings(), paths(), regex(), semver(), urls(),
        ]
        for family in families { map.merge(family) { first, _ in first } }
        return map
    }()

    /// The Sprig names Helm deletes: a chart may not read the renderer's environment.
    public static let removed: Set<String> = ["env", "expandenv"]
}

extension GoFunction {
    /// `func(string) string`.
    static func stringToString(_ body: @escaping @Sendable (String) -> String) -> GoFunction {
        GoFunction([.string]) { arguments, _ in .string(body(arguments[0].text)) }
    }

    /// `func(a, b string) string`.
    static func twoStrings(_ body: @escaping @Sendable (String, String) -> String) -> GoFunction {
        GoFunction([.string, .string]) { arguments, _ in .string(body(arguments[0].text, arguments[1].text)) }
    }

    /// `func(a, b string) bool`.
    static func stringTest(_ body: @escaping @Sendable (String, String) -> Bool) -> GoFunction {
        GoFunction([.string, .string]) { arguments, _ in .bool(body(arguments[0].text, arguments[1].text)) }
    }
}

extension Value {
    /// The text of a string argument (the engine has already checked the parameter type).
    var text: String { if case .string(let text) = self { text } else { sprigString } }
    /// The value of an `int` argument.
    var integer: Int { Int(truncatingIfNeeded: sprigInt64) }
}

/// Go's runtime error for a slice expression out of range, as a recovered panic reads.
func sliceBoundsError(_ low: Int?, _ high: Int?, length: Int) -> GoFunctionError {
    switch (low, high) {
    case (nil, let high?): GoFunctionError("runtime error: slice bounds out of range [:\(high)] with length \(length)")
    case (let low?, nil): GoFunctionError("runtime error: slice bounds out of range [\(low):\(length)]")
    case (_?, let high?) where high > length: GoFunctionError("runtime error: slice bounds out of range [:\(high)] with length \(length)")
    case (let low?, let high?): GoFunctionError("runtime error: slice bounds out of range [\(low):\(high)]")
    default: GoFunctionError("runtime error: slice bounds out of range")
    }
}

/// Go's `s[low:high]` on the bytes of a string, with Go's panics.
func byteSlice(_ text: String, _ low: Int?, _ high: Int?) throws(GoFunctionError) -> String {
    let bytes = GoString.bytes(text)
    let start = low ?? 0
    let end = high ?? bytes.count
    if let high, high < 0 || high > bytes.count { throw sliceBoundsError(nil, high, length: bytes.count) }
    if start < 0 || start > end { throw sliceBoundsError(start, high == nil ? nil : end, length: bytes.count) }
    return GoString.decode(bytes[start..<end])
}
