import Manifests
import Progressive
import Secrets
import Sync

/// What a plan says about one object's change, as data: which deletions lose data, which fields
/// the API server refuses to change in place, and what reviewers want named (images, masked and
/// encrypted values). Pure: the same two objects give the same words.
enum PlanRules {
    /// Kinds whose deletion deletes data.
    static let dataLossKinds: Set<GroupKind> = [
        GroupKind("", "PersistentVolumeClaim"), GroupKind("", "Namespace"), GroupKind("apiextensions.k8s.io", "CustomResourceDefinition"),
    ]

    /// Where pod specs sit in the kinds that hold one.
    static let podSpecPaths: [[String]] = [
        ["spec", "template", "spec"], ["spec", "jobTemplate", "spec", "template", "spec"], ["spec"],
    ]

    /// A group and kind.
    struct GroupKind: Hashable, Sendable {
        var group: String
        var kind: String
        init(_ group: String, _ kind: String) {
            self.group = group
            self.kind = kind
        }
        init(_ key: ResourceKey) { self.init(key.group, key.kind) }
    }

    /// The warnings for `change` of an object from `base` to `head`.
    static func warnings(_ change: ObjectChange, key: ResourceKey, base: Manifest?, head: Manifest?) -> [PlanWarning] {
        let kind = GroupKind(key)
        switch change {
        case .pruned where dataLossKinds.contains(kind):
            return [PlanWarning(.dataLoss, "⚠ data loss: deletes \(key.kind) \(name(key))")]
        case .changed:
            guard let base, let head else { return [] }
            let policy = try? SyncAnnotations.policy(of: head)
            // Force=true deletes and re-creates the object when an update is refused; a hook is
            // re-created on every sync, and a CreateOnly object is never updated.
            if policy?.force == true || policy?.isHook == true || policy?.createOnly == true { return [] }
            let fields = ImmutableFields.changed(old: base.object, new: head.object, group: key.group, kind: key.kind)
            return fields.map {
                PlanWarning(
                    .immutable, "⚠ sync will fail: immutable field \($0) of \(key.kind) \(name(key)) (Force=true re-creates it)", failsSync: true)
            }
        default:
            return []
        }
    }

    /// Facts worth a reviewer's eye: image changes, masked Secret values, sealed SOPS values.
    static func notes(_ change: ObjectChange, key: ResourceKey, base: Manifest?, head: Manifest?) -> [String] {
        var notes: [String] = []
        if change == .changed, let base, let head {
            let before = imagesByContainer(base)
            for (container, image) in images(head) where before[container].map({ $0 != image }) ?? false {
                notes.append("image \(describe(from: before[container]!, to: image))")
            }
        }
        let sealed = [base, head].contains { $0.map { isSealed($0.value) } ?? false }
        if sealed {
            notes.append("\(key.kind) \(name(key)) \(change.rawValue) (encrypted, values masked)")
        } else if key.group.isEmpty && key.kind == "Secret" {
            notes.append("Secret \(name(key)) \(change.rawValue) (values masked)")
        }
        return notes.sorted()
    }

    /// How a changed pod template of a Deployment under a Rollout will reach users:
    /// `progressive: canary 20% → 60% → promote`.
    static func rollout(_ change: ObjectChange, key: ResourceKey, base: Manifest?, head: Manifest?, render: [Manifest]) -> [String] {
        guard change == .changed, key.group == "apps", key.kind == "Deployment", let base, let head else { return [] }
        let template = { (object: Manifest) in PodTemplate.hash(object.object["spec"]?["template"] ?? .null) }
        guard template(base) != template(head) else { return [] }
        let spec = render.lazy.filter { $0.group == RolloutAPI.group && $0.kind == RolloutAPI.rolloutKind && $0.namespace == key.namespace }
            .compactMap { try? RolloutSpec($0) }.first { $0.target == key.name }
        guard let spec else { return [] }
        switch spec.strategy {
        case .canary(let canary):
            let weights = canary.steps.compactMap { step -> String? in
                if case .setWeight(let weight) = step { return "\(weight)%" }
                return nil
            }
            return ["progressive: canary " + (weights + ["promote"]).joined(separator: " → ")]
        case .blueGreen(let blueGreen):
            return ["progressive: blue-green preview → " + (blueGreen.autoPromotion ? "switch" : "switch on promote")]
        }
    }

    /// `namespace/name`, or the name of a cluster-scoped object.
    static func name(_ key: ResourceKey) -> String { key.namespace.isEmpty ? key.name : "\(key.namespace)/\(key.name)" }

    /// Container images by container name, across containers and init containers.
    static func images(_ manifest: Manifest) -> [(container: String, image: String)] {
        for path in podSpecPaths {
            guard let spec = manifest.value[path: path]?.objectValue, spec["containers"] != nil else { continue }
            return ["initContainers", "containers"].flatMap { field in
                (spec[field]?.arrayValue ?? []).compactMap { container in
                    guard let name = container["name"]?.stringValue, let image = container["image"]?.stringValue else { return nil }
                    return (name, image)
                }
            }
        }
        return []
    }

    private static func imagesByContainer(_ manifest: Manifest) -> [String: String] {
        Dictionary(images(manifest).map { ($0.container, $0.image) }, uniquingKeysWith: { first, _ in first })
    }

    /// `repo 1.0 → 1.1` when only the tag (or digest) changes, else `old → new`.
    static func describe(from old: String, to new: String) -> String {
        let (oldRepository, oldTag) = split(old)
        let (newRepository, newTag) = split(new)
        return oldRepository == newRepository ? "\(oldRepository) \(oldTag) → \(newTag)" : "\(old) → \(new)"
    }

    /// An image reference's repository and its tag or digest (`latest` when it names none).
    static func split(_ image: String) -> (repository: String, tag: String) {
        if let at = image.firstIndex(of: "@") { return (String(image[..<at]), String(image[image.index(after: at)...])) }
        if let colon = image.lastIndex(of: ":"), !image[colon...].contains("/") {
            return (String(image[..<colon]), String(image[image.index(after: colon)...]))
        }
        return (image, "latest")
    }

    /// Whether a value holds a sealed SOPS value (`SOPS.sealedPrefix`).
    static func isSealed(_ value: JSONValue) -> Bool {
        switch value {
        case .string(let text): text.hasPrefix(SOPS.sealedPrefix)
        case .array(let items): items.contains(where: isSealed)
        case .object(let object): object.contains { isSealed($0.value) }
        default: false
        }
    }
}
