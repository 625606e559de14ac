import Manifests
import Registry

/// Where a policy's tags come from: the repository, how often it is scanned, and how to log in.
/// Keelson's `ImagePolicy` says it in `spec.image`; Flux says it in an `ImageRepository`.
public struct ImageRepositorySpec: Sendable, Hashable {
    /// The repository as written (`ghcr.io/org/app`); setters write this spelling.
    public var image: String
    /// How often the repository is scanned.
    public var interval: Duration
    /// A `kubernetes.io/dockerconfigjson` Secret in the object's namespace holding credentials.
    public var secretRef: String?
    /// Plain HTTP, allowed only to loopback registries.
    public var insecure: Bool
    /// Tags matching any of these regular expressions are ignored (Flux's `exclusionList`).
    public var exclusionList: [String]

    /// The default scan interval.
    public static let defaultInterval: Duration = .seconds(300)
    /// Flux's default exclusion: cosign signature tags.
    public static let defaultExclusions = [#"^.*\.sig$"#]

    /// Creates a repository spec.
    public init(
        image: String, interval: Duration = defaultInterval, secretRef: String? = nil, insecure: Bool = false,
        exclusionList: [String] = defaultExclusions
    ) {
        self.image = image
        self.interval = interval
        self.secretRef = secretRef
        self.insecure = insecure
        self.exclusionList = exclusionList
    }
}

/// How a policy chooses a tag, as data (so it can be compared and stored).
public enum PolicyChoice: Sendable, Hashable {
    /// The highest version in a semver range.
    case semver(String)
    /// Alphabetical order.
    case alphabetical(TagPolicy.Order)
    /// Numerical order.
    case numerical(TagPolicy.Order)
}

/// Whether the selected tag's digest is pinned (Flux's `digestReflectionPolicy`).
public enum DigestReflection: String, Sendable, Hashable, CaseIterable {
    /// Tags only.
    case never = "Never"
    /// The digest is read once per selected tag.
    case ifNotPresent = "IfNotPresent"
    /// The digest is read on every scan, so a re-pushed tag is noticed.
    case always = "Always"
}

/// An `ImagePolicy`: which repository to scan and how to choose its latest tag. Setters refer
/// to it as `NAMESPACE:NAME`.
///
/// ```yaml
/// apiVersion: keelson.dev/v1alpha1
/// kind: ImagePolicy
/// metadata: {name: app, namespace: keelson}
/// spec:
///   image: ghcr.io/org/app
///   interval: 5m
///   policy: {semver: {range: ">=1.0.0"}}
/// ```
public struct ImagePolicy: Sendable, Hashable {
    /// How the repository is given.
    public enum Repository: Sendable, Hashable {
        /// Keelson's shortcut: `spec.image` and friends on the policy itself.
        case inline(ImageRepositorySpec)
        /// Flux's pair: `spec.imageRepositoryRef` names an `ImageRepository`.
        case reference(name: String, namespace: String)
    }

    /// Keelson's API version.
    public static let apiVersion = "keelson.dev/v1alpha1"
    /// Flux's API group, whose `ImagePolicy` and `ImageRepository` are accepted too.
    public static let fluxGroup = "image.toolkit.fluxcd.io"
    /// The Flux versions read.
    public static let fluxVersions = ["v1beta2", "v1"]
    /// The kind.
    public static let kind = "ImagePolicy"

    /// The namespace.
    public var namespace: String
    /// The name.
    public var name: String
    /// The repository.
    public var repository: Repository
    /// How the tag is chosen.
    public var choice: PolicyChoice
    /// `filterTags.pattern`.
    public var filterPattern: String?
    /// `filterTags.extract`.
    public var filterExtract: String
    /// Digest pinning.
    public var digestReflection: DigestReflection
    /// How often the policy is re-evaluated (the repository's interval when `nil`).
    public var interval: Duration?
    /// A suspended policy is not scanned.
    public var suspend: Bool

    /// `NAMESPACE:NAME`, as setter markers name the policy.
    public var id: String { namespace + ":" + name }

    /// The tag policy (validated when the object was read).
    public func tagPolicy() throws(ImageAutomationError) -> TagPolicy {
        let filter = try filterPattern.map { (pattern) throws(ImageAutomationError) in try TagFilter(pattern: pattern, extract: filterExtract) }
        switch choice {
        case .semver(let range): return TagPolicy(choice: .semver(try TagPolicy.semverRange(range)), filter: filter)
        case .alphabetical(let order): return TagPolicy(choice: .alphabetical(order), filter: filter)
        case .numerical(let order): return TagPolicy(choice: .numerical(order), filter: filter)
        }
    }

