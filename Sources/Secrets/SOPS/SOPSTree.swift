import Manifests

/// The tree sops walks: ordered mappings that may hold comments, sequences, and typed leaves.
indirect enum SOPSNode: Sendable {
    case mapping([SOPSItem])
    case sequence([SOPSNode])
    case null
    case leaf(SOPSScalar)
}

/// One entry of a mapping: a key and its value, or a comment line (dotenv keeps these).
enum SOPSItem: Sendable {
    case pair(String, SOPSNode)
    case comment(String)
}

extension SOPSNode {
    /// Converts a decoded document; `maxDepth` bounds the nesting so the walk cannot exhaust the stack.
    init(_ value: JSONValue, maxDepth: Int, depth: Int = 0) throws(SOPSError) {
        guard depth <= maxDepth else {
            throw SOPSError(.inputTooLarge, "values are nested deeper than \(maxDepth) levels")
        }
        switch value {
        case .null: self = .null
        case .bool(let b): self = .leaf(.bool(b))
        case .string(let s): self = .leaf(.string(s))
        case .number(let n):
            if n.isFloatingPoint {
                self = .leaf(.float(n.doubleValue))
            } else if let i = n.int64Value {
                self = .leaf(.int(i))
            } else {
                throw SOPSError(.unsupported, "an integer above the 64-bit signed range cannot be encrypted as sops does")
            }
        case .array(let items):
            var nodes: [SOPSNode] = []
            nodes.reserveCapacity(items.count)
            for item in items { nodes.append(try SOPSNode(item, maxDepth: maxDepth, depth: depth + 1)) }
            self = .sequence(nodes)
        case .object(let object):
            var items: [SOPSItem] = []
            items.reserveCapacity(object.count)
            for (key, item) in object {
                items.append(.pair(key, try SOPSNode(item, maxDepth: maxDepth, depth: depth + 1)))
            }
            self = .mapping(items)
        }
    }

    /// The document again, without comments (the JSON value model has no place for them).
    var jsonValue: JSONValue {
        switch self {
        case .null: return .null
        case .leaf(let scalar): return scalar.jsonValue
        case .sequence(let nodes):
            return .array(
                nodes.compactMap { node in
                    if case .leaf(.comment) = node { return nil }
                    return node.jsonValue
                })
        case .mapping(let items):
            var object = JSONObject()
            for case .pair(let key, let node) in items { object[key] = node.jsonValue }
            return .object(object)
        }
    }
}

extension SOPSScalar {
    /// The value in the manifest model; integral floats stay floats, as `1.0` equals `1` there.
    var jsonValue: JSONValue {
        switch self {
        case .string(let s), .comment(let s): .string(s)
        case .int(let i): .number(JSONNumber(i))
        case .float(let d): .number(JSONNumber(d))
        case .bool(let b): .bool(b)
        // Raw bytes have no JSON form; invalid UTF-8 becomes U+FFFD, as Go's encoders write it.
        case .bytes(let b): .string(String(decoding: b, as: UTF8.self))
        }
    }

    /// The text a dotenv line carries for this value.
    var dotenvText: String {
        switch self {
        case .string(let s), .comment(let s): s
        case .int(let i): String(i)
        case .float(let d): GoFloat.format(d)
        case .bool(let b): b ? "true" : "false"
        case .bytes(let b): String(decoding: b, as: UTF8.self)
        }
    }
}
