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
    /// `.Version` and `.GitVersion`: the version as given, `v`-prefixed (`v1.30`, `v1.29.3-gke.1`).
    public var version: String
    /// `.String`: `version` without its pre-release and build parts (`v1.30`, `v1.29.3`).
    public var normalized: String

    /// Creates `vMAJOR.MINOR.PATCH`.
    public init(major: Int, minor: Int, patch: Int) {
        (self.major, self.minor, self.patch) = (major, minor, patch)
        version = "v\(major).\(minor).\(patch)"
        normalized = version
    }

    /// Parses `1.29`, `v1.29.3` or `1.29.3-gke.1` as Helm's `ParseKubeVersion` does; `nil` where
    /// `parse` throws.
    public init?(parsing text: String) {
        guard let parsed = try? Self.parse(text) else { return nil }
        self = parsed
    }

    /// Helm's `ParseKubeVersion` (apimachinery's generic version): a `v`, then at least two dotted
    /// numbers without leading zeros, then anything; `.Version` keeps the text, `.String` only the
    /// numbers. Throws the reason Helm gives after `invalid kube version 'TEXT': `.
    public static func parse(_ text: String) throws(KubeVersionError) -> KubeVersion {
        let given = text.hasPrefix("v") ? text : "v" + text
        var numbers = Substring(given.dropFirst().prefix { $0.isASCII && ($0.isNumber || $0 == ".") })
        guard numbers.first?.isNumber == true else { throw KubeVersionError("could not parse \"\(text)\" as version") }
        // The numbers are `N(.N)*`: a trailing dot (or two in a row) belongs to the rest.
        if let bad = numbers.range(of: "..") { numbers = numbers[..<bad.lowerBound] }
        while numbers.last == "." { numbers.removeLast() }
        let components = numbers.split(separator: ".")
        guard components.count >= 2 else { throw KubeVersionError("illegal version string \"\(text)\"") }
        if let zero = components.first(where: { $0.count > 1 && $0.first == "0" }) {
            throw KubeVersionError("illegal zero-prefixed version component \"\(zero)\" in \"\(text)\"")
        }
        guard let major = Int(components[0]), let minor = Int(components[1]), let patch = components.count > 2 ? Int(components[2]) : 0 else {
            throw KubeVersionError("illegal version string \"\(text)\"")
        }
        var version = KubeVersion(major: major, minor: minor, patch: patch)
        version.version = given
        version.normalized = "v" + numbers
        return version
    }

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
        case "String": GoFunction([]) { [normalized] _, _ in .string(normalized) }
        case "GitVersion": GoFunction([]) { [version] _, _ in .string(version) }
        default: nil
        }
    }
    public var jsonFieldOrder: [String]? { ["Version", "Major", "Minor"] }
    public var jsonValue: Value { .map(["Version": .string(version), "Major": .string(String(major)), "Minor": .string(String(minor))]) }
    public var formatted: String { "{\(version) \(normalized) \(major) \(minor)}" }
    public var actionText: String { normalized }
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

/// Why a kube version does not parse, in Helm's words.
public struct KubeVersionError: Error, CustomStringConvertible {
    /// The reason.
    public var description: String
    init(_ description: String) { self.description = description }
}
