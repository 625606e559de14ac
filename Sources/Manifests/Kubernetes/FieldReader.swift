import KeelsonFoundation

/// A field of a Keelson object that cannot be used, naming the object and the field.
public struct ObjectFieldError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The object's kind: `Rollout`, `Provider`, `Alert`.
    public var kind: String
    /// `namespace/name`.
    public var object: String
    /// The field, e.g. `spec.strategy.canary.steps[2].setWeight`.
    public var field: String
    /// What is wrong with it.
    public var message: String

    public init(kind: String, object: String, field: String, message: String) {
        self.kind = kind
        self.object = object
        self.field = field
        self.message = message
    }

    public var description: String { "\(kind) \(object): \(field): \(message)" }
}

/// Reads the fields of one object the way every Keelson kind wants them read: typed, bounded,
/// and naming the object and the field path in every error.
public struct FieldReader: Sendable {
    /// The object's kind.
    public let kind: String
    /// Its namespace (`default` when the manifest names none).
    public let namespace: String
    /// `namespace/name`.
    public let id: String
    /// The longest string accepted.
    public static let maximumStringBytes = 16 * 1024

    public init(kind: String, manifest: Manifest) {
        self.kind = kind
        namespace = manifest.namespace.isEmpty ? "default" : manifest.namespace
        id = "\(namespace)/\(manifest.name)"
    }

    /// An error about `field`.
    public func error(_ field: String, _ message: String) -> ObjectFieldError {
        ObjectFieldError(kind: kind, object: id, field: field, message: message)
    }

    /// A required object.
    public func object(_ value: JSONValue?, _ field: String) throws(ObjectFieldError) -> JSONObject {
        guard let object = value?.objectValue else { throw error(field, "must be an object") }
        return object
    }

    /// An optional array, at most `maximum` items long.
    public func array(_ value: JSONValue?, _ field: String, maximum: Int = 1000) throws(ObjectFieldError) -> [JSONValue] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw error(field, "must be a list") }
        guard items.count <= maximum else { throw error(field, "has more than \(maximum) items") }
        return items
    }

    /// An optional string of at most 16 KiB.
    public func string(_ value: JSONValue?, _ field: String) throws(ObjectFieldError) -> String? {
        guard let value, !value.isNull else { return nil }
        guard let text = value.stringValue else { throw error(field, "must be a string") }
        guard text.utf8.count <= Self.maximumStringBytes else { throw error(field, "is longer than 16 KiB") }
        return text
    }

    /// An optional integer within `range`.
    public func integer(_ value: JSONValue?, _ field: String, in range: ClosedRange<Int> = 0...Int(Int32.max)) throws(ObjectFieldError) -> Int? {
        guard let value, !value.isNull else { return nil }
        guard let number = value.intValue, let integer = Int(exactly: number) else { throw error(field, "must be an integer") }
        guard range.contains(integer) else { throw error(field, "must be between \(range.lowerBound) and \(range.upperBound)") }
        return integer
    }

    /// An optional boolean.
    public func bool(_ value: JSONValue?, _ field: String) throws(ObjectFieldError) -> Bool? {
        guard let value, !value.isNull else { return nil }
        guard let flag = value.boolValue else { throw error(field, "must be true or false") }
        return flag
    }

    /// An optional map of strings.
    public func map(_ value: JSONValue?, _ field: String) throws(ObjectFieldError) -> [String: String] {
        guard let value, !value.isNull else { return [:] }
        guard let object = value.objectValue else { throw error(field, "must be a map of strings") }
        var out: [String: String] = [:]
        for (key, item) in object {
            guard let text = item.stringValue else { throw error(field + "." + key, "must be a string") }
            out[key] = text
        }
        return out
    }

    /// An optional Go duration (`15s`, `5m`, `1h30m`) within `range`.
    public func duration(
        _ value: JSONValue?, _ field: String, in range: ClosedRange<Duration> = .milliseconds(1)...(.seconds(86_400))
    ) throws(ObjectFieldError) -> Duration? {
        guard let text = try string(value, field) else { return nil }
        guard let duration = GoDuration.parse(text) else { throw error(field, "\"\(text)\" is not a duration (like 15s, 5m, 1h)") }
        guard range.contains(duration) else {
            throw error(field, "\"\(text)\" is not between \(GoDuration.format(range.lowerBound)) and \(GoDuration.format(range.upperBound))")
        }
        return duration
    }
}
