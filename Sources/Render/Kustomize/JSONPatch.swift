import Manifests

/// RFC 6902 JSON patches (`add`, `remove`, `replace`, `move`, `copy`, `test`) over JSON
/// pointers, failing as kustomize does when a path is missing.
struct JSONPatch {
    struct Operation {
        var op: String
        var path: [String]
        var from: [String]
        var value: JSONValue?
    }

    var operations: [Operation]

    init(_ value: JSONValue, file: String) throws(RenderError) {
        guard let items = value.arrayValue else { throw RenderError(.kustomization, "\(file): a JSON patch must be a list of operations") }
        operations = []
        for item in items {
            guard let op = item["op"]?.stringValue, let path = item["path"]?.stringValue else {
                throw RenderError(.kustomization, "\(file): every JSON patch operation needs op and path")
            }
            guard ["add", "remove", "replace", "move", "copy", "test"].contains(op) else {
                throw RenderError(.kustomization, "\(file): unexpected JSON patch operation '\(op)'")
            }
            if ["add", "replace", "test"].contains(op) && item["value"] == nil {
                throw RenderError(.kustomization, "\(file): operation \(op) at \(path) needs a value")
            }
            operations.append(
                Operation(
                    op: op, path: try Self.pointer(path, file: file), from: try Self.pointer(item["from"]?.stringValue ?? "", file: file),
                    value: item["value"]))
        }
    }

    static func pointer(_ text: String, file: String) throws(RenderError) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw RenderError(.kustomization, "\(file): JSON pointer '\(text)' must start with '/'") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    func apply(to value: JSONValue, target: String) throws(RenderError) -> JSONValue {
        var document = value
        for operation in operations {
            let failure = { (why: String) in
                RenderError(.transform, "\(target): JSON patch \(operation.op) /\(operation.path.joined(separator: "/")): \(why)")
            }
            switch operation.op {
            case "add":
                guard try Self.insert(operation.value!, at: operation.path[...], in: &document) else { throw failure("path not found") }
            case "remove":
                guard try Self.remove(at: operation.path[...], in: &document) != nil else { throw failure("path not found") }
            case "replace":
                guard Self.get(operation.path[...], in: document) != nil,
                    try Self.remove(at: operation.path[...], in: &document) != nil,
                    try Self.insert(operation.value!, at: operation.path[...], in: &document)
                else { throw failure("path not found") }
            case "move":
                guard let moved = try Self.remove(at: operation.from[...], in: &document),
                    try Self.insert(moved, at: operation.path[...], in: &document)
                else { throw failure("path not found") }
            case "copy":
                guard let copied = Self.get(operation.from[...], in: document),
                    try Self.insert(copied, at: operation.path[...], in: &document)
                else { throw failure("path not found") }
            default:
                guard Self.get(operation.path[...], in: document) == operation.value else { throw failure("test failed") }
            }
        }
        return document
    }

    static func get(_ path: ArraySlice<String>, in value: JSONValue) -> JSONValue? {
        guard let head = path.first else { return value }
        switch value {
        case .object(let object): return object[head].flatMap { get(path.dropFirst(), in: $0) }
        case .array(let items):
            guard let index = Int(head), items.indices.contains(index) else { return nil }
            return get(path.dropFirst(), in: items[index])
        default: return nil
        }
    }

    static func insert(_ new: JSONValue, at path: ArraySlice<String>, in value: inout JSONValue) throws(RenderError) -> Bool {
        guard let head = path.first else {
            value = new
            return true
        }
        let last = path.count == 1
        switch value {
        case .object(var object):
            if last {
                object[head] = new
            } else {
                guard var child = object[head], try insert(new, at: path.dropFirst(), in: &child) else { return false }
                object[head] = child
            }
            value = .object(object)
            return true
        case .array(var items):
            if last {
                if head == "-" {
                    items.append(new)
                } else {
                    guard let index = Int(head), index >= 0, index <= items.count else { return false }
                    items.insert(new, at: index)
                }
            } else {
                guard let index = Int(head), items.indices.contains(index) else { return false }
                guard try insert(new, at: path.dropFirst(), in: &items[index]) else { return false }
            }
            value = .array(items)
            return true
        default:
            return false
        }
    }

    static func remove(at path: ArraySlice<String>, in value: inout JSONValue) throws(RenderError) -> JSONValue? {
        guard let head = path.first else { return nil }
        let last = path.count == 1
        switch value {
        case .object(var object):
            guard var child = object[head] else { return nil }
            let removed: JSONValue?
            if last {
                removed = child
                object[head] = nil
            } else {
                removed = try remove(at: path.dropFirst(), in: &child)
                object[head] = child
            }
            value = .object(object)
            return removed
        case .array(var items):
            guard let index = Int(head), items.indices.contains(index) else { return nil }
            let removed: JSONValue?
            if last {
                removed = items.remove(at: index)
            } else {
                removed = try remove(at: path.dropFirst(), in: &items[index])
            }
            value = .array(items)
            return removed
        default:
            return nil
        }
    }
}
