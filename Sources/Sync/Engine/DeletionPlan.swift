import Manifests

/// What deleting an application's objects does next (when the Application itself is deleted
/// with its resources finalizer), decided from the inventory and the live objects: the same
/// objects and order a prune of everything would take, one tier at a time.
///
/// A tier is one wave and apply stage: its objects are deleted together, and the next tier
/// waits until they are gone, so custom resources go before their CRDs and namespaced objects
/// before their Namespace, as prune orders them (reverse wave, reverse apply order).
public struct DeletionPlan: Sendable, Hashable {
    /// The owned objects still present, in the order they are deleted.
    public var remaining: [InventoryEntry]
    /// The current tier's objects not yet marked for deletion: deleted now.
    public var delete: [InventoryEntry]
    /// The current tier's objects already marked for deletion (a finalizer holds them): waited for.
    public var terminating: [InventoryEntry]
    /// Inventory objects left in the cluster, with why (another owner, `Prune=false`, `Delete=false`).
    public var keep: [(entry: InventoryEntry, reason: KeepReason)]

    /// Whether every object to delete is gone.
    public var isDone: Bool { remaining.isEmpty }

    public static func == (lhs: DeletionPlan, rhs: DeletionPlan) -> Bool {
        lhs.remaining == rhs.remaining && lhs.delete == rhs.delete && lhs.terminating == rhs.terminating
            && lhs.keep.map(\.entry) == rhs.keep.map(\.entry) && lhs.keep.map(\.reason) == rhs.keep.map(\.reason)
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(remaining)
        hasher.combine(delete)
    }
}

extension SyncPlanner {
    /// Plans the next step of deleting what `app` owns: every object of `inventory` that still
    /// exists in `live`, that `app`'s tracking id names and that its annotations do not keep
    /// (`Prune=false` and prune's other rules, `Delete=false`, Flux's `prune: disabled`; an option
    /// asking for confirmation or an annotation that cannot be read keeps it too); only the first
    /// tier of them is acted on.
    public static func deletion(app: AppIdentity, live: [ResourceKey: Manifest], inventory: Set<InventoryEntry>) -> DeletionPlan {
        let (prune, keep) = pruning(app: app, desired: [], live: live, inventory: inventory, prune: true, deletingApp: true)
        func tier(_ item: (entry: InventoryEntry, wave: Int)) -> (Int, ApplyOrder.Stage) {
            (item.wave, ApplyOrder.stage(group: item.entry.key.group, kind: item.entry.key.kind))
        }
        let first = prune.first.map(tier)
        let current = prune.prefix { item in first.map { tier(item) == $0 } ?? false }.map(\.entry)
        let marked = current.filter { live[$0.key]?.isMarkedForDeletion ?? false }
        return DeletionPlan(
            remaining: prune.map(\.entry), delete: current.filter { !marked.contains($0) }, terminating: marked, keep: keep)
    }
}
