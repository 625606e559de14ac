import GoTemplate
import KeelsonFoundation

/// `.Capabilities`: the Kubernetes version and API versions a chart renders for, and Helm's version.
public struct Capabilities: GoObject, Hashable {
    /// Helm's default API versions (what `helm template` offers without a cluster; read off Helm 4.2.3).
    public static let defaultAPIVersions = [
        "v1", "admissionregistration.k8s.io/v1", "admissionregistration.k8s.io/v1alpha1", "admissionregistration.k8s.io/v1beta1",
        "internal.apiserver.k8s.io/v1alpha1", "apps/v1", "apps/v1beta1", "apps/v1beta2", "authentication.k8s.io/v1",
        "authentication.k8s.io/v1alpha1", "authentication.k8s.io/v1beta1", "authorization.k8s.io/v1", "authorization.k8s.io/v1beta1",
        "autoscaling/v1", "autoscaling/v2", "batch/v1", "batch/v1beta1", "certificates.k8s.io/v1", "certificates.k8s.io/v1beta1",
        "certificates.k8s.io/v1alpha1", "coordination.k8s.io/v1alpha2", "coordination.k8s.io/v1beta1", "coordination.k8s.io/v1",
        "discovery.k8s.io/v1", "discovery.k8s.io/v1beta1", "events.k8s.io/v1", "events.k8s.io/v1beta1", "extensions/v1beta1",
        "flowcontrol.apiserver.k8s.io/v1", "flowcontrol.apiserver.k8s.io/v1beta1", "flowcontrol.apiserver.k8s.io/v1beta2",
        "flowcontrol.apiserver.k8s.io/v1beta3", "networking.k8s.io/v1", "networking.k8s.io/v1beta1", "node.k8s.io/v1",
        "node.k8s.io/v1alpha1", "node.k8s.io/v1beta1", "policy/v1", "policy/v1beta1", "rbac.authorization.k8s.io/v1",
        "rbac.authorization.k8s.io/v1beta1", "rbac.authorization.k8s.io/v1alpha1", "resource.k8s.io/v1", "resource.k8s.io/v1beta2",
        "resource.k8s.io/v1beta1", "resource.k8s.io/v1alpha3", "scheduling.k8s.io/v1alpha2", "scheduling.k8s.io/v1beta1",
        "scheduling.k8s.io/v1", "storage.k8s.io/v1beta1", "storage.k8s.io/v1", "storage.k8s.io/v1alpha1",
        "storagemigration.k8s.io/v1beta1", "apiextensions.k8s.io/v1beta1", "apiextensions.k8s.io/v1",
    ]
    /// Helm's default Kubernetes version when no cluster and no `--kube-version` is given.
    public static let defaultKubeVersion = KubeVersion(major: 1, minor: 36, patch: 0)

    /// The target Kubernetes version.
    public var kubeVersion: KubeVersion
    /// The API versions (`group/version`, and `group/version/Kind`) the target serves.
    public var apiVersions: [String]

    /// Creates capabilities; extra API versions are added after Helm's defaults, as `--api-versions` does.
    public init(kubeVersion: KubeVersion = Capabilities.defaultKubeVersion, apiVersions: [String] = Capabilities.defaultAPIVersions) {
        self.kubeVersion = kubeVersion
        self.apiVersions = apiVersions
    }

    public var goType: GoType { GoType("*common.Capabilities") }
    public func field(_ name: String) -> Value? {
        switch name {
        case "KubeVersion": .object(kubeVersion)
        case "APIVersions": .object(VersionSet(versions: apiVersions))
        case "HelmVersion": .object(HelmBuildInfo())
        default: nil
        }
    }
    public func method(_ name: String) -> GoFunction? { nil }
    public var jsonFieldOrder: [String]? { ["KubeVersion", "APIVersions", "HelmVersion"] }
    public var jsonValue: Value {
        .map([
            "KubeVersion": kubeVersion.jsonValue, "APIVersions": VersionSet(versions: apiVersions).jsonValue,
            "HelmVersion": HelmBuildInfo().jsonValue,
        ])
    }
    public var formatted: String { "&{\(kubeVersion.formatted) \(VersionSet(versions: apiVersions).formatted) \(HelmBuildInfo().formatted)}" }
}

/// `.Capabilities.KubeVersion`.
public struct KubeVersion: GoObject, Hashable {
    /// The major version.
    public var major: Int
    /// The minor version.
    public var minor: Int
    /// The patch version.
    public var patch: Int

    /// Creates a version.
    public init(major: Int, minor: Int, patch: Int) {
        (self.major, self.minor, self.patch) = (major, minor, patch)
    }

    /// Parses `1.29`, `v1.29.3` or `1.29.3-gke.1` as `--kube-version` does (a missing patch is 0).
    public init?(parsing text: String) {
        guard let version = SemanticVersion(lenient: text) else { return nil }
        self.init(major: Int(version.major), minor: Int(version.minor), patch: Int(version.patch))
    }

    /// `v1.36.0`.
    public var version: String { "v\(major).\(minor).\(patch)" }
    public var goType: GoType { GoType("common.KubeVersion") }
    public func field(_ name: String) -> Value? {
        switch name {
        case "Version": .string(version)
        case "Major": .string(String(major))
        case "Minor": .string(String(minor))
        default: nil
        }
    }
    public func method(_ name: String) -> GoFunction? {
        switch name {
        case "String", "GitVersion": GoFunction([]) { [version] _, _ in .string(version) }
        default: nil
        }
    }
    public var jsonFieldOrder: [String]? { ["Version", "Major", "Minor"] }
    public var jsonValue: Value { .map(["Version": .string(version), "Major": .string(String(major)), "Minor": .string(String(minor))]) }
    public var formatted: String { "{\(version) \(version) \(major) \(minor)}" }
    public var actionText: String { version }
}

/// `.Capabilities.APIVersions`: a list of API versions with a `Has` method.
public struct VersionSet: GoObject, Hashable {
    /// The versions.
    public var versions: [String]
    public var goType: GoType { GoType("common.VersionSet") }
    public func field(_ name: String) -> Value? { nil }
    public func method(_ name: String) -> GoFunction? {
        guard name == "Has" else { return nil }
        return GoFunction([.string]) { [versions] arguments, _ in
            guard case .string(let wanted) = arguments[0] else { return .bool(false) }
            return .bool(versions.contains(wanted))
        }
    }
    public var underlying: Value? { .list(versions.map { .string($0) }, element: .string) }
    public var jsonValue: Value { underlying! }
    public var formatted: String { underlying!.formatted }
}

/// `.Capabilities.HelmVersion`: the Helm release Keelson renders as.
public struct HelmBuildInfo: GoObject, Hashable {
    public var goType: GoType { GoType("version.BuildInfo") }
    private var fields: [(String, String, String)] {
        [
            ("Version", "version", HelmVersion.version), ("GitCommit", "git_commit", HelmVersion.gitCommit),
            ("GitTreeState", "git_tree_state", "clean"), ("GoVersion", "go_version", HelmVersion.goVersion),
            ("KubeClientVersion", "kube_client_version", HelmVersion.kubeClientVersion),
        ]
    }
    public func field(_ name: String) -> Value? { fields.first { $0.0 == name }.map { .string($0.2) } }
    public func method(_ name: String) -> GoFunction? { nil }
    public var jsonFieldOrder: [String]? { fields.map(\.1) }
    public var jsonValue: Value { .map(Dictionary(uniqueKeysWithValues: fields.map { ($0.1, .string($0.2)) })) }
    public var formatted: String { "{" + fields.map(\.2).joined(separator: " ") + "}" }
}
