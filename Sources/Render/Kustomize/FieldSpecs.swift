/// A field of some kinds of object that a transformer reads or writes: kustomize's
/// `FieldSpec`. Empty group, version or kind match anything.
struct FieldSpec: Sendable, Hashable {
    var group = ""
    var version = ""
    var kind = ""
    /// Slash-separated path; `[]` marks a list, `\/` a slash inside a key.
    var path: String { didSet { segments = FieldPath.segments(path) } }
    /// Whether missing fields on the way are created.
    var create = false
    /// The path's keys, split once: every transformer walks them for every resource.
    private(set) var segments: [String]

    init(group: String = "", version: String = "", kind: String = "", path: String, create: Bool = false) {
        self.group = group
        self.version = version
        self.kind = kind
        self.path = path
        self.create = create
        self.segments = FieldPath.segments(path)
    }

    /// Whether this spec applies to objects of `id`'s group, version and kind.
    func selects(_ id: ResId) -> Bool {
        (group.isEmpty || group == id.group) && (version.isEmpty || version == id.version) && (kind.isEmpty || kind == id.kind)
    }
}

/// A kind whose name other objects refer to, and the fields where they do.
struct NameReference: Sendable {
    var group = ""
    var version = ""
    var kind: String
    var referrers: [FieldSpec]

    func selects(_ id: ResId) -> Bool {
        (group.isEmpty || group == id.group) && (version.isEmpty || version == id.version) && kind == id.kind
    }
}

/// kustomize's built-in field tables (api/konfig/builtinpluginconsts): which fields get the
/// namespace, prefixes, labels, annotations, images and replicas, and where names are
/// referenced. Policy lives here, as data; the transformers only walk it.
enum FieldSpecs {
    fileprivate static func fs(_ kind: String, _ path: String, group: String = "", version: String = "", create: Bool = false) -> FieldSpec {
        FieldSpec(group: group, version: version, kind: kind, path: path, create: create)
    }

    /// The dotted API groups of Kubernetes itself (the built-in schema's); its other groups
    /// (`apps`, `batch`, `policy`...) have no dot.
    static let kubernetesGroups: Set<String> = [
        "admissionregistration.k8s.io", "apiextensions.k8s.io", "apiregistration.k8s.io", "authentication.k8s.io",
        "authorization.k8s.io", "certificates.k8s.io", "coordination.k8s.io", "discovery.k8s.io", "events.k8s.io",
        "flowcontrol.apiserver.k8s.io", "internal.apiserver.k8s.io", "networking.k8s.io", "node.k8s.io", "rbac.authorization.k8s.io",
        "resource.k8s.io", "scheduling.k8s.io", "storage.k8s.io", "storagemigration.k8s.io",
    ]

    /// Whether `group` is one of Kubernetes' own API groups.
    static func isKubernetesGroup(_ group: String) -> Bool { !group.contains(".") || kubernetesGroups.contains(group) }

    /// Kinds whose names keep no prefix or suffix.
    static let prefixSkipped: [FieldSpec] = [
        fs("CustomResourceDefinition", ""), fs("APIService", "", group: "apiregistration.k8s.io"), fs("Namespace", ""),
    ]

    static let namespace: [FieldSpec] = [
        fs("Namespace", "metadata/name", create: true),
        fs("APIService", "spec/service/namespace", group: "apiregistration.k8s.io", create: true),
        fs("CustomResourceDefinition", "spec/conversion/webhook/clientConfig/service/namespace", group: "apiextensions.k8s.io"),
    ]

    /// Workloads whose pod template kustomize labels and annotates.
    private static let templated: [(kind: String, group: String, version: String)] = [
        ("ReplicationController", "", "v1"), ("Deployment", "", ""), ("ReplicaSet", "", ""), ("DaemonSet", "", ""),
        ("StatefulSet", "apps", ""), ("Job", "batch", ""),
    ]

    /// Pod-template metadata fields, for `labels[].includeTemplates` and annotations.
    static func templateMetadata(_ field: String) -> [FieldSpec] {
        templated.map { fs($0.kind, "spec/template/metadata/\(field)", group: $0.group, version: $0.version, create: true) } + [
            fs("CronJob", "spec/jobTemplate/metadata/\(field)", group: "batch", create: true),
            fs("CronJob", "spec/jobTemplate/spec/template/metadata/\(field)", group: "batch", create: true),
        ]
    }

