import OrderedCollections

/// An ordered, `Sendable` JSON value: the unstructured form of every Kubernetes manifest.
///
/// Objects keep the order their keys were read or inserted in; equality ignores key order,
/// the way the Kubernetes API does.
///
/// ```swift
/// let cm: JSONValue = ["apiVersion": "v1", "kind": "ConfigMap", "data": ["a": "1"]]
/// cm["data"]?["a"]?.stringValue  // "1"
/// ```
public enum JSONValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case number(JSONNumber)
    case string(String)
    case array([JSONValue])
    case object(JSONObject)
}

/// An ordered map from string keys to values, compared without regard to order.
public struct JSONObject: Sendable, Hashable, ExpressibleByDictionaryLiteral, Sequence {
    /// The entries in their order.
    public var entries: OrderedDictionary<String, JSONValue>

    /// Creates an object from ordered entries.
    public init(_ entries: OrderedDictionary<String, JSONValue> = [:]) { self.entries = entries }

    /// Creates an object from a dictionary literal, keeping the literal's order.
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        entries = OrderedDictionary(uniqueKeysWithValues: elements)
    }

    /// The value for `key`, or `nil`.
    public subscript(key: String) -> JSONValue? {
        get { entries[key] }
        set { entries[key] = newValue }
        // In place: `object["metadata"]?["name"] = …` edits the nested object without copying it.
        _modify { yield &entries[key] }
    }

    /// The keys in order.
    public var keys: OrderedSet<String> { entries.keys }
    /// The number of entries.
    public var count: Int { entries.count }
    /// Whether the object has no entries.
    public var isEmpty: Bool { entries.isEmpty }

    public func makeIterator() -> OrderedDictionary<String, JSONValue>.Iterator { entries.makeIterator() }

    public static func == (lhs: JSONObject, rhs: JSONObject) -> Bool {
        guard lhs.entries.count == rhs.entries.count else { return false }
        for (key, value) in lhs.entries where rhs.entries[key] != value { return false }
        return true
    }

    public func hash(into hasher: inout Hasher) {
        // Order-independent: sum of per-entry hashes.
        var total = 0
        for (key, value) in entries {
            var entry = Hasher()
            entry.combine(key)
            entry.combine(value)
            total &+= entry.finalize()
        }
        hasher.combine(entries.count)
        hasher.combine(total)
    }
}

extension JSONValue {
    /// The string, if this is a string.
    public var stringValue: String? { if case .string(let s) = self { s } else { nil } }
    /// The boolean, if this is a boolean.
    public var boolValue: Bool? { if case .bool(let b) = self { b } else { nil } }
    /// The integer, if this is a number with an exact `Int64` value.
    public var intValue: Int64? { if case .number(let n) = self { n.int64Value } else { nil } }
    /// The number as a `Double`, if this is a number.
    public var doubleValue: Double? { if case .number(let n) = self { n.doubleValue } else { nil } }
    /// The elements, if this is an array.
    public var arrayValue: [JSONValue]? { if case .array(let a) = self { a } else { nil } }
    /// The object, if this is an object.
    public var objectValue: JSONObject? { if case .object(let o) = self { o } else { nil } }
    /// Whether this is `null`.
    public var isNull: Bool { if case .null = self { true } else { false } }

    /// The member `key` of an object; `nil` for a missing key or a non-object.
    public subscript(key: String) -> JSONValue? {
        get { objectValue?[key] }
        set {
            withObject { $0[key] = newValue }
        }
        _modify {
            guard case .object(var object) = self else {
                var none: JSONValue? = nil
                yield &none
                return
            }
            self = .null
            defer { self = .object(object) }
            yield &object.entries[key]
        }
    }

    /// Runs `body` on the object this value holds, in place; nil when it holds no object.
    /// While `body` runs the value is null, so the object's storage is not shared with it and
    /// an edit does not copy the whole object.
    @discardableResult
    public mutating func withObject<R, E: Error>(_ body: (inout JSONObject) throws(E) -> R) throws(E) -> R? {
        guard case .object(var object) = self else { return nil }
        self = .null
        defer { self = .object(object) }
        return try body(&object)
    }

    /// Runs `body` on the array this value holds, in place; nil when it holds no array. As
    /// `withObject`, the elements' storage is not copied.
    @discardableResult
    public mutating func withArray<R, E: Error>(_ body: (inout [JSONValue]) throws(E) -> R) throws(E) -> R? {
        guard case .array(var items) = self else { return nil }
        self = .null
        defer { self = .array(items) }
        return try body(&items)
    }

    /// The value at a path of object keys, e.g. `["metadata", "name"]`.
    public subscript(path path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for key in path { current = current?[key] }
        return current
    }

    /// A short name of the value's type, for error messages.
    public var typeName: String {
        switch self {
        case .null: "null"
        case .bool: "boolean"
        case .number: "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }
}

extension JSONValue: ExpressibleByStringLiteral, ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByArrayLiteral, ExpressibleByDictionaryLiteral, ExpressibleByNilLiteral
{
    public init(stringLiteral value: String) { self = .string(value) }
    public init(integerLiteral value: Int64) { self = .number(JSONNumber(value)) }
    public init(floatLiteral value: Double) { self = .number(JSONNumber(value)) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(arrayLiteral elements: JSONValue...) { self = .array(elements) }
    public init(nilLiteral: ()) { self = .null }
    public init(dictionaryLiteral elements: (String, JSONValue)...) {
        self = .object(JSONObject(OrderedDictionary(uniqueKeysWithValues: elements)))
    }
}
