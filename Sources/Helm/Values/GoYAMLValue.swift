import GoTemplate
import Yams

/// A YAML node as go-yaml v2 decodes it into `interface{}`: YAML 1.1 scalar resolution, merge keys
/// applied in document order, keys of any scalar type. `jsonValue()` then gives what
/// sigs.k8s.io/yaml makes of it after its round trip through JSON.
indirect enum GoYAMLValue {
    case null
    case bool(Bool)
    case int(Int64)
    case uint(UInt64)
    case float(Double)
    case string(String)
    case list([GoYAMLValue])
    /// Keys in first-insertion order; a later assignment replaces the value, as a Go map does.
    case map([(key: GoYAMLValue, value: GoYAMLValue)])

    static func decode(_ node: Node) throws(GoFunctionError) -> GoYAMLValue {
        switch node {
        case .scalar(let scalar): return try scalarValue(scalar.string, tag: node.tag.rawValue)
        case .sequence(let sequence):
            var items: [GoYAMLValue] = []
            for item in sequence { items.append(try decode(item)) }
            return .list(items)
        case .mapping(let mapping):
            var entries: [(key: GoYAMLValue, value: GoYAMLValue)] = []
            for (key, value) in mapping {
                if case .scalar(let scalar) = key, scalar.string == "<<", key.tag.rawValue == HelmYAML.plainTag.rawValue {
                    try merge(value, into: &entries)
                    continue
                }
                set(try decode(key), try decode(value), in: &entries)
            }
            return .map(entries)
        case .alias: return .null
        }
    }

    private static func set(_ key: GoYAMLValue, _ value: GoYAMLValue, in entries: inout [(key: GoYAMLValue, value: GoYAMLValue)]) {
        if let index = entries.firstIndex(where: { $0.key.identity == key.identity }) {
            entries[index].value = value
        } else {
            entries.append((key, value))
        }
    }

    /// go-yaml v2's `<<`: a mapping's keys overwrite those set before it; of a sequence of mappings,
    /// earlier ones win.
    private static func merge(_ node: Node, into entries: inout [(key: GoYAMLValue, value: GoYAMLValue)]) throws(GoFunctionError) {
        switch node {
        case .mapping:
            guard case .map(let merged) = try decode(node) else { return }
            for (key, value) in merged { set(key, value, in: &entries) }
        case .sequence(let sequence):
            for item in sequence.reversed() {
                guard case .mapping = item else { throw GoFunctionError("map merge requires map or sequence of maps as the value") }
                try merge(item, into: &entries)
            }
        default:
            throw GoFunctionError("map merge requires map or sequence of maps as the value")
        }
    }

    /// A key's identity in a Go `map[interface{}]interface{}`.
    private var identity: String {
        switch self {
        case .null: "n"
        case .bool(let flag): "b\(flag)"
        case .int(let number): "i\(number)"
        case .uint(let number): "u\(number)"
        case .float(let number): "f\(number)"
        case .string(let text): "s" + text
        case .list, .map: "x"
        }
    }

    private static func scalarValue(_ text: String, tag: String) throws(GoFunctionError) -> GoYAMLValue {
        let yamlTag = "tag:yaml.org,2002:"
        switch tag {
        case HelmYAML.plainTag.rawValue: return resolvePlain(text)
        case yamlTag + "null": return .null
        case yamlTag + "binary":
            guard let bytes = Base64.decode(text) else { throw GoFunctionError("!!binary value contains invalid base64 data") }
            return .string(String(decoding: bytes, as: UTF8.self))
        case yamlTag + "bool", yamlTag + "int", yamlTag + "float", yamlTag + "timestamp":
            let resolved = resolvePlain(text)
            switch (tag.dropFirst(yamlTag.count), resolved) {
            case ("bool", .bool), ("int", .int), ("int", .uint), ("float", .float), ("timestamp", .string): return resolved
            case ("float", .int(let number)): return .float(Double(number))
            case ("float", .uint(let number)): return .float(Double(number))
            default: throw GoFunctionError("cannot decode \(resolved.shortTag) `\(text)` as a !!\(tag.dropFirst(yamlTag.count))")
            }
        default:
            return .string(text)
        }
    }

    private var shortTag: String {
        switch self {
        case .null: "!!null"
        case .bool: "!!bool"
        case .int, .uint: "!!int"
        case .float: "!!float"
        case .string: "!!str"
        case .list: "!!seq"
        case .map: "!!map"
        }
    }
}