    static let templateLabels: [FieldSpec] =
        templateMetadata("labels") + [fs("StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", group: "apps", create: true)]

    static let commonAnnotations: [FieldSpec] = [fs("", "metadata/annotations", create: true)] + templateMetadata("annotations")

    private static let affinityPaths = [
        "spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        "spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        "spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels",
        "spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels",
        "spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels",
    ]

    /// `commonLabels` and `labels[].includeSelectors`: metadata, selectors and templates.
    static let commonLabels: [FieldSpec] =
        [
            fs("", "metadata/labels", create: true),
            fs("Service", "spec/selector", version: "v1", create: true),
            fs("ReplicationController", "spec/selector", version: "v1", create: true),
            fs("ReplicationController", "spec/template/metadata/labels", version: "v1", create: true),
            fs("Deployment", "spec/selector/matchLabels", create: true),
            fs("Deployment", "spec/template/metadata/labels", create: true),
        ] + affinityPaths.map { fs("Deployment", $0, group: "apps") } + [
            fs("ReplicaSet", "spec/selector/matchLabels", create: true),
            fs("ReplicaSet", "spec/template/metadata/labels", create: true),
            fs("DaemonSet", "spec/selector/matchLabels", create: true),
            fs("DaemonSet", "spec/template/metadata/labels", create: true),
            fs("StatefulSet", "spec/selector/matchLabels", group: "apps", create: true),
            fs("StatefulSet", "spec/template/metadata/labels", group: "apps", create: true),
        ] + affinityPaths.map { fs("StatefulSet", $0, group: "apps") } + [
            fs("StatefulSet", "spec/volumeClaimTemplates[]/metadata/labels", group: "apps", create: true),
            fs("Job", "spec/selector/matchLabels", group: "batch"),
            fs("Job", "spec/template/metadata/labels", group: "batch", create: true),
            fs("CronJob", "spec/jobTemplate/spec/selector/matchLabels", group: "batch"),
            fs("CronJob", "spec/jobTemplate/metadata/labels", group: "batch", create: true),
            fs("CronJob", "spec/jobTemplate/spec/template/metadata/labels", group: "batch", create: true),
            fs("PodDisruptionBudget", "spec/selector/matchLabels", group: "policy"),
            fs("NetworkPolicy", "spec/podSelector/matchLabels", group: "networking.k8s.io"),
            fs("NetworkPolicy", "spec/ingress/from/podSelector/matchLabels", group: "networking.k8s.io"),
            fs("NetworkPolicy", "spec/egress/to/podSelector/matchLabels", group: "networking.k8s.io"),
        ]

    static let replicas: [FieldSpec] = ["Deployment", "ReplicationController", "ReplicaSet", "StatefulSet"].map {
        fs($0, "spec/replicas", create: true)
    }

    /// Paths where pod specs sit, for the name-reference tables.
    private static let podSpecs: [(kind: String, prefix: String, version: String)] = [
        ("Pod", "spec", "v1"), ("Deployment", "spec/template/spec", ""), ("ReplicaSet", "spec/template/spec", ""),
        ("DaemonSet", "spec/template/spec", ""), ("StatefulSet", "spec/template/spec", ""), ("Job", "spec/template/spec", ""),
        ("CronJob", "spec/jobTemplate/spec/template/spec", ""),
    ]

    private static func inPodSpecs(_ suffixes: [String], extra: [String] = []) -> [FieldSpec] {
        podSpecs.flatMap { spec in suffixes.map { fs(spec.kind, spec.prefix + "/" + $0, version: spec.version) } }
    }

    private static func inPodSpecsOf(_ kinds: [String], _ suffix: String) -> [FieldSpec] {
        podSpecs.filter { kinds.contains($0.kind) }.map { fs($0.kind, $0.prefix + "/" + suffix, version: $0.version) }
            + (kinds.contains("ReplicationController") ? [fs("ReplicationController", "spec/template/spec/" + suffix)] : [])
    }

