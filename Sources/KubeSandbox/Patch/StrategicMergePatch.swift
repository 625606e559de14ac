import Manifests

/// Strategic merge patch, as kubectl sends it for built-in kinds.
///
/// Lists named in `ListSemantics` merge by key, set lists merge by value, other lists are
/// replaced. The `$patch`, `$retainKeys`, `$setElementOrder` and `$deleteFromPrimitiveList`
/// directives are honoured.
enum StrategicMergePatch {
    /// Applies `patch` to `target`.
    static func apply(_ patch: JSONValue, to target: JSONValue) throws(APIError) -> JSONValue {
        guard case .object(let patchObject) = patch else {
            throw APIError(.badRequest, "strategic merge patch must be a JSON object")
        }
        return mergeObject(patchObject, into: target.objectValue ?? [:]).map(JSONValue.object) ?? .null
    }

    /// Merges one patch object; `nil` means the object is deleted.
    private static func mergeObject(_ patch: JSONObject, into target: JSONObject) -> JSONObject? {
        switch patch["$patch"]?.stringValue {
        case "delete": return nil
        case "replace":
            var replacement = patch
            replacement.entries.removeValue(forKey: "$patch")
            return replacement
        default: break
        }
        var result = target
        for (key, value) in patch {
            if key == "$patch" || key == "$retainKeys" || key.hasPrefix("$setElementOrder/") { continue }
            if key.hasPrefix("$deleteFromPrimitiveList/") {
                let field = String(key.dropFirst("$deleteFromPrimitiveList/".count))
                let remove = value.arrayValue ?? []
                if let items = result[field]?.arrayValue { result[field] = .array(items.filter { !remove.contains($0) }) }
                continue
            }
            switch value {
            case .null:
                result.entries.removeValue(forKey: key)
            case .object(let child):
                if let merged = mergeObject(child, into: result[key]?.objectValue ?? [:]) {
                    result[key] = .object(merged)
                } else {
                    result.entries.removeValue(forKey: key)
                }
            case .array(let items):
                result[key] = mergeList(items, into: result[key]?.arrayValue ?? [], field: key)
            default:
                result[key] = value
            }
        }
        if let retain = patch["$retainKeys"]?.arrayValue?.compactMap(\.stringValue) {
            for key in result.keys where !retain.contains(key) { result.entries.removeValue(forKey: key) }
        }
        return result
    }

    private static func mergeList(_ patch: [JSONValue], into target: [JSONValue], field: String) -> JSONValue {
        if patch.contains(where: { $0["$patch"]?.stringValue == "replace" }) {
            return .array(patch.filter { $0["$patch"] == nil })
        }
        if ListSemantics.isSet(field: field) {
            var result = target
            for item in patch where !result.contains(item) { result.append(item) }
            return .array(result)
        }
        let plain = patch.filter { $0["$patch"] == nil }
        guard let keys = ListSemantics.rule(field: field, items: plain + target)?.mapKeys else { return .array(patch) }
        var result = target
        for item in patch {
            let key = ListSemantics.itemKey(item, keys: keys.filter { $0 != "$patch" })
            let index = result.firstIndex { ListSemantics.itemKey($0, keys: keys) == key }
            if item["$patch"]?.stringValue == "delete" {
                if let index { result.remove(at: index) }
            } else if let index, let patchItem = item.objectValue {
                result[index] = mergeObject(patchItem, into: result[index].objectValue ?? [:]).map(JSONValue.object) ?? .null
            } else {
                result.append(item)
            }
        }
        return .array(result)
    }
}
