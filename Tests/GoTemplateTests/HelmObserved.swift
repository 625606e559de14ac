import GoTemplate

/// The data and harness the observed-output tables share: the values file the cases ran against in Helm
/// (numbers are `float64`, as Helm reads YAML), and a render that names the template as the case chart did.
enum HelmObserved {
    /// A new map each time: maps are references, and a case's `set` must not reach another case.
    static var values: Value {
        .map([
            "s": .string("hello"), "i": .float(3), "f": .float(1.5), "t": .bool(true), "e": .string(""),
            "l": .list([.string("a"), .string("b"), .string("c")]), "nl": .list([.float(1), .float(2)]),
            "m": .map(["b": .float(2), "a": .float(1), "c": .map(["d": .string("x")])]), "em": .map([:]), "el": .list([]),
        ])
    }

    static let templateName = "chart/templates/out.yaml"

    /// What Helm's engine gives for the case: the output, or `ERROR: ` and Go's error text.
    static func render(_ text: String, missingKey: MissingKey = .zero) -> String {
        var set = TemplateSet(functions: sprigStandIns)
        do {
            let parts = text.components(separatedBy: "\n%%%\n")
            if parts.count == 2 { try set.parse(name: "chart/templates/_defs.tpl", text: parts[0]) }
            try set.parse(name: templateName, text: parts[parts.count - 1])
            return try set.execute(name: templateName, data: .map(["Values": values]), missingKey: missingKey)
        } catch {
            return "ERROR: \(error)"
        }
    }

    /// Stand-ins with the Go signatures of the few Sprig functions the cases call, to observe argument checks.
    static let sprigStandIns: [String: GoFunction] = [
        "dict": dict,
        "list": GoFunction([], variadic: .any) { arguments, _ in .list(arguments) },
        "repeat": GoFunction([.int, .string]) { arguments, _ in
            guard case .int(let count, _) = arguments[0], case .string(let text) = arguments[1] else { return .null }
            return .string(String(repeating: text, count: Int(count)))
        },
        "upper": GoFunction([.string]) { arguments, _ in .string(arguments[0].formatted.uppercased()) },
        "first": GoFunction([.any]) { arguments, _ in
            guard case .list(let items, _) = arguments[0] else { return .null }
            return items.first ?? .null
        },
    ]

    /// Sprig's `dict`, which a few cases use to build a map argument.
    static let dict = GoFunction([], variadic: .any) { arguments, _ in
        var entries: [String: Value] = [:]
        for index in stride(from: 0, to: arguments.count - 1, by: 2) {
            if case .string(let key) = arguments[index] { entries[key] = arguments[index + 1] }
        }
        return .map(entries)
    }

    /// An error as observed: Go's full execution error, or a parse error's location and final part.
    enum ExpectedError: Sendable {
        case exec(String)
        case parse(location: String, suffix: String)
    }
}
