import GoTemplate

/// Helm's values coalescing (`CoalesceValues`, `MergeValues`, `CoalesceTables`, `MergeTables`):
/// higher-level values win over a chart's defaults, maps merge and everything else is replaced,
/// subchart values live under the subchart's name and receive the parent's `global`.
///
/// Coalescing (`merge == false`) lets a null delete a default key; merging keeps nulls.
struct ValuesCoalescing {
    /// Whether nulls are kept (`MergeValues`) rather than deleting keys (`CoalesceValues`).
    var merge: Bool
    /// The warnings Helm would log, in order.
    var warnings: [String] = []

    /// `coalesce(ch, dest, prefix)`: the chart's defaults under `dest`, then each subchart's.
    mutating func coalesce(_ chart: Chart, _ dest: [String: Value], prefix: String = "") throws(ChartError) -> [String: Value] {
        var dest = dest
        coalesceValues(chart, &dest, prefix: prefix)
        for sub in chart.dependencies {
            switch dest[sub.name] {
            case nil: dest[sub.name] = .map([:])
            case .map?: break
            case let other?: throw ChartError(.valuesMismatch, "type mismatch on \(sub.name): \(Self.goBoolVerb(other))")
            }
            guard var subValues = dest[sub.name]?.mapEntries else { continue }
            let subPrefix = Self.join(prefix, chart.name)
            coalesceGlobals(&subValues, from: dest, prefix: subPrefix)
            dest[sub.name] = .map(try coalesce(sub, subValues, prefix: subPrefix))
        }
        return dest
    }

    /// Copies the parent's `global` into a subchart's values, the parent's entries winning.
    private mutating func coalesceGlobals(_ dest: inout [String: Value], from source: [String: Value], prefix: String) {
        var destGlobals: [String: Value] = [:]
        switch dest["global"] {
        case nil: break
        case .map(let map)?: destGlobals = map.entries
        default:
            warnings.append("warning: skipping globals because destination global is not a table.")
            return
        }
        var sourceGlobals: [String: Value] = [:]
        switch source["global"] {
        case nil: break
        case .map(let map)?: sourceGlobals = map.entries
        default:
            warnings.append("warning: skipping globals because source global is not a table.")
            return
        }
        for (key, value) in sourceGlobals.sorted(by: { $0.key < $1.key }) {
            if let table = value.mapEntries {
                switch destGlobals[key] {
                case nil: destGlobals[key] = value
                case .map(let map)?:
                    let existing = map.entries
                    var forMerge = self
                    forMerge.merge = true
                    let merged = forMerge.coalesceTables(table, existing, prefix: Self.join(prefix, key))
                    warnings = forMerge.warnings
                    destGlobals[key] = .map(merged)
                default: warnings.append("Conflict: cannot merge map onto non-map for \(goQuote(key)). Skipping.")
                }
            } else if case .map? = destGlobals[key] {
                warnings.append("key \(key) is table. Skipping")
            } else {
                destGlobals[key] = value
            }
        }
        dest["global"] = .map(destGlobals)
    }

    /// A chart's defaults under `values`: a null in `values` deletes the key (when coalescing),
    /// maps merge, anything else in `values` stays.
    private mutating func coalesceValues(_ chart: Chart, _ values: inout [String: Value], prefix: String) {
        let subPrefix = Self.join(prefix, chart.name)
        for (key, defaultValue) in chart.values.sorted(by: { $0.key < $1.key }) {
            if let value = values[key] {
                if case .null = value, !merge {
                    values[key] = nil
                } else if let dest = value.mapEntries {
                    guard var source = defaultValue.mapEntries else {
                        if case .null = defaultValue {} else { warnings.append("warning: skipped value for \(subPrefix).\(key): Not a table.") }
                        continue
                    }
                    var inner = self
                    inner.merge = merge || chart.dependencies.contains { $0.name == key }
                    if !inner.merge { source = Self.removingNulls(source) }
                    values[key] = .map(inner.coalesceTables(dest, source, prefix: Self.join(subPrefix, key)))
                    warnings = inner.warnings
                }
            } else {
                var copied = defaultValue
                if !merge {
                    if case .null = defaultValue { continue }
                    if let map = defaultValue.mapEntries { copied = .map(Self.removingNulls(map)) }
                }
                values[key] = copied
            }
        }
    }

    /// `coalesceTablesFullKey`: `source` under `dest`, `dest` winning.
    mutating func coalesceTables(_ dest: [String: Value], _ source: [String: Value], prefix: String = "") -> [String: Value] {
        var dest = dest
        var source = source
        let sourceNonNull = Set(source.filter { !$0.value.isNull }.map(\.key))
        for (key, value) in dest where value.isNull { source[key] = .null }
        for (key, value) in source.sorted(by: { $0.key < $1.key }) {
            let fullKey = Self.join(prefix, key)
            guard let existing = dest[key] else {
                dest[key] = value
                continue
            }
            if !merge, existing.isNull, sourceNonNull.contains(key) {
                dest[key] = nil
            } else if let table = value.mapEntries {
                if let existingTable = existing.mapEntries {
                    dest[key] = .map(coalesceTables(existingTable, table, prefix: fullKey))
                } else {
                    warnings.append("warning: cannot overwrite table with non table for \(fullKey) (\(value.formatted))")
                }
            } else if case .map = existing, !value.isNull {
                warnings.append("warning: destination for \(fullKey) is a table. Ignoring non-table value (\(value.formatted))")
            }
        }
        return dest
    }

    static func removingNulls(_ map: [String: Value]) -> [String: Value] {
        var out: [String: Value] = [:]
        for (key, value) in map {
            switch value {
            case .null: continue
            case .map(let inner): out[key] = .map(removingNulls(inner.entries))
            default: out[key] = value
            }
        }
        return out
    }

    static func join(_ a: String, _ b: String) -> String { a.isEmpty ? b : a + "." + b }

    /// Go's `%t` of a value that is not a bool (`%!t(string=x)`).
    static func goBoolVerb(_ value: Value) -> String {
        switch value {
        case .bool(let flag): return flag ? "true" : "false"
        case .null: return "%!t(<nil>)"
        case .list(let items, _): return "[" + items.map(goBoolVerb).joined(separator: " ") + "]"
        case .map(let map): return "map[" + map.entries.keys.sorted().map { "\($0):\(goBoolVerb(map.entries[$0]!))" }.joined(separator: " ") + "]"
        default: return "%!t(\(value.goType.name)=\(value.formatted))"
        }
    }
}

extension Value {
    /// Whether this is `.null`.
    var isNull: Bool {
        if case .null = self { return true }
        return false
    }
}
