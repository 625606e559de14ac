/// The resources discovery has found, by group/version/kind. Shared by every task that uses
/// one client, so it is an actor.
public actor DiscoveryCache {
    private var byKind: [GroupVersionKind: APIResource] = [:]
    private var complete = false

    /// Creates an empty cache.
    public init() {}

    /// The resource for `gvk`, if known.
    public func resource(for gvk: GroupVersionKind) -> APIResource? { byKind[gvk] }

    /// Every known resource, sorted by group, version and kind.
    public func allResources() -> [APIResource] {
        byKind.values.sorted {
            let l = $0.groupVersionKind, r = $1.groupVersionKind
            return (l.group, l.version, l.kind) < (r.group, r.version, r.kind)
        }
    }

    /// Whether a full discovery has been stored since the last `invalidate()`.
    public var isComplete: Bool { complete }

    /// Replaces what is known about one group-version.
    public func store(groupVersion: String, resources: [APIResource]) {
        byKind = byKind.filter { $0.key.apiVersion != groupVersion }
        for resource in resources { byKind[resource.groupVersionKind] = resource }
    }

    /// Replaces everything with a full discovery.
    public func storeAll(_ resources: [APIResource]) {
        byKind = [:]
        for resource in resources { byKind[resource.groupVersionKind] = resource }
        complete = true
    }

    /// Forgets everything.
    public func invalidate() {
        byKind = [:]
        complete = false
    }
}
