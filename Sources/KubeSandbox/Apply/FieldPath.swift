import Manifests

/// One step of a path into an object, as structured-merge-diff names them.
enum PathElement: Hashable, Sendable {
    /// A named field of an object.
    case field(String)
    /// An item of a keyed list, identified by its key fields.
    case key(JSONObject)
    /// A member of a set list.
    case value(JSONValue)

    /// The managedFields (`fieldsV1`) spelling: `f:name`, `k:{"name":"x"}`, `v:"x"`.
    var fieldsV1Key: String {
        switch self {
        case .field(let name): "f:\(name)"
        case .key(let key): "k:\(JSONWriter.compact(.object(key)))"
        case .value(let value): "v:\(JSONWriter.compact(value))"
        }
    }

    /// Parses a `fieldsV1` key.
    init?(fieldsV1Key: String) {
        let body = String(fieldsV1Key.dropFirst(2))
        switch fieldsV1Key.prefix(2) {
        case "f:": self = .field(body)
        case "k:":
            guard let object = (try? JSONParser.parse(body))?.objectValue else { return nil }
            self = .key(object)
        case "v:":
            guard let value = try? JSONParser.parse(body) else { return nil }
            self = .value(value)
        default: return nil
        }
    }

    /// The text used in conflict messages: `.name`, `[name="x"]`, `[=x]`.
    var pathString: String {
        switch self {
        case .field(let name): return ".\(name)"
        case .key(let key):
            let parts = key.map { "\($0.key)=\(JSONWriter.compact($0.value))" }
            return "[\(parts.joined(separator: ","))]"
        case .value(let value): return "[=\(JSONWriter.compact(value))]"
        }
    }
}

/// A path from an object's root.
typealias FieldPath = [PathElement]

extension Array where Element == PathElement {
    /// The path as conflict messages print it, e.g. `.spec.containers[name="web"].image`.
    var pathString: String { map(\.pathString).joined() }

    /// Whether `self` starts with `prefix`.
    func hasPrefix(_ prefix: FieldPath) -> Bool { count >= prefix.count && Array(self[0..<prefix.count]) == prefix }
}

extension JSONValue {
    /// The value at a field path, or `nil` when absent.
    func value(at path: FieldPath) -> JSONValue? {
        var current: JSONValue? = self
        for element in path {
            guard let node = current else { return nil }
            switch element {
            case .field(let name): current = node[name]
            case .key(let key):
                current = node.arrayValue?.first { item in key.allSatisfy { item[$0.key] == $0.value } }
            case .value(let value): current = node.arrayValue?.contains(value) == true ? value : nil
            }
        }
        return current
    }

    /// A copy with the value at `path` removed (an absent path changes nothing).
    func removing(_ path: FieldPath) -> JSONValue {
        guard let first = path.first else { return self }
        let rest = Array(path.dropFirst())
        switch (first, self) {
        case (.field(let name), .object(var object)):
            if rest.isEmpty {
                object.entries.removeValue(forKey: name)
            } else if let child = object[name] {
                object[name] = child.removing(rest)
            }
            return .object(object)
        case (.key(let key), .array(let items)):
            let matches: (JSONValue) -> Bool = { item in key.allSatisfy { item[$0.key] == $0.value } }
            if rest.isEmpty { return .array(items.filter { !matches($0) }) }
            return .array(items.map { matches($0) ? $0.removing(rest) : $0 })
        case (.value(let value), .array(let items)):
            return rest.isEmpty ? .array(items.filter { $0 != value }) : self
        default:
            return self
        }
    }
}
