/// An RFC 6902 JSON patch: `add`, `remove`, `replace`, `move`, `copy` and `test` over JSON
/// pointers, applied in order; any failure rejects the whole patch.
///
/// ```swift
/// let patch = try JSONPatch(try JSONParser.parse(#"[{"op":"replace","path":"/spec/replicas","value":3}]"#))
/// let patched = try patch.apply(to: deployment)
/// ```
public struct JSONPatch: Sendable, Hashable {
    /// What an operation does.
    public enum Op: String, Sendable, Hashable, CaseIterable {
        case add, remove, replace, move, copy, test
    }

    /// One operation, its pointers split into reference tokens (`~0` and `~1` decoded).
    public struct Operation: Sendable, Hashable, CustomStringConvertible {
        /// What it does.
        public var op: Op
        /// The target location.
        public var path: [String]
        /// The source location of `move` and `copy`.
        public var from: [String]
        /// The value of `add`, `replace` and `test`.
        public var value: JSONValue

        /// The operation and its path, e.g. `replace /spec/replicas`.
        public var description: String { "\(op.rawValue) \(JSONPatch.pointerText(path))" }
    }

    /// The operations, in order.
    public var operations: [Operation]

    /// Reads a patch document (a JSON list of operations); throws `.malformed` naming the operation.
    public init(_ document: JSONValue) throws(JSONPatchError) {
        guard let items = document.arrayValue else { throw JSONPatchError(.malformed, "a JSON patch must be a list of operations") }
        operations = []
        for (index, item) in items.enumerated() {
            guard let opText = item["op"]?.stringValue, let path = item["path"]?.stringValue else {
                throw JSONPatchError(.malformed, "JSON patch operation \(index + 1) needs \"op\" and \"path\"")
            }
            guard let op = Op(rawValue: opText) else { throw JSONPatchError(.malformed, "JSON patch operation \"\(opText)\" is not supported") }
            var operation = Operation(op: op, path: try Self.pointer(path), from: [], value: .null)
            switch op {
            case .add, .replace, .test:
                guard let value = item["value"] else { throw JSONPatchError(.malformed, "JSON patch \(operation) needs \"value\"") }
                operation.value = value
            case .move, .copy:
                guard let from = item["from"]?.stringValue else { throw JSONPatchError(.malformed, "JSON patch \(operation) needs \"from\"") }
                operation.from = try Self.pointer(from)
            case .remove:
                break
            }
            operations.append(operation)
        }
    }

    /// The reference tokens of a JSON pointer (`""` is the whole document).
    public static func pointer(_ text: String) throws(JSONPatchError) -> [String] {
        if text.isEmpty { return [] }
        guard text.hasPrefix("/") else { throw JSONPatchError(.malformed, "JSON pointer \"\(text)\" must start with \"/\"") }
        return text.dropFirst().split(separator: "/", omittingEmptySubsequences: false).map {
            String($0).replacing("~1", with: "/").replacing("~0", with: "~")
        }
    }

    /// A pointer written back as text.
    public static func pointerText(_ tokens: [String]) -> String {
        tokens.map { "/" + $0.replacing("~", with: "~0").replacing("/", with: "~1") }.joined()
    }