    /// Whether `manifest` is an ImagePolicy this type reads (Keelson's or Flux's).
    public static func accepts(_ manifest: Manifest) -> Bool {
        manifest.kind == kind && (manifest.apiVersion == apiVersion || fluxVersions.contains { manifest.apiVersion == fluxGroup + "/" + $0 })
    }

    /// Reads and validates a policy; errors name the object and the field.
    public init(_ manifest: Manifest, defaultNamespace: String = "default") throws(ImageResourceError) {
        let reader = ResourceReader(manifest, defaultNamespace: defaultNamespace)
        guard Self.accepts(manifest) else {
            throw reader.error(
                "apiVersion", "expected \(Self.apiVersion) or \(Self.fluxGroup)/v1beta2 ImagePolicy, found \(manifest.apiVersion) \(manifest.kind)")
        }
        let isFlux = manifest.apiVersion != Self.apiVersion
        namespace = manifest.namespace.isEmpty ? defaultNamespace : manifest.namespace
        name = try ImageResourceNames.validName(manifest.name, reader: reader)
        var allowed: Set<String> = ["imageRepositoryRef", "policy", "filterTags", "digestReflectionPolicy", "interval", "suspend"]
        if !isFlux { allowed.formUnion(["image", "secretRef", "insecure", "exclusionList"]) }
        let spec = try reader.object(manifest.object["spec"], "spec", allowed: allowed)
        let reference = try reader.nameReference(spec["imageRepositoryRef"], "spec.imageRepositoryRef", allowNamespace: true)
        if let image = try reader.string(spec["image"], "spec.image", limit: 4096) {
            guard reference == nil else { throw reader.error("spec.image", "give spec.image or spec.imageRepositoryRef, not both") }
            repository = .inline(try ImageRepositorySpec(fields: spec, image: image, prefix: "spec", reader: reader))
        } else if let reference {
            repository = .reference(name: reference.name, namespace: reference.namespace ?? namespace)
        } else {
            throw reader.error(isFlux ? "spec.imageRepositoryRef" : "spec.image", "is required (the repository to scan)")
        }
        let policy = try reader.object(spec["policy"], "spec.policy", allowed: ["semver", "alphabetical", "numerical"])
        guard policy.count == 1, let entry = policy.entries.elements.first else {
            throw reader.error("spec.policy", "give exactly one of semver, alphabetical, numerical")
        }
        let (kind, value) = (entry.key, entry.value)
        switch kind {
        case "semver":
            let fields = try reader.object(value, "spec.policy.semver", allowed: ["range"])
            choice = .semver(try reader.required(fields["range"], "spec.policy.semver.range"))
        default:
            let fields = try reader.object(value, "spec.policy.\(kind)", allowed: ["order"])
            let text = try reader.string(fields["order"], "spec.policy.\(kind).order") ?? "asc"
            guard let order = TagPolicy.Order(rawValue: text) else { throw reader.error("spec.policy.\(kind).order", "must be asc or desc") }
            choice = kind == "numerical" ? .numerical(order) : .alphabetical(order)
        }
        let filter = try reader.object(spec["filterTags"], "spec.filterTags", allowed: ["pattern", "extract"])
        filterPattern = try reader.string(filter["pattern"], "spec.filterTags.pattern")
        filterExtract = try reader.string(filter["extract"], "spec.filterTags.extract") ?? ""
        if !filterExtract.isEmpty, filterPattern == nil { throw reader.error("spec.filterTags.extract", "needs spec.filterTags.pattern") }
        let reflection = try reader.string(spec["digestReflectionPolicy"], "spec.digestReflectionPolicy") ?? "Never"
        guard let digestReflection = DigestReflection(rawValue: reflection) else {
            throw reader.error("spec.digestReflectionPolicy", "must be Never, IfNotPresent or Always")
        }
        self.digestReflection = digestReflection
        interval = try reader.interval(spec["interval"], "spec.interval")
        suspend = try reader.bool(spec["suspend"], "spec.suspend") ?? false
        if let pattern = filterPattern {
            do { _ = try TagFilter(pattern: pattern, extract: filterExtract) } catch { throw reader.error("spec.filterTags.pattern", error.message) }
        }
        if case .semver(let range) = choice {
            do { _ = try TagPolicy.semverRange(range) } catch { throw reader.error("spec.policy.semver.range", "\(error.message): \(error.subject)") }
        }
    }
}

extension ImageRepositorySpec {
    /// Flux's `ImageRepository` kind.
    public static let kind = "ImageRepository"

