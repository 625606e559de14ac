/// The order in which objects are applied: stages that must exist before anything can use
/// them, then Helm's install order by kind, then namespace and name.
///
/// Stages: CustomResourceDefinitions, Namespaces, cluster-scoped RBAC, `*Class` kinds, the rest.
/// Unknown kinds (custom resources) come after every known kind, alphabetically by kind.
public enum ApplyOrder {
    /// The stage of a kind; lower stages are applied (and must be ready) first.
    public enum Stage: Int, Sendable, Comparable, CaseIterable {
        case customResourceDefinitions, namespaces, clusterRBAC, classes, resources

        public static func < (lhs: Stage, rhs: Stage) -> Bool { lhs.rawValue < rhs.rawValue }
    }

    /// Helm's install order (pkg/releaseutil, Helm 3).
    public static let helmInstallOrder: [String] = [
        "PriorityClass", "Namespace", "NetworkPolicy", "ResourceQuota", "LimitRange", "PodSecurityPolicy",
        "PodDisruptionBudget", "ServiceAccount", "Secret", "SecretList", "ConfigMap", "StorageClass",
        "PersistentVolume", "PersistentVolumeClaim", "CustomResourceDefinition", "ClusterRole", "ClusterRoleList",
        "ClusterRoleBinding", "ClusterRoleBindingList", "Role", "RoleList", "RoleBinding", "RoleBindingList",
        "Service", "DaemonSet", "Pod", "ReplicationController", "ReplicaSet", "Deployment",
        "HorizontalPodAutoscaler", "StatefulSet", "Job", "CronJob", "IngressClass", "Ingress", "APIService",
        "MutatingWebhookConfiguration", "ValidatingWebhookConfiguration",
    ]

    private static let helmIndex: [String: Int] = Dictionary(
        uniqueKeysWithValues: helmInstallOrder.enumerated().map { ($1, $0) })

    /// The stage of `kind` (in group `group`).
    public static func stage(group: String, kind: String) -> Stage {
        switch (group, kind) {
        case ("apiextensions.k8s.io", "CustomResourceDefinition"): .customResourceDefinitions
        case ("", "Namespace"): .namespaces
        case ("rbac.authorization.k8s.io", "ClusterRole"), ("rbac.authorization.k8s.io", "ClusterRoleBinding"): .clusterRBAC
        case (_, let kind) where kind.hasSuffix("Class"): .classes
        default: .resources
        }
    }

    /// Whether `a` is applied before `b`.
    public static func precedes(_ a: ResourceKey, _ b: ResourceKey) -> Bool {
        let stageA = stage(group: a.group, kind: a.kind)
        let stageB = stage(group: b.group, kind: b.kind)
        if stageA != stageB { return stageA < stageB }
        let indexA = helmIndex[a.kind] ?? Int.max
        let indexB = helmIndex[b.kind] ?? Int.max
        if indexA != indexB { return indexA < indexB }
        return (a.kind, a.group, a.namespace, a.name) < (b.kind, b.group, b.namespace, b.name)
    }

    /// Manifests sorted into apply order; the sort is total, so the result is deterministic.
    public static func sorted(_ manifests: [Manifest]) -> [Manifest] {
        manifests.map { ($0.key, $0) }.sorted { precedes($0.0, $1.0) }.map(\.1)
    }
}
