import Manifests

/// RFC 6902 JSON patch: a list of add/remove/replace/move/copy/test operations.
enum JSONPatch {
    /// Applies the operations in order; any failure rejects the whole patch.
    static func apply(_ patch: JSONValue, to target: JSONValue) throws(APIError) -> JSONValue {
        guard let operations = patch.arrayValue else {
            throw APIError(.badRequest, "json patch must be a list of operations")
        }
        var document = target
        for operation in operations {
            guard let op = operation["op"]?.stringValue, let path = operation["path"]?.stringValue else {
                throw APIError(.badRequest, "json patch operation needs \"op\" and \"path\"")
            }
            let pointer = try parsePointer(path)
            switch op {
            case "add": document = try set(document, pointer, try required(operation, "value"), insert: true)
            case "replace":
                _ = try get(document, pointer)
                document = try set(document, pointer, try required(operation, "value"), insert: false)
            case "remove": document = try remove(document, pointer)
            case "move", "copy":
                guard let from = operation["from"]?.stringValue else {
                    throw APIError(.badRequest, "json patch \(op) operation needs \"from\"")
                }
                let source = try parsePointer(from)
                let value = try get(document, source)
                if op == "move" { document = try remove(document, source) }
                document = try set(document, pointer, value, insert: true)
            case "test":
                guard try get(document, pointer) == (try required(operation, "value")) else {
                    throw APIError(.invalid, "the json patch test operation failed for path \(path)")
                }
            default: throw APIError(.badRequest, "json patch operation \"\(op)\" is not supported")
            }
        }
        return document
    }

    private static func required(_ operation: JSONValue, _ key: String) throws(APIError) -> JSONValue {
        guard let value = operation[key] else { throw APIError(.badRequest, "json patch operation needs \"\(key)\"") }
        return value
    }

    private static func parsePointer(_ path: String) throws(APIError) -> [String] {
        if path.isEmpty { return [] }
        guard path.hasPrefix("/") else { throw APIError(.badRequest, "invalid json pointer \"\(path)\"") }
        return path.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            $0.replacingOccurrences(of: "~1", with: "/").replacingOccurrences(of: "~0", with: "~")
        }
    }

    private static func get(_ value: JSONValue, _ pointer: [String]) throws(APIError) -> JSONValue {
        var current = value
        for token in pointer {
            switch current {
            case .object(let object):
                guard let next = object[token] else { throw missing(pointer) }
                current = next
            case .array(let items):
                guard let index = Int(token), items.indices.contains(index) else { throw missing(pointer) }
                current = items[index]
            default: throw missing(pointer)
            }
        }
        return current
    }

    private static func set(_ value: JSONValue, _ pointer: [String], _ newValue: JSONValue, insert: Bool) throws(APIError) -> JSONValue {
        guard let token = pointer.first else { return newValue }
        let rest = Array(pointer.dropFirst())
        switch value {
        case .object(var object):
            if rest.isEmpty {
                object[token] = newValue
            } else {
                guard let child = object[token] else { throw missing(pointer) }
                object[token] = try set(child, rest, newValue, insert: insert)
            }
            return .object(object)
        case .array(var items):
            if rest.isEmpty && token == "-" && insert {
                items.append(newValue)
            } else if let index = Int(token), rest.isEmpty, insert, index >= 0, index <= items.count {
                items.insert(newValue, at: index)
            } else if let index = Int(token), items.indices.contains(index) {
                items[index] = rest.isEmpty ? newValue : try set(items[index], rest, newValue, insert: insert)
            } else {
                throw missing(pointer)
            }
            return .array(items)
        default: throw missing(pointer)
        }
    }

    private static func remove(_ value: JSONValue, _ pointer: [String]) throws(APIError) -> JSONValue {
        guard let token = pointer.first else { throw APIError(.badRequest, "cannot remove the document root") }
        let rest = Array(pointer.dropFirst())
        switch value {
        case .object(var object):
            guard let child = object[token] else { throw missing(pointer) }
            if rest.isEmpty { object.entries.removeValue(forKey: token) } else { object[token] = try remove(child, rest) }
            return .object(object)
        case .array(var items):
            guard let index = Int(token), items.indices.contains(index) else { throw missing(pointer) }
            if rest.isEmpty { items.remove(at: index) } else { items[index] = try remove(items[index], rest) }
            return .array(items)
        default: throw missing(pointer)
        }
    }

    private static func missing(_ pointer: [String]) -> APIError {
        APIError(.invalid, "the server rejected our request due to an error in our request: path /\(pointer.joined(separator: "/")) not found")
    }
}
