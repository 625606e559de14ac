import Manifests

/// Namespaces and CRDs first: an object cannot be created before its Namespace exists or before
/// the CRD of its kind is established, whatever waves its annotations name.
///
/// The rule: a Namespace of the render is needed by every namespaced object in it; a CRD of the
/// render by every object of its group and kind. Each goes to the earliest of its own wave and
/// the waves of the ordinary objects that need it, so it is applied (and, for a CRD, established)
/// in the first wave that uses it, ahead of that wave's other objects by the usual stage order.
/// When a PreSync hook needs it, it is applied before the PreSync hooks, as Argo CD's
/// gitops-engine moves a dependency into the phase of the first task that references it.
///
/// - It only ever moves earlier: an explicit wave annotation is honoured unless an object that
///   needs the Namespace or CRD comes earlier, because honouring it then could only fail on a
///   fresh cluster (`namespaces "demo" not found`). Nothing else moves; kind order within a wave,
///   hooks and the other objects keep their places.
/// - It reads the render only, never the live state: a Namespace that already exists moves all
///   the same, so the plan's steps (and a persisted operation's stage index) stay the same from
///   one step of a sync to the next while the cluster changes under it.
/// - Sync and PostSync hooks run after every wave, and SyncFail hooks after a failure, so only
///   PreSync hooks can come before what they need.
extension SyncPlanner {
    /// Where a Namespace or CRD goes once what needs it is known.
    struct Placement: Sendable, Hashable {
        /// The wave it is applied in.
        var wave: Int
        /// Whether it is applied before the PreSync hooks.
        var beforeHooks = false
    }

    /// What an object needs to exist before it is applied.
    private enum Need: Hashable {
        case namespace(String)
        case kind(group: String, kind: String)
    }

    /// The placement of each Namespace and CRD among `ordinary` that something needs earlier than
    /// its own wave, or that a hook among `preSync` needs; objects absent from the result stay put.
    static func prerequisitePlacements(_ ordinary: [PlannedObject], preSync: [PlannedObject]) -> [ResourceKey: Placement] {
        var providers: [Need: PlannedObject] = [:]
        for object in ordinary {
            if let need = provided(by: object.manifest) { providers[need] = object }
        }
        if providers.isEmpty { return [:] }
        var placements: [ResourceKey: Placement] = [:]
        for object in ordinary {
            for need in needs(of: object.manifest) {
                guard let provider = providers[need], object.policy.wave < provider.policy.wave else { continue }
                let wave = min(placements[provider.manifest.key]?.wave ?? provider.policy.wave, object.policy.wave)
                placements[provider.manifest.key] = Placement(wave: wave)
            }
        }
        for hook in preSync {
            for need in needs(of: hook.manifest) {
                guard let provider = providers[need] else { continue }
                placements[provider.manifest.key, default: Placement(wave: provider.policy.wave)].beforeHooks = true
            }
        }
        return placements
    }

    /// What `manifest` provides to others: the namespace it is, or the kind its CRD serves.
    private static func provided(by manifest: Manifest) -> Need? {
        switch ApplyOrder.stage(group: manifest.group, kind: manifest.kind) {
        case .namespaces: return .namespace(manifest.name)
        case .customResourceDefinitions: return manifest.definedKind.map { .kind(group: $0.group, kind: $0.kind) }
        default: return nil
        }
    }

    /// What `manifest` needs: its namespace, and the CRD of its kind.
    private static func needs(of manifest: Manifest) -> [Need] {
        (manifest.namespace.isEmpty ? [] : [.namespace(manifest.namespace)]) + [.kind(group: manifest.group, kind: manifest.kind)]
    }
}
