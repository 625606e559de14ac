/// The built-in resource types the sandbox serves, as one table.
enum BuiltinResources {
    // swift-format-ignore
    static let all: [ResourceType] = [
        // core/v1
        .init(group: "", version: "v1", kind: "Namespace", plural: "namespaces", namespaced: false, shortNames: ["ns"], hasStatus: true),
        .init(group: "", version: "v1", kind: "ConfigMap", plural: "configmaps", shortNames: ["cm"]),
        .init(group: "", version: "v1", kind: "Secret", plural: "secrets"),
        .init(group: "", version: "v1", kind: "Service", plural: "services", shortNames: ["svc"], categories: ["all"], hasStatus: true),
        .init(group: "", version: "v1", kind: "ServiceAccount", plural: "serviceaccounts", shortNames: ["sa"], issuesTokens: true),
        .init(group: "", version: "v1", kind: "Pod", plural: "pods", shortNames: ["po"], categories: ["all"], hasStatus: true),
        .init(group: "", version: "v1", kind: "PersistentVolumeClaim", plural: "persistentvolumeclaims", shortNames: ["pvc"], hasStatus: true),
        .init(group: "", version: "v1", kind: "PersistentVolume", plural: "persistentvolumes", namespaced: false, shortNames: ["pv"], hasStatus: true),
        .init(group: "", version: "v1", kind: "Endpoints", plural: "endpoints", singular: "endpoints", shortNames: ["ep"]),
        .init(group: "", version: "v1", kind: "Event", plural: "events", shortNames: ["ev"]),
        .init(group: "", version: "v1", kind: "LimitRange", plural: "limitranges", shortNames: ["limits"]),
        .init(group: "", version: "v1", kind: "ResourceQuota", plural: "resourcequotas", shortNames: ["quota"], hasStatus: true),
        .init(group: "", version: "v1", kind: "Node", plural: "nodes", namespaced: false, shortNames: ["no"], hasStatus: true),
        .init(group: "", version: "v1", kind: "ReplicationController", plural: "replicationcontrollers", shortNames: ["rc"], categories: ["all"], hasStatus: true, hasScale: true, tracksGeneration: true),
        // apps/v1
        .init(group: "apps", version: "v1", kind: "Deployment", plural: "deployments", shortNames: ["deploy"], categories: ["all"], hasStatus: true, hasScale: true, tracksGeneration: true),
        .init(group: "apps", version: "v1", kind: "StatefulSet", plural: "statefulsets", shortNames: ["sts"], categories: ["all"], hasStatus: true, hasScale: true, tracksGeneration: true),
        .init(group: "apps", version: "v1", kind: "DaemonSet", plural: "daemonsets", shortNames: ["ds"], categories: ["all"], hasStatus: true, tracksGeneration: true),
        .init(group: "apps", version: "v1", kind: "ReplicaSet", plural: "replicasets", shortNames: ["rs"], categories: ["all"], hasStatus: true, hasScale: true, tracksGeneration: true),
        .init(group: "apps", version: "v1", kind: "ControllerRevision", plural: "controllerrevisions"),
        // batch/v1
        .init(group: "batch", version: "v1", kind: "Job", plural: "jobs", categories: ["all"], hasStatus: true, tracksGeneration: true),
        .init(group: "batch", version: "v1", kind: "CronJob", plural: "cronjobs", shortNames: ["cj"], categories: ["all"], hasStatus: true, tracksGeneration: true),
        // networking.k8s.io/v1
        .init(group: "networking.k8s.io", version: "v1", kind: "Ingress", plural: "ingresses", shortNames: ["ing"], hasStatus: true, tracksGeneration: true),
        .init(group: "networking.k8s.io", version: "v1", kind: "IngressClass", plural: "ingressclasses", namespaced: false),
        .init(group: "networking.k8s.io", version: "v1", kind: "NetworkPolicy", plural: "networkpolicies", shortNames: ["netpol"], tracksGeneration: true),
        // rbac.authorization.k8s.io/v1
        .init(group: "rbac.authorization.k8s.io", version: "v1", kind: "Role", plural: "roles"),
        .init(group: "rbac.authorization.k8s.io", version: "v1", kind: "RoleBinding", plural: "rolebindings"),
        .init(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole", plural: "clusterroles", namespaced: false),
        .init(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRoleBinding", plural: "clusterrolebindings", namespaced: false),
        // authorization.k8s.io/v1
        selfSubjectAccessReview,
        selfSubjectRulesReview,
        // authentication.k8s.io/v1
        tokenReview,
        // policy/v1
        .init(group: "policy", version: "v1", kind: "PodDisruptionBudget", plural: "poddisruptionbudgets", shortNames: ["pdb"], hasStatus: true, tracksGeneration: true),
        // autoscaling/v2 (preferred, and the storage version), autoscaling/v1
        .init(group: "autoscaling", version: "v2", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", shortNames: ["hpa"], categories: ["all"], hasStatus: true),
        .init(group: "autoscaling", version: "v1", kind: "HorizontalPodAutoscaler", plural: "horizontalpodautoscalers", shortNames: ["hpa"], categories: ["all"], hasStatus: true),
        // scheduling.k8s.io/v1
        .init(group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass", plural: "priorityclasses", namespaced: false, shortNames: ["pc"]),
        // coordination.k8s.io/v1
        .init(group: "coordination.k8s.io", version: "v1", kind: "Lease", plural: "leases"),
        // storage.k8s.io/v1
        .init(group: "storage.k8s.io", version: "v1", kind: "StorageClass", plural: "storageclasses", namespaced: false, shortNames: ["sc"]),
        .init(group: "storage.k8s.io", version: "v1", kind: "CSIDriver", plural: "csidrivers", namespaced: false),
        .init(group: "storage.k8s.io", version: "v1", kind: "VolumeAttachment", plural: "volumeattachments", namespaced: false, hasStatus: true),
        // apiextensions.k8s.io/v1
        .init(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition", plural: "customresourcedefinitions", namespaced: false, shortNames: ["crd", "crds"], categories: ["api-extensions"], hasStatus: true, tracksGeneration: true),
        // admissionregistration.k8s.io/v1
        .init(group: "admissionregistration.k8s.io", version: "v1", kind: "ValidatingWebhookConfiguration", plural: "validatingwebhookconfigurations", namespaced: false, categories: ["api-extensions"], tracksGeneration: true),
        .init(group: "admissionregistration.k8s.io", version: "v1", kind: "MutatingWebhookConfiguration", plural: "mutatingwebhookconfigurations", namespaced: false, categories: ["api-extensions"], tracksGeneration: true),
    ]

    /// `SelfSubjectAccessReview`: not stored, answered by the RBAC authorizer.
    static let selfSubjectAccessReview = ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectAccessReview", plural: "selfsubjectaccessreviews",
        namespaced: false, verbs: ["create"])

    /// `TokenReview`: not stored, answered by checking the sandbox's own ServiceAccount tokens.
    static let tokenReview = ResourceType(
        group: "authentication.k8s.io", version: "v1", kind: "TokenReview", plural: "tokenreviews", namespaced: false, verbs: ["create"])

    /// `SelfSubjectRulesReview`: not stored, answered from the RBAC rules of the requester.
    static let selfSubjectRulesReview = ResourceType(
        group: "authorization.k8s.io", version: "v1", kind: "SelfSubjectRulesReview", plural: "selfsubjectrulesreviews",
        namespaced: false, verbs: ["create"])
}
