import GoTemplate

extension HelmFunctions {
    /// Sprig's defaults and emptiness tests.
    static func defaults() -> [String: GoFunction] {
        let compact = GoFunction([.any]) { a, _ in
            guard let items = a[0].listItems else { throw listError("Cannot compact on type", a[0]) }
            return .interfaces(items.filter { !$0.isSprigEmpty })
        }
        let deepCopy = GoFunction([.any]) { a, _ in
            if case .null = a[0] { throw GoFunctionError("reflect: call of reflect.Value.Type on zero Value") }
            return a[0].deepCopied()
        }
        return [
            "default": GoFunction([.any], variadic: .any) { a, _ in
                a.count < 2 || a[1].isSprigEmpty ? a[0] : a[1]
            },
            "empty": GoFunction([.any]) { a, _ in .bool(a[0].isSprigEmpty) },
            "coalesce": GoFunction([], variadic: .any) { a, _ in a.first { !$0.isSprigEmpty } ?? .null },
            "all": GoFunction([], variadic: .any) { a, _ in .bool(a.allSatisfy { !$0.isSprigEmpty }) },
            "any": GoFunction([], variadic: .any) { a, _ in .bool(a.contains { !$0.isSprigEmpty }) },
            "compact": compact,
            "mustCompact": compact,
            "ternary": GoFunction([.any, .any, .bool]) { a, _ in
                if case .bool(true) = a[2] { return a[0] }
                return a[1]
            },
            "deepCopy": deepCopy,
            "mustDeepCopy": deepCopy,
        ]
    }

    /// Sprig's reflection functions.
    static func reflection() -> [String: GoFunction] {
        [
            "typeOf": GoFunction([.any]) { a, _ in .string(a[0].goType.name) },
            "typeIs": GoFunction([.string, .any]) { a, _ in .bool(a[0].text == a[1].goType.name) },
            "typeIsLike": GoFunction([.string, .any]) { a, _ in
                let type = a[1].goType.name
                return .bool(a[0].text == type || "*" + a[0].text == type)
            },
            "kindOf": GoFunction([.any]) { a, _ in .string(a[0].goKind) },
            "kindIs": GoFunction([.string, .any]) { a, _ in .bool(a[0].text == a[1].goKind) },
            "deepEqual": GoFunction([.any, .any]) { a, _ in .bool(deepEqual(a[0], a[1])) },
        ]
    }
}
