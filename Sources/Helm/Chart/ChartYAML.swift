import GoTemplate
import Yams

/// YAML reading for the chart loader.
///
/// TODO(values): a stand-in on Yams until the values helper's Helm YAML reader lands in
/// `Sources/Helm/Values/`; then `document` and `values` delegate to it.
enum ChartYAML {
    /// One YAML document as a value: integers stay `.int(_, .int64)` (callers that need Helm's
    /// float reading convert), keys become strings.
    static func document(_ text: String) throws(ChartError) -> Value {
        do {
            guard let node = try Yams.compose(yaml: text) else { return .null }
            return try value(node)
        } catch let error as ChartError {
            throw error
        } catch {
            throw ChartError(.invalidValues, "error converting YAML to JSON: \(error)")
        }
    }

    /// A values file as Helm's `LoadValues` reads it: every document's map merged in order,
    /// every number a float.
    static func values(_ text: String) throws(ChartError) -> [String: Value] {
        var merged: [String: Value] = [:]
        do {
            for node in try Yams.compose_all(yaml: text) {
                switch floated(try value(node)) {
                case .map(let map, _): merged = mergeMaps(merged, map)
                case .null: continue
                default: throw ChartError(.invalidValues, "cannot unmarshal yaml document: the document is not a map")
                }
            }
        } catch let error as ChartError {
            throw error
        } catch {
            throw ChartError(.invalidValues, "error reading yaml document: \(error)")
        }
        return merged
    }

    /// Every integer turned into a float, as Helm's values reader does.
    static func floated(_ value: Value) -> Value {
        switch value {
        case .int(let number, _): .float(Double(number))
        case .list(let items, let element): .list(items.map(floated), element: element)
        case .map(let entries, let element): .map(entries.mapValues(floated), element: element)
        default: value
        }
    }

    /// Helm's `MergeMaps` between documents: maps merge, lists concatenate, the rest is replaced.
    private static func mergeMaps(_ a: [String: Value], _ b: [String: Value]) -> [String: Value] {
        var out = a
        for (key, new) in b {
            switch (out[key], new) {
            case (.map(let old, _)?, .map(let added, _)): out[key] = .map(mergeMaps(old, added))
            case (.list(let old, _)?, .list(let added, _)): out[key] = .list(old + added)
            default: out[key] = new
            }
        }
        return out
    }

    private static func value(_ node: Node) throws -> Value {
        switch node {
        case .scalar(let scalar):
            switch node.tag.rawValue {
            case Tag.Name.null.rawValue: return .null
            case Tag.Name.bool.rawValue: return node.bool.map(Value.bool) ?? .string(scalar.string)
            case Tag.Name.int.rawValue:
                if let int = node.int { return .int(Int64(int), .int64) }
                return node.float.map(Value.float) ?? .string(scalar.string)
            case Tag.Name.float.rawValue: return node.float.map(Value.float) ?? .string(scalar.string)
            default: return .string(scalar.string)
            }
        case .mapping(let mapping):
            var entries: [String: Value] = [:]
            for (key, item) in mapping {
                let name: String
                switch try value(key) {
                case .string(let text): name = text
                case .null: name = "null"
                case let other: name = other.formatted
                }
                if name == "<<", case .map(let merged, _) = try value(item) {
                    for (mergedKey, mergedValue) in merged where entries[mergedKey] == nil { entries[mergedKey] = mergedValue }
                    continue
                }
                entries[name] = try value(item)
            }
            return .map(entries)
        case .sequence(let sequence):
            return .list(try sequence.map(value))
        case .alias:
            throw ChartError(.invalidValues, "yaml: unresolved alias")
        }
    }
}
