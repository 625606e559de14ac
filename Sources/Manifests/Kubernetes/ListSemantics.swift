/// How the lists of the built-in Kubernetes kinds merge: the one table that strategic merge
/// patch (kustomize, the sandbox), server-side apply (the sandbox) and drift detection read.
///
/// Each entry is the API's `patchMergeKey` (strategic merge) with its `listMapKey`s
/// (`x-kubernetes-list-type: map`, server-side apply). Lists not named here are atomic, as they
/// are in a CRD schema without `x-kubernetes-list-type`.
///
/// ```swift
/// ListSemantics.rule(kind: "Deployment", path: ["spec", "template", "spec", "containers"])?.mergeKey  // "name"
/// ListSemantics.rule(field: "ports", items: [["containerPort": 80]])?.mapKeys  // ["containerPort", "protocol"]
/// ```
public enum ListSemantics {
    /// How one list of objects merges.
    public struct Rule: Sendable, Hashable {
        /// The key strategic merge patch matches items by (`patchMergeKey`).
        public var mergeKey: String
        /// The keys server-side apply identifies items by (`listMapKey`s); the merge key first.
        public var mapKeys: [String]

        /// A rule keyed by `mergeKey`, plus `more` map keys for server-side apply.
        public init(_ mergeKey: String, _ more: String...) {
            self.mergeKey = mergeKey
            mapKeys = [mergeKey] + more
        }
    }

    /// Where each workload kind keeps its pod spec.
    public static let podSpecRoots: [String: [[String]]] = {
        var roots: [String: [[String]]] = [
            "Pod": [["spec"]], "PodTemplate": [["template", "spec"]],
            "CronJob": [["spec", "jobTemplate", "spec", "template", "spec"]],
        ]
        for kind in ["Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController"] {
            roots[kind] = [["spec", "template", "spec"]]
        }
        return roots
    }()

    /// Lists inside a pod spec, by path from the pod spec.
    public static let podSpec: [[String]: Rule] = {
        var rules: [[String]: Rule] = [
            ["volumes"]: Rule("name"), ["imagePullSecrets"]: Rule("name"), ["hostAliases"]: Rule("ip"),
            ["topologySpreadConstraints"]: Rule("topologyKey", "whenUnsatisfiable"), ["resourceClaims"]: Rule("name"),
            ["schedulingGates"]: Rule("name"),
        ]
        for containers in ["containers", "initContainers", "ephemeralContainers"] {
            rules[[containers]] = Rule("name")
            rules[[containers, "env"]] = Rule("name")
            rules[[containers, "ports"]] = Rule("containerPort", "protocol")
            rules[[containers, "volumeMounts"]] = Rule("mountPath")
            rules[[containers, "volumeDevices"]] = Rule("devicePath")
        }
        return rules
    }()

    /// Kinds whose `status.conditions` merge by `type`.
    static let kindsWithConditions = [
        "Pod", "Deployment", "ReplicaSet", "DaemonSet", "StatefulSet", "Job", "ReplicationController", "Node", "Namespace",
        "PersistentVolumeClaim", "Service",
    ]

    /// Other lists of built-in kinds, by kind and path from the object.
    public static let byKind: [String: [[String]: Rule]] = {
        var rules: [String: [[String]: Rule]] = [
            "Service": [["spec", "ports"]: Rule("port", "protocol")],
            "ServiceAccount": [["secrets"]: Rule("name")],
            "MutatingWebhookConfiguration": [["webhooks"]: Rule("name")],
            "ValidatingWebhookConfiguration": [["webhooks"]: Rule("name")],
        ]
        for kind in kindsWithConditions { rules[kind, default: [:]][["status", "conditions"]] = Rule("type") }
        return rules
    }()

    /// Lists of every kind, by the end of their path (object metadata is the same everywhere,
    /// a pod template's too).
    public static let everyKind: [[String]: Rule] = [["metadata", "ownerReferences"]: Rule("uid")]

    /// Lists of scalars merged as sets (`patchStrategy: merge`, `x-kubernetes-list-type: set`), by
    /// the end of their path.
    public static let setLists: [[String]] = [["metadata", "finalizers"]]

    /// Objects whose patches name the keys they keep (`patchStrategy: retainKeys`), so that a
    /// key set by another writer (a server default such as a Deployment's `rollingUpdate`) goes
    /// when a patch switches to a sibling; by kind and path from the object.
    public static func retainsKeys(kind: String, path: [String]) -> Bool {
        if kind == "Deployment" && path == ["spec", "strategy"] { return true }
        return (podSpecRoots[kind] ?? []).contains { path == $0 + ["volumes"] }
    }

    /// Map fields whose own presence is tracked (`.` in managedFields) besides their entries.
    public static let granularMaps: Set<String> = [
        "labels", "annotations", "data", "stringData", "binaryData", "nodeSelector", "matchLabels", "selector",
    ]

    /// The rule of the list at `path` (field names from the object root) in an object of `kind`.
    public static func rule(kind: String, path: [String]) -> Rule? {
        if let rule = byKind[kind]?[path] { return rule }
        if let rule = everyKind.first(where: { path.ends(with: $0.key) })?.value { return rule }
        for root in podSpecRoots[kind] ?? [] where path.starts(with: root) {
            if let rule = podSpec[Array(path.dropFirst(root.count))] { return rule }
        }
        return nil
    }

    /// Whether the list at `path` is a set of scalars.
    public static func isSet(path: [String]) -> Bool { setLists.contains { path.ends(with: $0) } }

    /// Every rule by the name of its list's field, for callers that see only the field name (the
    /// sandbox serves every kind alike; drift compares without a schema).
    public static let byField: [String: [Rule]] = {
        var all = Array(podSpec) + Array(everyKind)
        for rules in byKind.values { all += Array(rules) }
        var rules: [String: [Rule]] = [:]
        for (path, rule) in all.sorted(by: { $0.key.lexicographicallyPrecedes($1.key) }) {
            if let field = path.last, !(rules[field]?.contains(rule) ?? false) { rules[field, default: []].append(rule) }
        }
        return rules
    }()

    /// The rule of a list known only by its field name: the first rule for `field` whose merge
    /// key every item carries; `nil` when the list is atomic.
    public static func rule(field: String, items: [JSONValue]) -> Rule? {
        byField[field]?.first { rule in items.allSatisfy { $0[rule.mergeKey] != nil } }
    }

    /// Whether a list known only by its field name is a set of scalars.
    public static func isSet(field: String) -> Bool { setLists.contains { $0.last == field } }

    /// Every merge key of the table, the most used first (`name`).
    public static let mergeKeys: [String] = {
        var uses: [String: Int] = [:]
        for rules in byField.values { for rule in rules { uses[rule.mergeKey, default: 0] += 1 } }
        return uses.keys.sorted { (uses[$0]!, $1) > (uses[$1]!, $0) }
    }()

    /// Whether an object value is atomic (a label selector is replaced whole, never merged).
    public static func isAtomicObject(_ value: JSONObject) -> Bool {
        value["matchLabels"] != nil || value["matchExpressions"] != nil
    }

    /// The key of one list item: the present key fields and their values.
    public static func itemKey(_ item: JSONValue, keys: [String]) -> JSONObject {
        var key = JSONObject()
        for name in keys.sorted() { if let value = item[name] { key[name] = value } }
        return key
    }
}

extension Array where Element == String {
    /// Whether the path ends with `suffix`.
    fileprivate func ends(with suffix: [String]) -> Bool { count >= suffix.count && Array(self[(count - suffix.count)...]) == suffix }
}