    private static let allPodKinds = ["Pod", "StatefulSet", "Deployment", "ReplicationController", "CronJob", "Job", "DaemonSet"]

    static let nameReferences: [NameReference] = [
        NameReference(kind: "Deployment", referrers: [fs("HorizontalPodAutoscaler", "spec/scaleTargetRef/name")]),
        NameReference(kind: "ReplicationController", referrers: [fs("HorizontalPodAutoscaler", "spec/scaleTargetRef/name")]),
        NameReference(kind: "ReplicaSet", referrers: [fs("HorizontalPodAutoscaler", "spec/scaleTargetRef/name")]),
        NameReference(kind: "StatefulSet", referrers: [fs("HorizontalPodAutoscaler", "spec/scaleTargetRef/name")]),
        NameReference(
            version: "v1", kind: "ConfigMap",
            referrers: inPodSpecs([
                "volumes/configMap/name", "containers/env/valueFrom/configMapKeyRef/name",
                "initContainers/env/valueFrom/configMapKeyRef/name", "containers/envFrom/configMapRef/name",
                "initContainers/envFrom/configMapRef/name", "volumes/projected/sources/configMap/name",
            ]) + [
                fs("Node", "spec/configSource/configMap"), fs("Role", "rules/resourceNames"), fs("ClusterRole", "rules/resourceNames"),
                fs("Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/fastcgi-params-configmap"),
                fs("Service", "spec/template/spec/containers/env/valueFrom/configMapKeyRef/name", group: "serving.knative.dev", version: "v1"),
                fs("Service", "spec/template/spec/containers/envFrom/configMapRef/name", group: "serving.knative.dev", version: "v1"),
            ]),
        NameReference(
            version: "v1", kind: "Secret",
            referrers: inPodSpecs([
                "volumes/secret/secretName", "containers/env/valueFrom/secretKeyRef/name",
                "initContainers/env/valueFrom/secretKeyRef/name", "containers/envFrom/secretRef/name",
                "initContainers/envFrom/secretRef/name", "imagePullSecrets/name", "volumes/projected/sources/secret/name",
            ]) + [
                fs("Ingress", "spec/tls/secretName"),
                fs("Ingress", "metadata/annotations/ingress.kubernetes.io\\/auth-secret"),
                fs("Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-secret"),
                fs("Ingress", "metadata/annotations/nginx.ingress.kubernetes.io\\/auth-tls-secret"),
                fs("ServiceAccount", "imagePullSecrets/name"),
                fs("StorageClass", "parameters/secretName"), fs("StorageClass", "parameters/adminSecretName"),
                fs("StorageClass", "parameters/userSecretName"), fs("StorageClass", "parameters/secretRef"),
                fs("Role", "rules/resourceNames"), fs("ClusterRole", "rules/resourceNames"),
                fs("Service", "spec/template/spec/containers/env/valueFrom/secretKeyRef/name", group: "serving.knative.dev", version: "v1"),
                fs("PersistentVolume", "spec/azureFile/secretName"),
            ]),
        NameReference(
            version: "v1", kind: "Service",
            referrers: [
                fs("StatefulSet", "spec/serviceName", group: "apps"),
                fs("Ingress", "spec/rules/http/paths/backend/serviceName"),
                fs("Ingress", "spec/backend/serviceName"),
                fs("Ingress", "spec/rules/http/paths/backend/service/name"),
                fs("Ingress", "spec/defaultBackend/service/name"),
                fs("APIService", "spec/service/name", group: "apiregistration.k8s.io"),
                fs("ValidatingWebhookConfiguration", "webhooks/clientConfig/service", group: "admissionregistration.k8s.io"),
                fs("MutatingWebhookConfiguration", "webhooks/clientConfig/service", group: "admissionregistration.k8s.io"),
            ]),
        NameReference(
            group: "rbac.authorization.k8s.io", kind: "Role",
            referrers: [fs("RoleBinding", "roleRef/name", group: "rbac.authorization.k8s.io")]),
        NameReference(
            group: "rbac.authorization.k8s.io", kind: "ClusterRole",
            referrers: [
                fs("RoleBinding", "roleRef/name", group: "rbac.authorization.k8s.io"),
                fs("ClusterRoleBinding", "roleRef/name", group: "rbac.authorization.k8s.io"),
            ]),
        NameReference(
            group: "admissionregistration.k8s.io", kind: "ValidatingAdmissionPolicy",
            referrers: [fs("ValidatingAdmissionPolicyBinding", "spec/policyName", group: "admissionregistration.k8s.io")]),
        NameReference(
            version: "v1", kind: "ServiceAccount",
            referrers: [
                fs("RoleBinding", "subjects", group: "rbac.authorization.k8s.io"),
                fs("ClusterRoleBinding", "subjects", group: "rbac.authorization.k8s.io"),
            ] + inPodSpecsOf(allPodKinds, "serviceAccountName")),
        NameReference(
            version: "v1", kind: "PersistentVolumeClaim",
            referrers: inPodSpecsOf(allPodKinds, "volumes/persistentVolumeClaim/claimName")),
        NameReference(
            version: "v1", kind: "PersistentVolume",
            referrers: [fs("PersistentVolumeClaim", "spec/volumeName"), fs("ClusterRole", "rules/resourceNames")]),
        NameReference(
            group: "storage.k8s.io", version: "v1", kind: "StorageClass",
            referrers: [
                fs("PersistentVolume", "spec/storageClassName"), fs("PersistentVolumeClaim", "spec/storageClassName"),
                fs("StatefulSet", "spec/volumeClaimTemplates/spec/storageClassName"),
            ]),
        NameReference(
            group: "scheduling.k8s.io", version: "v1", kind: "PriorityClass",
            referrers: inPodSpecsOf(allPodKinds, "priorityClassName")),
        // kustomize's table spells the group "networking.k8s.io/v1", which no object has, so
        // an IngressClass is never renamed in Ingress `spec.ingressClassName`; kept as it is.
        NameReference(
            group: "networking.k8s.io/v1", version: "v1", kind: "IngressClass",
            referrers: [fs("Ingress", "spec/ingressClassName")]),
    ]
}

