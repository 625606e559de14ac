/// A value during execution as Go's `reflect.Value` sees it: invalid (no value at all), or a value
/// that may still sit inside an `interface{}` (a map element or a slice element before a pipeline unwraps it).
enum Operand: Sendable {
    case invalid
    case value(Value, boxed: Bool)

    /// What the value is, with no value read as nil.
    var value: Value {
        if case .value(let value, _) = self { return value }
        return .null
    }

    /// Go's pipeline step that digs a value out of its `interface{}`; a nil interface becomes invalid.
    var unboxed: Operand {
        switch self {
        case .value(.null, true): .invalid
        case .value(let value, true): .value(value, boxed: false)
        default: self
        }
    }

    /// Go's `indirectInterface`: the value inside an interface; a nil interface becomes invalid.
    var indirect: Operand { unboxed }

    /// The static type Go's error messages name.
    var typeName: String {
        switch self {
        case .invalid: "<nil>"
        case .value(_, true): "interface {}"
        case .value(let value, false): value.goType.name
        }
    }

    /// Go's `isTrue`.
    var isTruthy: Bool {
        if case .value(let value, _) = self { return value.isTruthy }
        return false
    }
}

extension GoParameter {
    /// The Go type name as argument errors print it.
    var typeName: String {
        switch self {
        case .any: "interface {}"
        case .string: "string"
        case .bool: "bool"
        case .int: "int"
        case .int64: "int64"
        case .uint32: "uint32"
        case .float64: "float64"
        case .list: "[]interface {}"
        case .stringList: "[]string"
        case .map: "map[string]interface {}"
        case .bytes: "[]uint8"
        case .reflectValue: "reflect.Value"
        case .object(let type): type.name
        }
    }

    /// Whether a nil is a value of the type (`canBeNil`).
    var canBeNil: Bool {
        switch self {
        case .any, .list, .stringList, .map, .bytes, .reflectValue: true
        case .string, .bool, .int, .int64, .uint32, .float64, .object: false
        }
    }

    /// The zero value of a nillable parameter type.
    var nilValue: Operand {
        switch self {
        case .list: .value(.list([]), boxed: false)
        case .stringList: .value(.list([], element: .string), boxed: false)
        case .map: .value(.map([:]), boxed: false)
        case .bytes: .value(.bytes([]), boxed: false)
        case .reflectValue: .invalid
        default: .value(.null, boxed: true)
        }
    }

    /// Whether a value of this dynamic type is assignable to the parameter.
    func accepts(_ value: Value) -> Bool {
        switch (self, value) {
        case (.any, _), (.reflectValue, _): true
        case (.string, .string), (.bool, .bool), (.float64, .float), (.bytes, .bytes): true
        case (.int, .int(_, let kind)): kind == .int
        case (.int64, .int(_, let kind)): kind == .int64
        case (.uint32, .int(_, let kind)): kind == .uint32
        case (.list, .list(_, let element)): element == .interface
        case (.stringList, .list(_, let element)): element == .string
        case (.map, .map(let map)): map.element == .interface
        case (.object(let type), .object(let object)): object.goType == type
        default: false
        }
    }
}

extension Operand {
    /// A named slice or map type (`.Files`, `.Capabilities.APIVersions`) as the slice or map it is,
    /// for `range`, `len` and `index`; any other operand unchanged.
    var underlyingCollection: Operand {
        guard case .value(.object(let object), let boxed) = self, let underlying = object.underlying else { return self }
        return .value(underlying, boxed: boxed)
    }
}
