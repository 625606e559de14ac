import Manifests

/// Walks a `FieldSpec` path through an object as kustomize's fieldspec filter does: lists
/// on the way are entered element by element, missing fields are created only when the spec
/// says so, and the setter runs on every value found at the end.
enum FieldPath {
    /// What to create for a missing last field.
    enum Leaf { case object, string }

    /// The path's keys; `\/` escapes a slash inside a key.
    static func segments(_ path: String) -> [String] {
        var result: [String] = []
        var current = ""
        var escaped = false
        for character in path {
            if escaped {
                current.append(character)
                escaped = false
            } else if character == "\\" {
                escaped = true
            } else if character == "/" {
                result.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        result.append(current)
        return result.filter { !$0.isEmpty }
    }

    /// Runs `set` on every value at `spec.path` in `object`, if the spec selects its kind.
    static func apply(
        _ spec: FieldSpec, to object: inout JSONObject, leaf: Leaf,
        _ set: (inout JSONValue) throws(RenderError) -> Void
    ) throws(RenderError) {
        guard spec.selects(ResId(object)) else { return }
        try visit(&object, spec.segments[...], create: spec.create, leaf: leaf, set)
    }

    /// Runs `set` on every value at `path` in `object`, editing it in place.
    static func visit(
        _ object: inout JSONObject, _ path: ArraySlice<String>, create: Bool, leaf: Leaf,
        _ set: (inout JSONValue) throws(RenderError) -> Void
    ) throws(RenderError) {
        var value = JSONValue.object(object)
        guard !path.isEmpty else {
            // The setter gets the whole object; a setter that makes it something else leaves it as it was.
            try set(&value)
            object = value.objectValue ?? object
            return
        }
        // Let go of the caller's reference, so the edits below do not copy the object.
        object = [:]
        defer { object = value.objectValue ?? [:] }
        try visit(&value, path, create: create, leaf: leaf, set)
    }

    /// Runs `set` on every value at `path` in `value`, editing it in place: a collection is
    /// taken out of `value` while it is walked, so no level is copied.
    static func visit(
        _ value: inout JSONValue, _ path: ArraySlice<String>, create: Bool, leaf: Leaf,
        _ set: (inout JSONValue) throws(RenderError) -> Void
    ) throws(RenderError) {
        guard let head = path.first else {
            try set(&value)
            return
        }
        switch value {
        case .null:
            return
        case .array:
            try value.withArray { items throws(RenderError) in
                for index in items.indices {
                    try visit(&items[index], path, create: create, leaf: leaf, set)
                }
            }
        case .object:
            let isList = head.hasSuffix("[]")
            let key = isList ? String(head.dropLast(2)) : head
            let rest = path.dropFirst()
            let created: JSONValue = rest.isEmpty && leaf == .string ? .null : .object([:])
            try value.withObject { object throws(RenderError) in
                let index: Int
                if let existing = object.entries.index(forKey: key) {
                    index = existing
                    if object.entries.values[index].isNull {
                        if isList {
                            object.entries.values[index] = .array([])
                        } else if create {
                            object.entries.values[index] = created
                        }
                    }
                } else {
                    guard create, !isList else { return }
                    index = object.entries.count
                    object.entries[key] = created
                }
                try visit(&object.entries.values[index], rest, create: create, leaf: leaf, set)
            }
        default:
            throw RenderError(.transform, "expected a mapping or a list at '\(head)', found \(value.typeName)")
        }
    }

    /// Whether `object` has anything at `spec`'s path (lists entered), for quick skipping.
    static func has(_ object: JSONObject, _ spec: FieldSpec) -> Bool {
        func walk(_ value: JSONValue, _ path: ArraySlice<String>) -> Bool {
            guard let head = path.first else { return !value.isNull }
            switch value {
            case .array(let items): return items.contains { walk($0, path) }
            case .object(let object):
                let key = head.hasSuffix("[]") ? String(head.dropLast(2)) : head
                guard let child = object[key] else { return false }
                return walk(child, path.dropFirst())
            default: return false
            }
        }
        return walk(.object(object), spec.segments[...])
    }
}