    /// Reads a Flux `ImageRepository` (`image.toolkit.fluxcd.io/v1beta2`); returns its namespace and name too.
    public static func flux(_ manifest: Manifest, defaultNamespace: String = "default") throws(ImageResourceError) -> (
        namespace: String, name: String, spec: ImageRepositorySpec
    ) {
        let reader = ResourceReader(manifest, defaultNamespace: defaultNamespace)
        guard manifest.kind == kind, ImagePolicy.fluxVersions.contains(where: { manifest.apiVersion == ImagePolicy.fluxGroup + "/" + $0 }) else {
            throw reader.error(
                "apiVersion", "expected \(ImagePolicy.fluxGroup)/v1beta2 ImageRepository, found \(manifest.apiVersion) \(manifest.kind)")
        }
        let name = try ImageResourceNames.validName(manifest.name, reader: reader)
        let spec = try reader.object(
            manifest.object["spec"], "spec",
            allowed: [
                "image", "interval", "secretRef", "insecure", "exclusionList", "timeout", "provider", "suspend",
            ])
        if let provider = try reader.string(spec["provider"], "spec.provider"), provider != "generic" {
            throw reader.error("spec.provider", "only generic is supported; give registry credentials in spec.secretRef")
        }
        _ = try reader.interval(spec["timeout"], "spec.timeout")
        let image = try reader.required(spec["image"], "spec.image", limit: 4096)
        return (
            manifest.namespace.isEmpty ? defaultNamespace : manifest.namespace, name,
            try ImageRepositorySpec(fields: spec, image: image, prefix: "spec", reader: reader)
        )
    }

    /// Reads `image`, `interval`, `secretRef`, `insecure` and `exclusionList` from `fields`.
    init(fields: JSONObject, image: String, prefix: String, reader: ResourceReader) throws(ImageResourceError) {
        let parsed: ImageReference
        do { parsed = try ImageReference.parse(image) } catch { throw reader.error(prefix + ".image", error.message) }
        guard parsed.tag == nil, parsed.digest == nil else { throw reader.error(prefix + ".image", "names a repository, without a tag or digest") }
        self.image = image
        interval = try reader.interval(fields["interval"], prefix + ".interval") ?? Self.defaultInterval
        secretRef = try reader.nameReference(fields["secretRef"], prefix + ".secretRef")?.name
        insecure = try reader.bool(fields["insecure"], prefix + ".insecure") ?? false
        var exclusions = Self.defaultExclusions
        if let list = fields["exclusionList"], list != .null {
            guard case .array(let items) = list, items.count <= 25 else {
                throw reader.error(prefix + ".exclusionList", "must be a list of at most 25 patterns")
            }
            exclusions = []
            for (index, item) in items.enumerated() {
                guard let pattern = item.stringValue, (try? Regex(pattern)) != nil else {
                    throw reader.error("\(prefix).exclusionList[\(index)]", "must be a regular expression")
                }
                exclusions.append(pattern)
            }
        }
        exclusionList = exclusions
    }

    /// The tags left after the exclusion list.
    public func excluding(_ tags: [String]) -> [String] {
        let patterns = exclusionList.compactMap { try? Regex($0) }
        return tags.filter { tag in !patterns.contains { (try? $0.firstMatch(in: tag)) != nil } }
    }
}

/// Name checks shared by the automation resources.
enum ImageResourceNames {
    /// A Kubernetes object name: lowercase letters, digits, `-` and `.`, at most 253.
    static func validName(_ name: String, reader: ResourceReader) throws(ImageResourceError) -> String {
        let allowed = name.utf8.allSatisfy {
            (0x61...0x7A).contains($0) || (0x30...0x39).contains($0) || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: ".")
        }
        guard !name.isEmpty, name.utf8.count <= 253, allowed, name.first != "-", name.first != "." else {
            throw reader.error("metadata.name", "must be a Kubernetes name (lowercase letters, digits, '-', '.')")
        }
        return name
    }
}
