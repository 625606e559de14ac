/// A value as a Go template sees it: the dynamic types of Helm's values, of Sprig's results and of
/// Helm's built-in objects.
///
/// Go is statically typed underneath `interface{}`; the cases keep what a template can observe of
/// that type (`typeOf`, `kindOf`, comparison rules, `printf "%T"`, and which function arguments are
/// accepted), and nothing more.
public enum Value: Sendable {
    /// A nil `interface{}`, a nil pointer or map: what a missing map key reads as. Printed by a
    /// template action as `<no value>` (Helm then removes that text), by `printf "%v"` as `<nil>`.
    case null
    /// A Go `bool`.
    case bool(Bool)
    /// A Go integer of some width and signedness (`int` for template literals, `len` and most of
    /// Sprig; `int64` from `add`, `atoi`…).
    case int(Int64, IntKind)
    /// A Go `float64` (every number read from a values file, or a `1.5` literal).
    case float(Double)
    /// A Go `string`.
    case string(String)
    /// A Go `[]byte` (`.Files.GetBytes`, `b64dec`'s input path).
    case bytes([UInt8])
    /// A Go slice; `element` is its static element type (`[]interface {}` from `list`,
    /// `[]string` from `splitList`, `keys`, `regexFindAll`).
    case list([Value], element: GoType = .interface)
    /// A Go `map[string]T` (`map[string]interface {}` for values and `dict`); ranged in key order.
    /// A reference: every holder sees a change.
    case map(GoMap)
    /// A Go struct or pointer with fields and methods (`.Release`, `.Chart`, `.Files`,
    /// `.Capabilities`, a `semver` version, a generated certificate).
    case object(any GoObject)

    /// An untyped `int`, as a template literal or `len` gives.
    public static func int(_ value: Int) -> Value { .int(Int64(value), .int) }
}

/// The width and signedness of a Go integer, as `%T` names it.
public enum IntKind: String, Sendable, Hashable, CaseIterable {
    case int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64
    /// Whether the type is unsigned.
    public var isUnsigned: Bool { rawValue.hasPrefix("u") }
}

/// A static Go type name as `%T` and Sprig's `typeOf` print it (`interface {}`, `string`).
public struct GoType: Sendable, Hashable, CustomStringConvertible {
    /// The name as Go prints it.
    public let name: String
    /// Creates a type from its printed name.
    public init(_ name: String) { self.name = name }
    public var description: String { name }

    /// `interface {}`.
    public static let interface = GoType("interface {}")
    /// `string`.
    public static let string = GoType("string")
    /// `int`.
    public static let int = GoType("int")
    /// `float64`.
    public static let float64 = GoType("float64")
    /// `bool`.
    public static let bool = GoType("bool")
}

/// A Go struct or pointer visible to templates: fields, methods, and what `encoding/json` makes of it.
public protocol GoObject: Sendable {
    /// The dynamic type as `%T` prints it (`*chart.Metadata`, `chartutil.ReleaseOptions`).
    var goType: GoType { get }
    /// The exported field `name`, or nil when the type has none of that name.
    func field(_ name: String) -> Value?
    /// The method `name` bound to this receiver, or nil when the type has none of that name.
    func method(_ name: String) -> GoFunction?
    /// What `encoding/json` would marshal this object as (`toJson`, `toYaml`), honouring its
    /// `json` tags and `omitempty`.
    var jsonValue: Value { get }
    /// What `fmt`'s `%v` prints for it.
    var formatted: String { get }
    /// What a template action (`{{ .x }}`) prints for it, when that differs from `%v` (a field whose
    /// pointer has a `String` method: `{{ .Capabilities.KubeVersion }}` prints `v1.36.0`).
    var actionText: String { get }
    /// For a named slice or map type with methods (`common.VersionSet`, `engine.files`): the slice or
    /// map itself, which `len`, `index`, `range` and comparisons see.
    var underlying: Value? { get }
    /// For a struct: its JSON keys in declaration order, which `encoding/json` keeps (`jsonValue` is
    /// then a map of exactly these keys); nil for a map-like object, whose keys JSON sorts.
    var jsonFieldOrder: [String]? { get }
}

extension GoObject {
    /// By default an action prints what `%v` prints.
    public var actionText: String { formatted }
    /// By default an object is a struct, not a named slice or map.
    public var underlying: Value? { nil }
    /// By default the JSON keys are sorted, as for a map.
    public var jsonFieldOrder: [String]? { nil }
}

extension Value {
    /// The dynamic type as `%T` and `typeOf` print it.
    public var goType: GoType {
        switch self {
        case .null: GoType("<nil>")
        case .bool: .bool
        case .int(_, let kind): GoType(kind.rawValue)
        case .float: .float64
        case .string: .string
        case .bytes: GoType("[]uint8")
        case .list(_, let element): GoType("[]\(element.name)")
        case .map(let map): map.goType
        case .object(let object): object.goType
        }
    }

    /// The kind as `reflect.Kind` names it (`kindOf`): `string`, `int64`, `slice`, `map`, `ptr`…
    public var goKind: String {
        switch self {
        case .null: "invalid"
        case .bool: "bool"
        case .int(_, let kind): kind.rawValue
        case .float: "float64"
        case .string: "string"
        case .bytes, .list: "slice"
        case .map: "map"
        case .object(let object): object.goType.name.hasPrefix("*") ? "ptr" : "struct"
        }
    }

    /// Go's truth rule for `if`, `and`, `or`, `not`: false, 0, nil, and empty strings, slices and
    /// maps are false; structs are always true.
    public var isTruthy: Bool {
        switch self {
        case .null: false
        case .bool(let value): value
        case .int(let value, _): value != 0
        case .float(let value): value != 0
        case .string(let value): !value.isEmpty
        case .bytes(let value): !value.isEmpty
        case .list(let value, _): !value.isEmpty
        case .map(let map): !map.entries.isEmpty
        case .object: true
        }
    }
}
