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

    /// Sorts stably by kind; each item's rank is looked up once.
    static func sorted<T>(_ items: [T], kind: (T) -> String) -> [T] {
        items.enumerated().map { (rank: rank[kind($1)], kind: kind($1), offset: $0, element: $1) }.sorted { a, b in
            if a.kind != b.kind {
                switch (a.rank, b.rank) {
                case (let l?, let r?): return l < r
                case (.some, nil): return true
                case (nil, .some): return false
                case (nil, nil): return a.kind < b.kind
                }
            }
            return a.offset < b.offset
        }.map(\.element)
    }
}
