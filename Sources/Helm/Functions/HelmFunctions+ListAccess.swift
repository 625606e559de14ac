import GoTemplate

extension HelmFunctions {
    /// Sprig's list accessors: `first`, `last`, `rest`, `initial`, `slice` and their `must` forms.
    static func listAccess() -> [String: GoFunction] {
        var map: [String: GoFunction] = [:]
        let accessors: [(String, String, @Sendable ([Value]) -> Value)] = [
            ("first", "Cannot find first on type", { $0.first ?? .null }),
            ("last", "Cannot find last on type", { $0.last ?? .null }),
            ("rest", "Cannot find rest on type", { .interfaces(Array($0.dropFirst())) }),
            ("initial", "Cannot find initial on type", { .interfaces(Array($0.dropLast())) }),
        ]
        for (name, message, body) in accessors {
            let function = GoFunction([.any]) { a, _ in
                guard let items = a[0].listItems else { throw listError(message, a[0]) }
                return body(items)
            }
            map[name] = function
            map["must" + name.prefix(1).uppercased() + name.dropFirst()] = function
        }
        let slice = GoFunction([.any], variadic: .any) { a, _ in
            guard case .list(let items, let element) = a[0] else {
                if case .bytes = a[0] { throw GoFunctionError("list should be type of slice or array but slice") }
                if case .null = a[0] { throw listError("", .null) }
                return try { throw GoFunctionError("list should be type of slice or array but \(a[0].kindName)") }()
            }
            if items.isEmpty { return .null }
            let start = a.count > 1 ? a[1].integer : 0
            let end = a.count > 2 ? a[2].integer : items.count
            guard start >= 0, start <= end, end <= items.count else {
                throw GoFunctionError("reflect.Value.Slice: slice index out of bounds")
            }
            return .list(Array(items[start..<end]), element: element)
        }
        map["slice"] = slice
        map["mustSlice"] = slice
        return map
    }
}
