import GoTemplate

extension HelmFunctions {
    /// Sprig's dictionary functions. `set`, `unset` and the merges return the changed dictionary.
    static func dicts() -> [String: GoFunction] {
        [
            "dict": GoFunction([], variadic: .any) { a, _ in
                var map: [String: Value] = [:]
                map.reserveCapacity((a.count + 1) / 2)
                for index in stride(from: 0, to: a.count, by: 2) {
                    map[a[index].sprigString] = index + 1 < a.count ? a[index + 1] : .string("")
                }
                return .map(map)
            },
            "get": GoFunction([.map, .string]) { a, _ in entries(a[0])[a[1].text] ?? .string("") },
            "set": GoFunction([.map, .string, .any]) { a, _ in
                guard case .map(let map) = a[0] else { return .map([a[1].text: a[2]]) }
                try map.set(a[1].text, a[2])
                // Sprig returns it as `map[string]interface {}`, whatever its named type.
                return .map(map.named(nil))
            },
            "unset": GoFunction([.map, .string]) { a, _ in
                guard case .map(let map) = a[0] else { return .map([:]) }
                try map.remove(a[1].text)
                return .map(map.named(nil))
            },
            "hasKey": GoFunction([.map, .string]) { a, _ in .bool(entries(a[0])[a[1].text] != nil) },
            "pluck": GoFunction([.string], variadic: .map) { a, _ in .interfaces(a.dropFirst().compactMap { entries($0)[a[0].text] }) },
            "keys": GoFunction([], variadic: .map) { a, _ in .strings(a.flatMap { entries($0).keys.sorted() }) },
            "values": GoFunction([.map]) { a, _ in .interfaces(entries(a[0]).sorted { $0.key < $1.key }.map(\.value)) },
            "pick": GoFunction([.map], variadic: .string) { a, _ in
                let map = entries(a[0])
                return .map(map.filter { key, _ in a.dropFirst().contains { $0.text == key } })
            },
            "omit": GoFunction([.map], variadic: .string) { a, _ in
                let map = entries(a[0])
                return .map(map.filter { key, _ in !a.dropFirst().contains { $0.text == key } })
            },
            "merge": GoFunction([.map], variadic: .map) { a, _ in try merged(a, overwrite: false) },
            "mustMerge": GoFunction([.map], variadic: .map) { a, _ in try merged(a, overwrite: false) },
            "mergeOverwrite": GoFunction([.map], variadic: .map) { a, _ in try merged(a, overwrite: true) },
            "mustMergeOverwrite": GoFunction([.map], variadic: .map) { a, _ in try merged(a, overwrite: true) },
            "dig": GoFunction([], variadic: .any) { a, _ in
                guard a.count >= 3 else { throw GoFunctionError("dig needs at least three arguments") }
                guard let map = a[a.count - 1].mapEntries else {
                    throw GoFunctionError("interface conversion: interface {} is \(a[a.count - 1].goType), not map[string]interface {}")
                }
                var keys: [String] = []
                for key in a.dropLast(2) {
                    guard case .string(let text) = key else {
                        throw GoFunctionError("interface conversion: interface {} is \(key.goType), not string")
                    }
                    keys.append(text)
                }
                return try dig(map, keys[...], default: a[a.count - 2])
            },
        ]
    }

    /// The entries of a map argument (`nil` maps are empty).
    static func entries(_ value: Value) -> [String: Value] {
        if let map = value.mapEntries { return map }
        return [:]
    }

    private static func dig(_ map: [String: Value], _ keys: ArraySlice<String>, default fallback: Value) throws -> Value {
        guard let step = map[keys.first!] else { return fallback }
        if keys.count == 1 { return step }
        guard let inner = step.mapEntries else {
            throw GoFunctionError("interface conversion: interface {} is \(step.goType), not map[string]interface {}")
        }
        return try dig(inner, keys.dropFirst(), default: fallback)
    }

    /// mergo's `Merge` (and `WithOverride`) of each source into the first map, in place, recursing
    /// into nested maps; a map the destination lacks is shared with the source, as mergo shares it.
    static func merged(_ maps: [Value], overwrite: Bool) throws -> Value {
        // mergo would recurse without end; Keelson says why.
        if maps.contains(where: \.holdsItself) { throw GoFunctionError("cannot merge a map that holds itself") }
        let destination: GoMap
        if case .map(let map) = maps[0] { destination = map } else { destination = GoMap() }
        for source in maps.dropFirst() { try merge(into: destination, entries(source), overwrite: overwrite) }
        return .map(destination.named(nil))
    }

    private static func merge(into destination: GoMap, _ source: [String: Value], overwrite: Bool) throws(SharedMapChange) {
        for (key, value) in source {
            let existing = destination[key]
            if case .null = value {
                if overwrite { try destination.set(key, value) }
                continue
            }
            if case .map(let inner)? = existing, case .map(let sourceInner) = value {
                try merge(into: inner, sourceInner.entries, overwrite: overwrite)
                // mergo then keeps a merged map that is not empty.
                if !inner.entries.isEmpty { continue }
            }
            let isContainer: Bool
            switch value {
            case .map, .list: isContainer = true
            default: isContainer = false
            }
            if !overwrite, let existing, !existing.isSprigEmpty, isContainer { continue }
            if overwrite || existing == nil || existing!.isSprigEmpty { try destination.set(key, value) }
        }
    }
}
