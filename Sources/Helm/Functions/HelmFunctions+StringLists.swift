import GoTemplate

extension HelmFunctions {
    /// Sprig's functions between strings and string lists.
    static func stringLists() -> [String: GoFunction] {
        [
            "split": GoFunction([.string, .string]) { a, _ in splitMap(goSplit(a[1].text, a[0].text, -1)) },
            "splitList": GoFunction([.string, .string]) { a, _ in .strings(goSplit(a[1].text, a[0].text, -1)) },
            "splitn": GoFunction([.string, .int, .string]) { a, _ in splitMap(goSplit(a[2].text, a[0].text, a[1].integer)) },
            "toStrings": GoFunction([.any]) { a, _ in .strings(stringSlice(a[0])) },
            "join": GoFunction([.string, .any]) { a, _ in .string(stringSlice(a[1]).joined(separator: a[0].text)) },
            "sortAlpha": GoFunction([.any]) { a, _ in
                guard a[0].listItems != nil else { return .strings([a[0].sprigString]) }
                return .strings(stringSlice(a[0]).sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) })
            },
        ]
    }

    /// Sprig's `strslice`: a list's non-nil items as strings, or the value itself as the only string.
    static func stringSlice(_ value: Value) -> [String] {
        switch value {
        case .null: return []
        case .list(let items, _): return items.compactMap { if case .null = $0 { nil } else { $0.sprigString } }
        case .bytes(let bytes): return bytes.map { String($0) }
        default: return [value.sprigString]
        }
    }

    /// `split`'s map: `_0`, `_1`... to the parts.
    static func splitMap(_ parts: [String]) -> Value {
        var map: [String: Value] = [:]
        for (index, part) in parts.enumerated() { map["_\(index)"] = .string(part) }
        return .map(map, element: .string)
    }

    /// Go's `strings.SplitN` (`count` < 0: all parts; 0: none; an empty separator splits runes).
    static func goSplit(_ text: String, _ separator: String, _ count: Int) -> [String] {
        if count == 0 { return [] }
        if separator.isEmpty {
            var parts = text.unicodeScalars.map { String($0) }
            if count > 0, parts.count > count {
                let rest = parts[(count - 1)...].joined()
                parts = Array(parts[..<(count - 1)]) + [rest]
            }
            return parts
        }
        var parts: [String] = []
        var rest = Substring(text)
        while count < 0 || parts.count < count - 1, let range = rest.range(of: separator) {
            parts.append(String(rest[..<range.lowerBound]))
            rest = rest[range.upperBound...]
        }
        parts.append(String(rest))
        return parts
    }
}
