import Manifests

/// What one successful generation changes, decided without I/O from the Applications it wants
/// and the Applications that exist in the set's namespace:
///
/// - a wanted Application that does not exist is created;
/// - one that exists and is owned by the set (its controlling owner reference) is updated when
///   its spec, the template's labels or annotations, or finalizers differ, as `applicationsSync`
///   and a RollingSync strategy allow;
/// - one that exists and is not owned by the set is never touched, and reported;
/// - an owned Application no longer wanted is deleted, as `applicationsSync` allows, only by a
///   plan that follows a fresh generation (never by one that replans because the Applications
///   changed: those changes are what a deletion itself causes, and would chain the caps), and at
///   most `maxDeletionShare` of the owned Applications that are not terminating (a share of 0
///   deletes none); the rest is held back for the next generation.
public struct GenerationPlan: Sendable, Hashable {
    /// Applications to create.
    public var creates: [Manifest] = []
    /// Existing Applications with their new content (resourceVersion kept, so a write races nothing).
    public var updates: [Manifest] = []
    /// Owned Applications to delete.
    public var deletes: [Manifest] = []
    /// Wanted names held by Applications the set does not own.
    public var notOwned: [String] = []
    /// Deletions left for a later generation by `maxDeletionShare`, or because this plan follows none.
    public var heldBackDeletions: [String] = []
    /// Updates left for a later step by RollingSync.
    public var waitingUpdates: [String] = []
    /// Changes `applicationsSync` forbids (updates and deletions), by name.
    public var skippedByPolicy: [String] = []
    /// RollingSync's states, when the set has the strategy.
    public var rollout: RollingSync.Decision?

    /// Whether the cluster already is what the set wants.
    public var isUpToDate: Bool {
        creates.isEmpty && updates.isEmpty && deletes.isEmpty && heldBackDeletions.isEmpty && waitingUpdates.isEmpty && notOwned.isEmpty
    }

    /// Plans a pass of `set` wanting `desired`, with `existing` the Applications of its namespace
    /// and `previous` the RollingSync entries of the last pass. `freshGeneration` says whether
    /// `desired` comes from a run of the generators this pass: only then does the plan delete.
    public static func plan(
        _ set: ApplicationSet, desired: [Manifest], existing: [Manifest], freshGeneration: Bool, previous: [String: RollingSync.Entry] = [:]
    ) -> GenerationPlan {
        var plan = GenerationPlan()
        let byName = Dictionary(existing.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        let wanted = Set(desired.map(\.name))
        var candidates: [(merged: Manifest, observed: RollingSync.Observed)] = []
        var observed: [RollingSync.Observed] = []
        for application in desired {
            guard let current = byName[application.name] else {
                plan.creates.append(application)
                continue
            }
            guard ApplicationBuilder.isOwned(current, by: set) else {
                plan.notOwned.append(application.name)
                continue
            }
            if current.metadata["deletionTimestamp"] != nil { continue }
            let merged = Self.merged(current, with: application)
            let changed = merged != current
            let status = current.object["status"]
            let seen = RollingSync.Observed(
                name: application.name, labels: merged.labels, needsUpdate: changed && set.syncPolicy.applicationsSync.updates,
                resourceVersion: current.resourceVersion ?? "", synced: status?["sync"]?["status"]?.stringValue == "Synced",
                healthy: status?["health"]?["status"]?.stringValue == "Healthy")
            observed.append(seen)
            guard changed else { continue }
            guard set.syncPolicy.applicationsSync.updates else {
                plan.skippedByPolicy.append(application.name)
                continue
            }
            candidates.append((merged, seen))
        }
        if let strategy = set.rollingSync {
            let decision = RollingSync.decide(strategy, applications: observed, previous: previous)
            plan.rollout = decision
            for candidate in candidates {
                if decision.write.contains(candidate.merged.name) {
                    plan.updates.append(candidate.merged)
                } else {
                    plan.waitingUpdates.append(candidate.merged.name)
                }
            }
        } else {
            plan.updates = candidates.map(\.merged)
        }
        let live = existing.filter { ApplicationBuilder.isOwned($0, by: set) && $0.metadata["deletionTimestamp"] == nil }
        let unwanted = live.filter { !wanted.contains($0.name) }.sorted { $0.name < $1.name }
        if set.syncPolicy.applicationsSync.deletes {
            let allowed = freshGeneration ? set.syncPolicy.maxDeletionShare.of(live.count) : 0
            plan.deletes = Array(unwanted.prefix(allowed))
            plan.heldBackDeletions = unwanted.dropFirst(allowed).map(\.name)
        } else {
            plan.skippedByPolicy += unwanted.map(\.name)
        }
        return plan
    }

    /// `current` with what the set manages taken from `desired`: the spec, the template's labels
    /// and annotations (others kept), its finalizers added, the owner references kept.
    static func merged(_ current: Manifest, with desired: Manifest) -> Manifest {
        var merged = current
        merged.object["spec"] = desired.object["spec"]
        for field in ["labels", "annotations"] {
            var values = current.metadata[field]?.objectValue ?? [:]
            for (key, value) in desired.metadata[field]?.objectValue ?? [:] { values[key] = value }
            merged.setMetadata(field, values.isEmpty ? nil : .object(values))
        }
        var finalizers = current.metadata["finalizers"]?.arrayValue ?? []
        for finalizer in desired.metadata["finalizers"]?.arrayValue ?? [] where !finalizers.contains(finalizer) { finalizers.append(finalizer) }
        merged.setMetadata("finalizers", finalizers.isEmpty ? nil : .array(finalizers))
        return merged
    }
}
