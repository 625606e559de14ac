import Manifests

/// Strategic merge patches as kustomize applies them: maps merge key by key, `null` deletes,
/// lists of built-in types with a merge key merge element by element, other lists are
/// replaced; `$patch: delete|replace` is honoured. Like kustomize v5 (kyaml), `$retainKeys`
/// and `$setElementOrder` are not directives: they stay in the output as ordinary keys.
struct StrategicMerge {
    /// Where list merge keys come from: kustomize's built-in Kubernetes schema, or a custom
    /// one that replaces it.
    enum Rules {
        case builtIn
        case custom(CustomSchema, ResId)

        /// The rules for an object of `id`'s type under `schema`: the custom schema replaces the
        /// built-in one, unless it only extends it (declared in a component): then it serves
        /// types it defines that are not Kubernetes' own, which keep the built-in rules.
        init(_ id: ResId, schema: CustomSchema?) {
            guard let schema, !schema.extendsBuiltIn || (schema.defines(id) && !FieldSpecs.isKubernetesGroup(id.group)) else {
                self = .builtIn
                return
            }
            self = .custom(schema, id)
        }
    }

    /// The kind of the patched object, for merge keys.
    let kind: String
    var rules: Rules = .builtIn

    /// The patched object; `nil` when the patch deletes it.
    func apply(_ patch: JSONObject, to object: JSONObject) throws(RenderError) -> JSONObject? {
        if patch["$patch"]?.stringValue == "delete" { return nil }
        let merged = try mergeMap(object, patch, path: [])
        return merged
    }

    private func mergeMap(_ dest: JSONObject, _ patch: JSONObject, path: [String]) throws(RenderError) -> JSONObject {
        switch patch["$patch"]?.stringValue {
        case "replace":
            var replaced = patch
            replaced["$patch"] = nil
            return try mergeMap([:], replaced, path: path)
        case "delete":
            return [:]
        default:
            break
        }
        var result = dest
        for (key, value) in patch {
            if key == "$patch" { continue }
            if value.isNull {
                result[key] = nil
                continue
            }
            if let merged = try mergeValue(result[key], value, path: path + [key]) {
                result[key] = merged
            } else {
                result[key] = nil
            }
        }
        return result
    }

    /// The merged value; `nil` removes the field.
    private func mergeValue(_ dest: JSONValue?, _ patch: JSONValue, path: [String]) throws(RenderError) -> JSONValue? {
        switch (dest, patch) {
        case (.object(let d)?, .object(let p)):
            if p["$patch"]?.stringValue == "delete" { return nil }
            return .object(try mergeMap(d, p, path: path))
        case (_, .object(let p)):
            if p["$patch"]?.stringValue == "delete" { return nil }
            return .object(try mergeMap([:], p, path: path))
        case (.array(let d)?, .array(let p)):
            return .array(try mergeList(d, p, path: path))
        case (_, .array(let p)):
            return .array(try mergeList([], p, path: path))
        default:
            return patch
        }
    }

    private func mergeList(_ dest: [JSONValue], _ patch: [JSONValue], path: [String]) throws(RenderError) -> [JSONValue] {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return try patch.filter { $0["$patch"]?.stringValue != "replace" }.map { item throws(RenderError) in
                if case .object(let object) = item { return .object(try mergeMap([:], object, path: path)) }
                return item
            }
        }
        if listMerge(path) == .primitive {
            // The patch's values first, then the original values it does not list.
            return patch + dest.filter { !patch.contains($0) }
        }
        guard case .byKey(let key)? = listMerge(path) else {
            // Not associative: the patch's list replaces the original.
            return try patch.map { item throws(RenderError) in
                if case .object(let object) = item { return .object(try mergeMap([:], object, path: path)) }
                return item
            }
        }
        // kustomize (kyaml) puts the patch's elements first, in the patch's order, merged
        // with their originals; the originals the patch does not mention follow.
        var result: [JSONValue] = []
        var mentioned: [JSONValue] = []
        for item in patch {
            guard case .object(let element) = item, let keyValue = element[key] else {
                result.append(item)
                continue
            }
            mentioned.append(keyValue)
            if element["$patch"]?.stringValue == "delete" { continue }
            let original = dest.first { $0.objectValue?[key] == keyValue }?.objectValue ?? [:]
            result.append(.object(try mergeMap(original, element, path: path)))
        }
        for item in dest where !(item[key].map { mentioned.contains($0) } ?? false) {
            result.append(item)
        }
        return result
    }

    /// How the list at `path` merges; nil when the patch's list replaces it.
    func listMerge(_ path: [String]) -> ListMerge? {
        switch rules {
        case .custom(let schema, let id): return schema.listMerge(id, path: path)
        case .builtIn:
            if ListSemantics.isSet(path: path) { return .primitive }
            return ListSemantics.rule(kind: kind, path: path).map { ListMerge.byKey($0.mergeKey) }
        }
    }
}
