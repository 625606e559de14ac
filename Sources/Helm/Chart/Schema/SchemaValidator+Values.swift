import GoTemplate

extension SchemaValidator {
    /// JSON's type names for a value: every number is a `number`.
    static func typeName(_ value: Value) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .int, .float: "number"
        case .string: "string"
        case .list, .bytes: "array"
        case .map, .object: "object"
        }
    }

    /// Whether `value` has the JSON Schema type `name` (`integer`: a number without a fraction).
    static func hasType(_ value: Value, _ name: String) -> Bool {
        if name == "integer", let number = number(value) { return number.rounded() == number && number.isFinite }
        return typeName(value) == name
    }

    static func number(_ value: Value) -> Double? {
        switch value {
        case .int(let number, let kind): kind.isUnsigned ? Double(UInt64(bitPattern: number)) : Double(number)
        case .float(let number): number
        default: nil
        }
    }

    /// A value as a JSON document, for comparisons.
    static func document(_ value: Value) -> JSONDocument {
        switch value {
        case .null, .object: .null
        case .bool(let flag): .bool(flag)
        case .int, .float: .number(number(value)!)
        case .string(let text): .string(text)
        case .bytes(let bytes): .array(bytes.map { .number(Double($0)) })
        case .list(let items, _): .array(items.map(document))
        case .map(let map): .object(map.entries.sorted { $0.key < $1.key }.map { ($0.key, document($0.value)) })
        }
    }

    /// JSON equality between a value and a schema's constant.
    static func equal(_ value: Value, _ constant: JSONDocument) -> Bool { document(value) == constant }

    static func isPrimitive(_ document: JSONDocument) -> Bool {
        switch document {
        case .array, .object: false
        default: true
        }
    }

    /// A constant as v6 prints it in `enum` and `const` messages.
    static func display(_ document: JSONDocument) -> String {
        switch document {
        case .null: "<nil>"
        case .bool(let flag): flag ? "true" : "false"
        case .number(let number): format(number)
        case .string(let text): "'\(text)'"
        default: "?"
        }
    }

    /// A number as v6 prints it: integers without a fraction, others in shortest form.
    static func format(_ number: Double) -> String {
        if number.rounded() == number, abs(number) < 1e15 { return String(Int64(number)) }
        return GoFloat.format(number, "f")
    }
}
