import GoTemplate
import Manifests

/// sigs.k8s.io/yaml's conversion of a go-yaml value to JSON and back into `interface{}`.
extension GoYAMLValue {
    /// The value after `json.Marshal` and `json.Unmarshal` into `interface{}`: numbers become
    /// `float64`, keys strings.
    func jsonValue() throws(GoFunctionError) -> Value {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .float(Double(number))
        case .uint(let number): return .float(Double(number))
        case .float(let number):
            guard number.isFinite else { throw GoFunctionError("json: unsupported value: \(GoFloat.format(number, "g"))") }
            return .float(number)
        case .string(let text): return .string(text)
        case .list(let items):
            var values: [Value] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.jsonValue()) }
            return .list(values)
        case .map(let entries):
            var values: [String: Value] = [:]
            values.reserveCapacity(entries.count)
            for (key, value) in entries {
                values[try key.jsonKey(value)] = try value.jsonValue()
            }
            return .map(values)
        }
    }

    /// The value as sigs.k8s.io/yaml's `YAMLToJSON` writes it, map keys in document order (a
    /// key given twice keeps its first place and its last value, as the Go map held it) and
    /// integers kept integers, as its JSON text has them.
    func orderedJSON() throws(GoFunctionError) -> JSONValue {
        switch self {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .int(let number): return .number(JSONNumber(number))
        case .uint(let number): return .number(JSONNumber(number))
        case .float(let number):
            guard number.isFinite else { throw GoFunctionError("json: unsupported value: \(GoFloat.format(number, "g"))") }
            return .number(JSONNumber(number))
        case .string(let text): return .string(text)
        case .list(let items):
            var values: [JSONValue] = []
            values.reserveCapacity(items.count)
            for item in items { values.append(try item.orderedJSON()) }
            return .array(values)
        case .map(let entries):
            var object = JSONObject()
            for (key, value) in entries { object[try key.jsonKey(value)] = try value.orderedJSON() }
            return .object(object)
        }
    }

    /// A map key as sigs.k8s.io/yaml turns it into a JSON object key.
    private func jsonKey(_ value: GoYAMLValue) throws(GoFunctionError) -> String {
        switch self {
        case .string(let text): return text
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .uint(let number): return String(number)
        case .float(let number):
            // Formatted as a float32, the way go-yaml prints floats.
            if number.isNaN { return ".nan" }
            if number.isInfinite { return number < 0 ? "-.inf" : ".inf" }
            return GoFloat.format(Double("\(Float(number))") ?? number, "g")
        case .null:
            throw GoFunctionError("unsupported map key of type: %!s(<nil>), key: <nil>, value: \(value.formatted)")
        case .list, .map:
            throw GoFunctionError("yaml: invalid map key: \(goSyntax)")
        }
    }

    /// Go's `%v` of the decoded value, for error texts.
    var formatted: String {
        switch self {
        case .null: "<nil>"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .uint(let number): String(number)
        case .float(let number): GoFloat.format(number, "g")
        case .string(let text): text
        case .list(let items): "[" + items.map(\.formatted).joined(separator: " ") + "]"
        case .map(let entries): "map[" + entries.map { "\($0.key.formatted):\($0.value.formatted)" }.joined(separator: " ") + "]"
        }
    }

    /// Go's `%#v` of the decoded value, as go-yaml names an unusable key.
    var goSyntax: String {
        switch self {
        case .null: "interface {}(nil)"
        case .bool(let flag): flag ? "true" : "false"
        case .int(let number): String(number)
        case .uint(let number): "0x" + String(number, radix: 16)
        case .float(let number): GoFloat.format(number, "g")
        case .string(let text): goQuote(text)
        case .list(let items): "[]interface {}{" + items.map(\.goSyntax).joined(separator: ", ") + "}"
        case .map(let entries):
            "map[interface {}]interface {}{" + entries.map { "\($0.key.goSyntax):\($0.value.goSyntax)" }.joined(separator: ", ") + "}"
        }
    }
}