extension FieldSpecs {
    /// Where `$(VAR)` is replaced (kustomize's `varReference` table).
    static let varReferences: [FieldSpec] = {
        let containerFields = ["args", "command", "env/value", "volumeMounts/mountPath"]
        var specs: [FieldSpec] = []
        for (kind, podSpec) in [
            ("CronJob", "spec/jobTemplate/spec/template/spec"), ("DaemonSet", "spec/template/spec"), ("Deployment", "spec/template/spec"),
        ] {
            specs += inPodSpec(kind, podSpec, containerFields)
        }
        specs += [fs("Ingress", "spec/rules/host"), fs("Ingress", "spec/tls/hosts"), fs("Ingress", "spec/tls/secretName")]
        specs += inPodSpec("Job", "spec/template/spec", containerFields) + inPodSpec("Pod", "spec", containerFields)
        specs += inPodSpec("ReplicaSet", "spec/template/spec", containerFields)
        specs += [fs("Service", "spec/ports/port"), fs("Service", "spec/ports/targetPort")]
        specs += inPodSpec("StatefulSet", "spec/template/spec", containerFields, volumes: false)
        specs += [
            fs("StatefulSet", "spec/volumeClaimTemplates/spec/nfs/server"), fs("PersistentVolume", "spec/nfs/server"),
            fs("", "metadata/labels"), fs("", "metadata/annotations"),
            // kustomize expands vars in a Deployment's pod template annotations only (not its labels, nor other workloads').
            fs("Deployment", "spec/template/metadata/annotations"),
        ]
        return specs
    }()

    /// A pod spec's container and init-container fields, and its NFS volume servers.
    private static func inPodSpec(_ kind: String, _ prefix: String, _ fields: [String], volumes: Bool = true) -> [FieldSpec] {
        ["containers", "initContainers"].flatMap { list in fields.map { fs(kind, "\(prefix)/\(list)/\($0)") } }
            + (volumes ? [fs(kind, "\(prefix)/volumes/nfs/server")] : [])
    }
}
