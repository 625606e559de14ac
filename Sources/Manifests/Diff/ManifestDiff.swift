/// How one object differs between two sets of manifests.
public enum ChangeKind: String, Sendable, Hashable, CaseIterable {
    case added, changed, removed, unchanged
}

/// The difference of one object: what changed and a unified YAML diff with Secret values masked.
public struct ObjectDiff: Sendable, Hashable {
    /// The object's identity.
    public var key: ResourceKey
    /// What happened to it.
    public var change: ChangeKind
    /// A unified diff of its YAML (masked); empty when unchanged.
    public var unified: String
}

/// The differences between two sets of manifests, in apply order.
public struct ManifestDiff: Sendable, Hashable {
    /// One entry per object present on either side.
    public var objects: [ObjectDiff]

    /// How many objects had `change`.
    public func count(_ change: ChangeKind) -> Int { objects.count { $0.change == change } }

    /// Whether both sides hold the same objects with the same content.
    public var isEmpty: Bool { objects.allSatisfy { $0.change == .unchanged } }

    /// `N added, N changed, N removed, N unchanged`.
    public var summary: String {
        "\(count(.added)) added, \(count(.changed)) changed, \(count(.removed)) removed, \(count(.unchanged)) unchanged"
    }

    /// Compares `old` with `new` by identity; each side must not repeat a key.
    public init(old: [Manifest], new: [Manifest]) {
        let oldByKey = Dictionary(old.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let newByKey = Dictionary(new.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let keys = Set(oldByKey.keys).union(newByKey.keys).sorted(by: ApplyOrder.precedes)
        objects = keys.map { key in
            var masker = SecretMasker()
            let before = oldByKey[key].map { masker.mask($0) }
            let after = newByKey[key].map { masker.mask($0) }
            let change: ChangeKind =
                switch (oldByKey[key], newByKey[key]) {
                case (nil, _): .added
                case (_, nil): .removed
                case (let a?, let b?): a.object == b.object ? .unchanged : .changed
                }
            let unified =
                change == .unchanged
                ? ""
                : LineDiff.unified(
                    old: before.map { YAMLEncoder.encode($0.value) } ?? "",
                    new: after.map { YAMLEncoder.encode($0.value) } ?? "",
                    oldName: before == nil ? "/dev/null" : "a/\(key)",
                    newName: after == nil ? "/dev/null" : "b/\(key)")
            return ObjectDiff(key: key, change: change, unified: unified)
        }
    }

    /// The text `keelson diff` prints: a section per added, changed or removed object, then the summary.
    public func render() -> String {
        var out = ""
        for object in objects where object.change != .unchanged {
            out += "=== \(object.key) (\(object.change.rawValue))\n"
            out += object.unified
        }
        out += summary + "\n"
        return out
    }
}
