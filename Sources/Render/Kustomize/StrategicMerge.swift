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
            if MergeKeys.isPrimitiveMerge(path) { return .primitive }
            return mergeKey(path).map(ListMerge.byKey)
        }
    }

    /// The merge key of the list at `path` in an object of this kind, if it has one.
    func mergeKey(_ path: [String]) -> String? {
        if let key = MergeKeys.byKind[kind]?[path] { return key }
        if path.count >= 2, path.suffix(2) == ["metadata", "ownerReferences"] { return "uid" }
        for root in MergeKeys.podSpecRoots[kind] ?? [] where path.starts(with: root) {
            if let key = MergeKeys.podSpec[Array(path.dropFirst(root.count))] { return key }
        }
        return nil
    }
}

/// Merge keys of the built-in list types (the `patchMergeKey`s of the Kubernetes API).
enum MergeKeys {
    /// Where each workload kind keeps its pod spec.
    static let podSpecRoots: [String: [[String]]] = {
        let template = ["spec", "template", "spec"]
        var roots: [String: [[String]]] = ["Pod": [["spec"]], "CronJob": [["spec", "jobTemplate", "spec", "template", "spec"]]]
        for kind in ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController", "PodTemplate"] {
            roots[kind] = kind == "PodTemplate" ? [["template", "spec"]] : [template]
        }
        return roots
    }()

    /// Lists inside a pod spec.
    static let podSpec: [[String]: String] = {
        var keys: [[String]: String] = [
            ["volumes"]: "name", ["imagePullSecrets"]: "name", ["hostAliases"]: "ip",
            ["topologySpreadConstraints"]: "topologyKey", ["resourceClaims"]: "name", ["schedulingGates"]: "name",
        ]
        for containers in ["containers", "initContainers", "ephemeralContainers"] {
            keys[[containers]] = "name"
            keys[[containers, "env"]] = "name"
            keys[[containers, "ports"]] = "containerPort"
            keys[[containers, "volumeMounts"]] = "mountPath"
            keys[[containers, "volumeDevices"]] = "devicePath"
            keys[[containers, "resizePolicy"]] = "resourceName"
        }
        return keys
    }()

    /// Lists of scalars whose patch strategy is merge (no merge key): in every kind.
    static let primitiveMergeSuffixes: [[String]] = [["metadata", "finalizers"]]

    static func isPrimitiveMerge(_ path: [String]) -> Bool {
        primitiveMergeSuffixes.contains { path.count >= $0.count && Array(path.suffix($0.count)) == $0 }
    }

    /// Other lists, by kind.
    static let byKind: [String: [[String]: String]] = [
        "Service": [["spec", "ports"]: "port"],
        "ServiceAccount": [["secrets"]: "name", ["imagePullSecrets"]: "name"],
        "MutatingWebhookConfiguration": [["webhooks"]: "name"],
        "ValidatingWebhookConfiguration": [["webhooks"]: "name"],
    ]
}
