import Manifests

/// How the common Kubernetes lists merge: the list-map keys and set lists of the built-in schemas.
///
/// Policy as data: both strategic merge patch and server-side apply read this table. Lists not
/// named here are atomic, as they are in a CRD schema without `x-kubernetes-list-type`.
enum ListSemantics {
    /// Merge keys by list field name; the first key set whose primary key the items carry wins.
    static let mapKeys: [String: [[String]]] = [
        "containers": [["name"]],
        "initContainers": [["name"]],
        "ephemeralContainers": [["name"]],
        "ports": [["containerPort", "protocol"], ["port", "protocol"]],
        "env": [["name"]],
        "volumes": [["name"]],
        "volumeMounts": [["mountPath"]],
        "volumeDevices": [["devicePath"]],
        "imagePullSecrets": [["name"]],
        "ownerReferences": [["uid"]],
        "conditions": [["type"]],
        "hostAliases": [["ip"]],
        "resourceClaims": [["name"]],
        "topologySpreadConstraints": [["topologyKey", "whenUnsatisfiable"]],
    ]

    /// Lists of scalars merged as sets.
    static let setFields: Set<String> = ["finalizers"]

    /// Map fields whose own presence is tracked (`.` in managedFields) besides their entries.
    static let granularMaps: Set<String> = [
        "labels", "annotations", "data", "stringData", "binaryData", "nodeSelector", "matchLabels", "selector",
    ]

    /// The keys that identify items of the list `field`, or `nil` when the list is atomic.
    static func keys(forField field: String, items: [JSONValue]) -> [String]? {
        guard let candidates = mapKeys[field] else { return nil }
        for keys in candidates where items.allSatisfy({ $0[keys[0]] != nil }) { return keys }
        return nil
    }

    /// Whether an object value is atomic (a label selector is replaced whole, never merged).
    static func isAtomicObject(_ value: JSONObject) -> Bool {
        value["matchLabels"] != nil || value["matchExpressions"] != nil
    }

    /// The key of one list item: the present key fields and their values.
    static func itemKey(_ item: JSONValue, keys: [String]) -> JSONObject {
        var key = JSONObject()
        for name in keys.sorted() { if let value = item[name] { key[name] = value } }
        return key
    }
}
