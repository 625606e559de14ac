/// Which built-in kinds are cluster-scoped, for code with no cluster to ask: kustomize's
/// namespace transformer (whose OpenAPI data holds the same list) and `keelson plan`. Code
/// that has a cluster asks its discovery instead.
public enum ResourceScope {
    /// The built-in cluster-scoped kinds, with their API groups: a custom kind of the same name
    /// in another group is namespaced.
    public static let clusterScopedKinds: [String: Set<String>] = [
        "APIService": ["apiregistration.k8s.io"], "CertificateSigningRequest": ["certificates.k8s.io"],
        "ClusterRole": ["rbac.authorization.k8s.io"], "ClusterRoleBinding": ["rbac.authorization.k8s.io"], "ComponentStatus": [""],
        "CSIDriver": ["storage.k8s.io"], "CSINode": ["storage.k8s.io"], "CustomResourceDefinition": ["apiextensions.k8s.io"],
        "FlowSchema": ["flowcontrol.apiserver.k8s.io"], "IngressClass": ["networking.k8s.io"],
        "MutatingWebhookConfiguration": ["admissionregistration.k8s.io"], "Namespace": [""], "Node": [""], "PersistentVolume": [""],
        "PodSecurityPolicy": ["policy", "extensions"], "PriorityClass": ["scheduling.k8s.io"],
        "PriorityLevelConfiguration": ["flowcontrol.apiserver.k8s.io"], "RuntimeClass": ["node.k8s.io"],
        "SelfSubjectAccessReview": ["authorization.k8s.io"], "SelfSubjectRulesReview": ["authorization.k8s.io"],
        "StorageClass": ["storage.k8s.io"], "SubjectAccessReview": ["authorization.k8s.io"], "TokenReview": ["authentication.k8s.io"],
        "ValidatingAdmissionPolicy": ["admissionregistration.k8s.io"], "ValidatingAdmissionPolicyBinding": ["admissionregistration.k8s.io"],
        "ValidatingWebhookConfiguration": ["admissionregistration.k8s.io"], "VolumeAttachment": ["storage.k8s.io"],
    ]

    /// Whether `kind` of `group` is a built-in cluster-scoped kind.
    public static func isClusterScoped(group: String, kind: String) -> Bool {
        clusterScopedKinds[kind]?.contains(group) == true
    }
}

extension ResourceScope {
    /// Whether objects of `kind` in `group` are namespaced, judged without a cluster: a
    /// CustomResourceDefinition among `crds` tells its kind's scope, built-in kinds go by the
    /// table, and any other kind is taken to be namespaced.
    public static func isNamespaced(group: String, kind: String, crds: [Manifest]) -> Bool {
        if let crd = crds.first(where: { $0.definedKind.map { $0 == (group, kind) } ?? false }) {
            return crd.value[path: ["spec", "scope"]]?.stringValue != "Cluster"
        }
        return !isClusterScoped(group: group, kind: kind)
    }
}

extension Manifest {
    /// The group and kind a CustomResourceDefinition serves (`spec.group`, `spec.names.kind`);
    /// `nil` for any other object, or a CRD that names neither.
    public var definedKind: (group: String, kind: String)? {
        guard ApplyOrder.stage(group: group, kind: kind) == .customResourceDefinitions,
            let group = value[path: ["spec", "group"]]?.stringValue, let kind = value[path: ["spec", "names", "kind"]]?.stringValue
        else { return nil }
        return (group, kind)
    }
}
