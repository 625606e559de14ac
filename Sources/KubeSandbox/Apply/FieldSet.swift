import Manifests

/// A set of field paths: the fields one manager owns, or the fields one object sets.
///
/// Members are leaves (scalars, atomic lists and atomic objects) and the non-leaf nodes whose
/// own presence counts — keyed list items and granular maps — written `.` in `fieldsV1`.
struct FieldSet: Hashable, Sendable {
    /// The member paths.
    var members: Set<FieldPath>

    /// Creates a set from member paths.
    init(_ members: Set<FieldPath> = []) { self.members = members }

    /// The fields an object value sets.
    init(of value: JSONValue) {
        members = []
        Self.walk(value, path: [], fieldName: "", into: &members)
    }

    /// Parses a `fieldsV1` tree.
    init(fieldsV1: JSONValue) {
        members = []
        Self.decode(fieldsV1.objectValue ?? [:], path: [], into: &members)
    }

    /// Whether the set has no members.
    var isEmpty: Bool { members.isEmpty }

    /// Members that no other member extends: the fields whose values can be compared.
    var leaves: Set<FieldPath> {
        let prefixes = Set(members.flatMap { path in (0..<path.count).map { Array(path[0..<$0]) } })
        return members.filter { !prefixes.contains($0) }
    }

    /// Whether `path` or anything below it is a member.
    func touches(_ path: FieldPath) -> Bool { members.contains { $0.hasPrefix(path) } }

    /// The `fieldsV1` tree, keys sorted like the API server writes them.
    var fieldsV1: JSONValue { .object(Self.encode(members.map { $0[...] })) }

    private static func walk(_ value: JSONValue, path: FieldPath, fieldName: String, into set: inout Set<FieldPath>) {
        switch value {
        case .object(let object):
            if !path.isEmpty && (object.isEmpty || ListSemantics.isAtomicObject(object)) {
                set.insert(path)
                return
            }
            if ListSemantics.granularMaps.contains(fieldName) || path.last.map(isKey) == true { set.insert(path) }
            for (name, child) in object { walk(child, path: path + [.field(name)], fieldName: name, into: &set) }
        case .array(let items):
            if ListSemantics.isSet(field: fieldName) {
                for item in items { set.insert(path + [.value(item)]) }
            } else if let keys = ListSemantics.rule(field: fieldName, items: items)?.mapKeys {
                for item in items {
                    let itemPath = path + [.key(ListSemantics.itemKey(item, keys: keys))]
                    set.insert(itemPath)
                    for (name, child) in item.objectValue ?? [:] {
                        walk(child, path: itemPath + [.field(name)], fieldName: name, into: &set)
                    }
                }
            } else {
                set.insert(path)
            }
        default:
            if !path.isEmpty { set.insert(path) }
        }
    }

    private static func isKey(_ element: PathElement) -> Bool { if case .key = element { true } else { false } }

    private static func encode(_ paths: [ArraySlice<PathElement>]) -> JSONObject {
        var groups: [String: [ArraySlice<PathElement>]] = [:]
        var terminal: Set<String> = []
        for path in paths {
            guard let first = path.first else { continue }
            let key = first.fieldsV1Key
            if path.count == 1 { terminal.insert(key) } else { groups[key, default: []].append(path.dropFirst()) }
        }
        var result = JSONObject()
        for key in terminal.union(groups.keys).sorted() {
            var node = encode(groups[key] ?? [])
            if terminal.contains(key) && !node.isEmpty {
                node.entries.updateValue([:], forKey: ".", insertingAt: 0)
            }
            result[key] = .object(node)
        }
        return result
    }

    private static func decode(_ tree: JSONObject, path: FieldPath, into set: inout Set<FieldPath>) {
        for (key, child) in tree {
            if key == "." {
                set.insert(path)
                continue
            }
            guard let element = PathElement(fieldsV1Key: key) else { continue }
            let childTree = child.objectValue ?? [:]
            if childTree.isEmpty { set.insert(path + [element]) } else { decode(childTree, path: path + [element], into: &set) }
        }
    }
}
