/// Fields the API server will not change in place: an update that changes one is refused
/// (422, `field is immutable`), and only deleting and re-creating the object changes it. One
/// table for the sandbox, which refuses such updates as a cluster does, and for `keelson plan`,
/// which warns before a merge.
public enum ImmutableFields {
    /// One immutable field.
    public struct Rule: Sendable, Hashable {
        /// The field's path from the object's root.
        public var path: [String]
        /// Whether leaving the field out keeps the old value (the server fills it) rather than changing it.
        public var omittedKeepsValue: Bool
    }

    /// The immutable fields, by `group/Kind` (`Kind` alone for the core group).
    public static let rules: [String: [Rule]] = {
        func rule(_ path: String, omittedKeepsValue: Bool = false) -> Rule {
            Rule(path: path.split(separator: ".").map(String.init), omittedKeepsValue: omittedKeepsValue)
        }
        let selector = [rule("spec.selector")]
        return [
            "apps/Deployment": selector, "apps/ReplicaSet": selector, "apps/DaemonSet": selector,
            "apps/StatefulSet": selector + [rule("spec.volumeClaimTemplates"), rule("spec.serviceName"), rule("spec.podManagementPolicy")],
            "batch/Job": [rule("spec.selector", omittedKeepsValue: true), rule("spec.template"), rule("spec.completionMode")],
            "Service": [rule("spec.clusterIP", omittedKeepsValue: true)],
            "PersistentVolumeClaim": [
                rule("spec.storageClassName", omittedKeepsValue: true), rule("spec.accessModes"), rule("spec.volumeMode", omittedKeepsValue: true),
            ],
        ]
    }()

    /// The fields (dotted paths) an update from `old` to `new` of `kind` in `group` would change
    /// although they are immutable; empty when the update is allowed.
    public static func changed(old: JSONObject, new: JSONObject, group: String, kind: String) -> [String] {
        let oldValue = JSONValue.object(old)
        let newValue = JSONValue.object(new)
        var fields: [String] = []
        // A Service that becomes or stops being an ExternalName gives up or gets its clusterIP.
        let externalName = [old, new].contains { $0["spec"]?["type"]?.stringValue == "ExternalName" }
        for rule in rules[group.isEmpty ? kind : "\(group)/\(kind)"] ?? [] {
            if externalName && rule.path == ["spec", "clusterIP"] { continue }
            guard let before = oldValue[path: rule.path], before != .null else { continue }
            // An empty clusterIP (or other field the server fills) asks for nothing yet.
            if before.stringValue?.isEmpty == true { continue }
            let after = newValue[path: rule.path]
            // Left out, null or empty, a field the server fills keeps its value.
            if rule.omittedKeepsValue && (after == nil || after == .null || after?.stringValue?.isEmpty == true) { continue }
            if after != before { fields.append(rule.path.joined(separator: ".")) }
        }
        // An immutable ConfigMap or Secret keeps its data, and stays immutable.
        if group.isEmpty, kind == "ConfigMap" || kind == "Secret", old["immutable"]?.boolValue == true {
            fields += ["data", "binaryData", "stringData"].filter { old[$0] != nil && old[$0] != new[$0] }
            if new["immutable"]?.boolValue != true { fields.append("immutable") }
        }
        return fields
    }
}
