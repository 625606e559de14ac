/// The order Helm 4 writes and installs kinds in (`releaseutil.InstallOrder`); kinds it does not
/// name come after them, alphabetically, and objects of one kind keep their rendered order.
/// Checked against the real `helm template` by `ReleaseManifestsTests`.
enum InstallOrder {
    static let kinds = [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy", "PodDisruptionBudget",
        "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass", "PersistentVolume", "PersistentVolumeClaim",
        "CustomResourceDefinition", "ClusterRole", "ClusterRoleList", "ClusterRoleBinding", "ClusterRoleBindingList", "Role",
        "RoleList", "RoleBinding", "RoleBindingList", "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet",
        "Deployment", "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ]
    private static let rank = Dictionary(uniqueKeysWithValues: kinds.enumerated().map { ($1, $0) })

    /// Sorts stably by kind: positions are sorted, each item's kind and rank read once.
    static func sorted<T>(_ items: [T], kind: (T) -> String) -> [T] {
        let kinds = items.map(kind)
        let ranks = kinds.map { rank[$0] }
        let order = items.indices.sorted { a, b in
            if kinds[a] != kinds[b] {
                switch (ranks[a], ranks[b]) {
                case (let l?, let r?): return l < r
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return kinds[a] < kinds[b]
                }
            }
            return a < b
        }
        return order.map { items[$0] }
    }
}
