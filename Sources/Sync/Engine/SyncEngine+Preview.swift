import Kube
import Manifests

/// What a sync would do, with the objects it compared: the prepared desired objects, the live
/// objects found, and the plan. Nothing is written to make one.
public struct SyncPreview: Sendable {
    /// The desired objects as a sync would apply them (namespaces defaulted, tracking stamped).
    public var desired: [Manifest]
    /// The live objects found for desired and inventory keys.
    public var live: [ResourceKey: Manifest]
    /// The last successful sync's inventory.
    public var inventory: Set<InventoryEntry>
    /// The plan a sync would carry out.
    public var plan: SyncPlan

    /// The unified YAML diff of `desired` against `live` as a sync shows it (only the fields Git
    /// sets), masked with `masker` so the caller can mask the whole objects consistently.
    public static func diff(live: Manifest?, desired: Manifest?, masker: inout SecretMasker) -> String {
        switch (live, desired) {
        case (_, let desired?):
            let after = masker.mask(desired)
            guard let live else {
                return LineDiff.unified(old: "", new: YAMLEncoder.encode(after.value), oldName: "/dev/null", newName: "desired/\(desired.key)")
            }
            let projected = masker.mask(Manifest(unchecked: ObjectDiffer.project(live.object, onto: desired.object), source: nil))
            return LineDiff.unified(
                old: YAMLEncoder.encode(projected.value), new: YAMLEncoder.encode(after.value), oldName: "live/\(desired.key)",
                newName: "desired/\(desired.key)")
        case (let live?, nil):
            let before = masker.mask(live)
            return LineDiff.unified(old: YAMLEncoder.encode(before.value), new: "", oldName: "live/\(live.key)", newName: "/dev/null")
        case (nil, nil):
            return ""
        }
    }
}

extension SyncEngine {
    /// `desired` as a sync of `app` would apply it: namespaces defaulted (a namespaced object
    /// names its namespace, a cluster-scoped one none) and tracking stamped. Writes nothing; the
    /// objects' scopes come from discovery (or from a CRD in `desired`).
    public func prepare(app: AppIdentity, desired: [Manifest], options: SyncOptions) async throws -> [Manifest] {
        try await SyncRun(engine: self, app: app, options: options, logger: logger).prepare(desired)
    }

    /// Plans a sync of `desired` as application `app` exactly as `sync` would (same preparation,
    /// live lookup and planner), and returns the plan with the objects it compared. Writes nothing.
    public func preview(app: AppIdentity, desired rendered: [Manifest], options: SyncOptions) async throws -> SyncPreview {
        let run = SyncRun(engine: self, app: app, options: options, logger: logger)
        let desired = try await run.prepare(rendered)
        let previous = try await inventory.load(app: app)
        var keys = desired.map { InventoryEntry($0) }
        keys += previous.filter { entry in !desired.contains { $0.key == entry.key } }
        let live = try await run.fetch(keys)
        let plan = try SyncPlanner.plan(
            .init(
                app: app, desired: desired, live: live, inventory: previous, prune: options.prune, allowEmpty: options.allowEmpty,
                ignoreDifferences: options.ignoreDifferences, allowSharedResources: options.allowSharedResources))
        return SyncPreview(desired: desired, live: live, inventory: previous, plan: plan)
    }
}