    /// `document` with every operation applied; throws `.pathNotFound` or `.testFailed` naming the operation.
    public func apply(to document: JSONValue) throws(JSONPatchError) -> JSONValue {
        var document = document
        for operation in operations {
            func notFound(_ tokens: [String]) -> JSONPatchError {
                JSONPatchError(.pathNotFound, "JSON patch \(operation): path \(Self.pointerText(tokens)) not found")
            }
            switch operation.op {
            case .add:
                guard Self.put(operation.value, at: operation.path[...], in: &document, inserting: true) else { throw notFound(operation.path) }
            case .replace:
                guard Self.put(operation.value, at: operation.path[...], in: &document, inserting: false) else { throw notFound(operation.path) }
            case .remove:
                guard !operation.path.isEmpty else {
                    throw JSONPatchError(.pathNotFound, "JSON patch \(operation): cannot remove the whole document")
                }
                guard Self.remove(at: operation.path[...], in: &document) != nil else { throw notFound(operation.path) }
            case .move:
                guard let moved = Self.remove(at: operation.from[...], in: &document) else { throw notFound(operation.from) }
                guard Self.put(moved, at: operation.path[...], in: &document, inserting: true) else { throw notFound(operation.path) }
            case .copy:
                guard let copied = Self.value(at: operation.from[...], in: document) else { throw notFound(operation.from) }
                guard Self.put(copied, at: operation.path[...], in: &document, inserting: true) else { throw notFound(operation.path) }
            case .test:
                guard let found = Self.value(at: operation.path[...], in: document) else { throw notFound(operation.path) }
                guard found == operation.value else { throw JSONPatchError(.testFailed, "JSON patch \(operation): the value differs") }
            }
        }
        return document
    }

    /// The value at `path`, or `nil`.
    public static func value(at path: ArraySlice<String>, in value: JSONValue) -> JSONValue? {
        guard let head = path.first else { return value }
        switch value {
        case .object(let object): return object[head].flatMap { self.value(at: path.dropFirst(), in: $0) }
        case .array(let items):
            guard let index = Int(head), items.indices.contains(index) else { return nil }
            return self.value(at: path.dropFirst(), in: items[index])
        default: return nil
        }
    }

    /// Puts `new` at `path`: `inserting` adds a key or inserts into a list (`-` appends),
    /// otherwise the location must exist and is replaced. `false` when the location is missing.
    static func put(_ new: JSONValue, at path: ArraySlice<String>, in value: inout JSONValue, inserting: Bool) -> Bool {
        guard let head = path.first else {
            value = new
            return true
        }
        let last = path.count == 1
        switch value {
        case .object(var object):
            if last {
                guard inserting || object[head] != nil else { return false }
                object[head] = new
            } else {
                guard var child = object[head], put(new, at: path.dropFirst(), in: &child, inserting: inserting) else { return false }
                object[head] = child
            }
            value = .object(object)
        case .array(var items):
            if last && inserting {
                if head == "-" {
                    items.append(new)
                } else {
                    guard let index = Int(head), index >= 0, index <= items.count else { return false }
                    items.insert(new, at: index)
                }
            } else {
                guard let index = Int(head), items.indices.contains(index) else { return false }
                if last {
                    items[index] = new
                } else {
                    guard put(new, at: path.dropFirst(), in: &items[index], inserting: inserting) else { return false }
                }
            }
            value = .array(items)
        default:
            return false
        }
        return true
    }

    /// Removes and returns the value at `path`; `nil` when it is missing.
    static func remove(at path: ArraySlice<String>, in value: inout JSONValue) -> JSONValue? {
        guard let head = path.first else { return nil }
        let removed: JSONValue?
        switch value {
        case .object(var object):
            guard var child = object[head] else { return nil }
            if path.count == 1 {
                removed = object.entries.removeValue(forKey: head)
            } else {
                removed = remove(at: path.dropFirst(), in: &child)
                object[head] = child
            }
            value = .object(object)
        case .array(var items):
            guard let index = Int(head), items.indices.contains(index) else { return nil }
            removed = path.count == 1 ? items.remove(at: index) : remove(at: path.dropFirst(), in: &items[index])
            value = .array(items)
        default:
            return nil
        }
        return removed
    }
}

/// Why a JSON patch was refused.
public struct JSONPatchError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure: the patch is not a list of well-formed operations (`malformed`), an
    /// operation's path or `from` names nothing in the document (`pathNotFound`), or a `test`
    /// operation found another value (`testFailed`).
    public enum Code: String, Sendable, Hashable { case malformed, pathNotFound, testFailed }

    /// What kind of failure.
    public var code: Code
    /// What failed, naming the operation and path.
    public var message: String
    public var description: String { message }

    init(_ code: Code, _ message: String) { (self.code, self.message) = (code, message) }
}
