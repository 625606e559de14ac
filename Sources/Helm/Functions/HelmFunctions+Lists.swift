import GoTemplate

extension HelmFunctions {
    /// Sprig's list constructors and transformations; the `must` forms return the error the plain forms panic with.
    static func lists() -> [String: GoFunction] {
        var map: [String: GoFunction] = [
            "list": GoFunction([], variadic: .any) { a, _ in .interfaces(a) },
            "tuple": GoFunction([], variadic: .any) { a, _ in .interfaces(a) },
            "has": GoFunction([.any, .any]) { a, _ in try has(a[0], in: a[1]) },
            "mustHas": GoFunction([.any, .any]) { a, _ in try has(a[0], in: a[1]) },
            "concat": GoFunction([], variadic: .any) { a, _ in
                var out: [Value] = []
                for list in a {
                    guard let items = list.listItems else { throw GoFunctionError("Cannot concat type \(list.kindName) as list") }
                    out += items
                }
                return .interfaces(out)
            },
        ]
        let transforms: [(String, String, @Sendable ([Value], [Value]) throws -> Value)] = [
            ("append", "Cannot push on type", { items, rest in .interfaces(items + [rest[0]]) }),
            ("push", "Cannot push on type", { items, rest in .interfaces(items + [rest[0]]) }),
            ("prepend", "Cannot prepend on type", { items, rest in .interfaces([rest[0]] + items) }),
            ("reverse", "Cannot find reverse on type", { items, _ in .interfaces(items.reversed()) }),
            ("compact", "Cannot compact on type", { items, _ in .interfaces(items.filter { !$0.isSprigEmpty }) }),
            (
                "uniq", "Cannot find uniq on type",
                { items, _ in
                    var out: [Value] = []
                    for item in items where !out.contains(where: { deepEqual($0, item) }) { out.append(item) }
                    return .interfaces(out)
                }
            ),
        ]
        for (name, message, body) in transforms {
            let takesValue = ["append", "push", "prepend"].contains(name)
            let function = GoFunction(takesValue ? [.any, .any] : [.any]) { a, _ in
                guard let items = a[0].listItems else { throw listError(message, a[0]) }
                return try body(items, Array(a.dropFirst()))
            }
            map[name] = function
            map["must" + name.prefix(1).uppercased() + name.dropFirst()] = function
        }
        let without = GoFunction([.any], variadic: .any) { a, _ in
            guard let items = a[0].listItems else { throw listError("Cannot find without on type", a[0]) }
            let omit = a.dropFirst()
            return .interfaces(items.filter { item in !omit.contains { deepEqual($0, item) } })
        }
        map["without"] = without
        map["mustWithout"] = without
        let chunk = GoFunction([.int, .any]) { a, _ in
            guard let items = a[1].listItems else { throw listError("Cannot chunk type", a[1]) }
            let size = a[0].integer
            guard size > 0 || items.isEmpty else { throw GoFunctionError("runtime error: makeslice: len out of range") }
            let chunks = stride(from: 0, to: items.count, by: Swift.max(size, 1)).map {
                Value.interfaces(Array(items[$0..<Swift.min($0 + size, items.count)]))
            }
            return .list(chunks, element: GoType("[]interface {}"))
        }
        map["chunk"] = chunk
        map["mustChunk"] = chunk
        return map
    }

    /// The error a list function gives a value that is not a list.
    static func listError(_ message: String, _ value: Value) -> GoFunctionError {
        if case .null = value { return GoFunctionError("runtime error: invalid memory address or nil pointer dereference") }
        return GoFunctionError("\(message) \(value.kindName)")
    }

    private static func has(_ needle: Value, in haystack: Value) throws -> Value {
        if case .null = haystack { return .bool(false) }
        guard let items = haystack.listItems else { throw listError("Cannot find has on type", haystack) }
        return .bool(items.contains { deepEqual($0, needle) })
    }

    /// Go's `reflect.DeepEqual` on template values: same dynamic type and equal contents. A
    /// value that holds itself equals only itself.
    static func deepEqual(_ a: Value, _ b: Value) -> Bool {
        if a.holdsItself || b.holdsItself {
            if case .map(let x) = a, case .map(let y) = b { return x.isSame(as: y) }
            return false
        }
        return deepEqualTrees(a, b)
    }

    private static func deepEqualTrees(_ a: Value, _ b: Value) -> Bool {
        switch (a, b) {
        case (.null, .null): return true
        case (.bool(let x), .bool(let y)): return x == y
        case (.int(let x, let k), .int(let y, let l)): return x == y && k == l
        case (.float(let x), .float(let y)): return x == y
        case (.string(let x), .string(let y)): return x == y
        case (.bytes(let x), .bytes(let y)): return x == y
        case (.list(let x, let e), .list(let y, let f)): return e == f && x.count == y.count && zip(x, y).allSatisfy { deepEqualTrees($0, $1) }
        case (.map(let a), .map(let b)):
            let (x, y) = (a.entries, b.entries)
            return a.element == b.element && x.count == y.count && x.allSatisfy { key, value in y[key].map { deepEqualTrees(value, $0) } ?? false }
        case (.object(let x), .object(let y)): return x.goType == y.goType && x.formatted == y.formatted
        default: return false
        }
    }
}
