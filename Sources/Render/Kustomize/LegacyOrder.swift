/// kustomize's default output order ("legacy"): kinds that others depend on first, webhooks
/// last, then by group, version and kind, then namespace and name.
enum LegacyOrder {
    /// Kinds placed first, in this order.
    static let first = [
        "Namespace", "ResourceQuota", "StorageClass", "CustomResourceDefinition", "ServiceAccount",
        "PodSecurityPolicy", "Role", "ClusterRole", "RoleBinding", "ClusterRoleBinding", "ConfigMap", "Secret",
        "Endpoints", "Service", "LimitRange", "PriorityClass", "PersistentVolume", "PersistentVolumeClaim",
        "Deployment", "StatefulSet", "CronJob", "PodDisruptionBudget",
    ]
    /// Kinds placed last, in this order.
    static let last = ["MutatingWebhookConfiguration", "ValidatingWebhookConfiguration"]

    private static let rank: [String: Int] = {
        var ranks: [String: Int] = [:]
        for (index, kind) in first.enumerated() { ranks[kind] = index - first.count }
        for (index, kind) in last.enumerated() { ranks[kind] = index + 1 }
        return ranks
    }()

    private static func gvkKey(_ id: ResId) -> String {
        [id.group.isEmpty ? "~G" : id.group, id.version.isEmpty ? "~V" : id.version, id.kind.isEmpty ? "~K" : id.kind]
            .joined(separator: "_")
    }

    private static func idKey(_ id: ResId) -> String {
        "\(id.namespace.isEmpty ? "~X" : id.namespace)|\(id.name.isEmpty ? "~N" : id.name)"
    }

    static func precedes(_ a: ResId, _ b: ResId) -> Bool {
        if a.group != b.group || a.version != b.version || a.kind != b.kind {
            let rankA = rank[a.kind] ?? 0
            let rankB = rank[b.kind] ?? 0
            if rankA != rankB { return rankA < rankB }
            return bytesLess(gvkKey(a), gvkKey(b))
        }
        return bytesLess(idKey(a), idKey(b))
    }

    /// Go compares strings bytewise.
    static func bytesLess(_ a: String, _ b: String) -> Bool {
        a.utf8.lexicographicallyPrecedes(b.utf8)
    }

    static func sorted(_ resources: [KResource]) -> [KResource] {
        resources.map { ($0.currentId, $0) }.sorted { precedes($0.0, $1.0) }.map(\.1)
    }
}
