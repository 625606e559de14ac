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

    /// Whether an object of kind `left` goes before one of kind `right`.
    static func precedes(_ left: String, _ right: String) -> Bool {
        switch (rank[left], rank[right]) {
        case (let l?, let r?): l < r
        case (.some, nil): true
        case (nil, .some): false
        case (nil, nil): left < right
        }
    }

    /// Sorts stably by kind.
    static func sorted<T>(_ items: [T], kind: (T) -> String) -> [T] {
        items.enumerated().sorted { a, b in
            let (ka, kb) = (kind(a.element), kind(b.element))
            if ka != kb, precedes(ka, kb) || precedes(kb, ka) { return precedes(ka, kb) }
            return a.offset < b.offset
        }.map(\.element)
    }
}
