import Foundation
import Kube
import Logging
import Manifests

/// One step of a sync: prepares the objects, plans from the live state, then carries the plan
/// out stage by stage as far as the cluster allows.
struct SyncRun {
    let engine: SyncEngine
    let app: AppIdentity
    let options: SyncOptions
    let logger: Logger

    /// Writes go here.
    var client: any KubernetesAPI { engine.client }
    /// Reads of live objects go here (a watch cache in the controller).
    var reads: any KubernetesAPI { engine.reads }
    var applyOptions: ApplyOptions { ApplyOptions(fieldManager: Tracking.fieldManager, force: true) }

    /// Carries `session`'s operation forward as far as the cluster allows: acts on the current
    /// stage, and moves on while each stage's wait is already satisfied. Never sleeps; returns
    /// `.waiting` when a stage waits for the cluster.
    func step(_ rendered: [Manifest], session: inout SyncSession) async -> SyncStepResult {
        do {
            let context = try await context(rendered, session: session)
            if options.dryRun {
                record(context.plan, into: &session.changes)
                session.operation.phase = .succeeded
                return .finished
            }
            return try await advance(context, session: &session)
        } catch {
            // A failure before anything ran (preparation, planning) or while failing runs no hooks.
            session.operation.failure = session.operation.failure ?? Self.syncError(error, app: app)
            session.operation.phase = .failed
            return .finished
        }
    }

    /// What every step starts from: the prepared objects, the inventory, the live objects and the plan.
    struct Context {
        var desired: [Manifest]
        var inventory: Set<InventoryEntry>
        var live: [ResourceKey: Manifest]
        var plan: SyncPlan
        var stages: [SyncStage]
    }

    func context(_ rendered: [Manifest], session: SyncSession) async throws -> Context {
        let desired = try await prepare(rendered)
        let previous = try await engine.inventory.load(app: app)
        var keys = desired.map { InventoryEntry($0) }
        keys += previous.filter { entry in !desired.contains { $0.key == entry.key } }
        var live = try await fetch(keys)
        if engine.readsMayTrail {
            // A cache may not hold an object yet: before an inventory object counts as gone (and
            // leaves the inventory), the API server confirms it. Only objects leaving Git cost this.
            let desiredKeys = Set(desired.map(\.key))
            for entry in previous where !desiredKeys.contains(entry.key) && live[entry.key] == nil {
                if let object = try await Self.getLive(client, entry) { live[entry.key] = object }
            }
        }
        // This session's writes are the freshest word on the objects it wrote.
        for (key, object) in session.written { live[key] = await freshest(written: object, read: live[key]) }
        let plan = try SyncPlanner.plan(
            .init(
                app: app, desired: desired, live: live, inventory: previous, prune: session.operation.prune, allowEmpty: options.allowEmpty,
                ignoreDifferences: options.ignoreDifferences, allowSharedResources: options.allowSharedResources))
        return Context(desired: desired, inventory: previous, live: live, plan: plan, stages: SyncStage.stages(plan, wait: options.wait))
    }

    /// Acts and waits stage by stage until a stage waits or the operation ends.
    func advance(_ context: Context, session: inout SyncSession) async throws -> SyncStepResult {
        while true {
            let failing = session.operation.failure != nil
            let stages = failing ? SyncStage.failureStages(context.plan) : context.stages
            guard session.operation.stage < stages.count else {
                session.operation.phase = failing ? .failed : .succeeded
                return .finished
            }
            let stage = stages[session.operation.stage]
            do {
                if !session.operation.acted {
                    try await act(stage, context, session: &session)
                    session.operation.acted = true
                }
                switch try await gate(stage, context, session: &session) {
                case .ready:
                    session.operation.stage += 1
                    session.operation.acted = false
                case .again:
                    session.operation.acted = false
                case .waiting(let what):
                    if engine.now() >= session.operation.deadline {
                        throw SyncError(.timeout, app: app, "timed out \(what)")
                    }
                    return .waiting(what)
                }
            } catch {
                if failing {
                    // A SyncFail hook that fails ends the operation; the first failure stays the reason.
                    session.operation.phase = .failed
                    return .finished
                }
                // A failed stage advances no inventory and prunes nothing; the SyncFail hooks run.
                session.operation.failure = Self.syncError(error, app: app)
                session.operation.stage = 0
                session.operation.acted = false
            }
        }
    }

    static func syncError(_ error: any Error, app: AppIdentity) -> SyncError {
        (error as? SyncError) ?? SyncError(.apply, app: app, "\(error)")
    }

    /// The fresher of what this session wrote and what the reads show: a read newer than the
    /// write wins; an object the reads lack was deleted since the write when the reads are
    /// authoritative or have caught up past it, and is merely not seen yet otherwise.
    func freshest(written: Manifest, read: Manifest?) async -> Manifest? {
        if let read { return written.isNewer(than: read) ? written : read }
        guard let trailing = reads as? any TrailingReads else { return engine.readsMayTrail ? written : nil }
        return await trailing.reflects(GroupVersionKind(written), namespace: written.namespace, resourceVersion: written.resourceVersion ?? "")
            ? nil : written
    }

    /// The writes of `stage`.
    func act(_ stage: SyncStage, _ context: Context, session: inout SyncSession) async throws {
        switch stage {
        case .begin:
            if options.createNamespace { try await createMissingNamespaces(context.desired, live: context.live) }
        case .writeAhead:
            // Write-ahead: before anything new is applied the inventory names it too, so a sync cut
            // short (a crash, a failed wave) never leaves an object that a later sync cannot prune.
            let ahead = context.inventory.union(context.desired.map { InventoryEntry($0) })
            if ahead != context.inventory {
                try await engine.inventory.save(app: app, entries: ahead)
                session.inventory = ahead
            }
        case .removeHook(let phase, let index):
            let hook = context.plan.hooks[phase]![index]
            if hook.live != nil && hook.policy.hookDeletePolicies.contains(.beforeHookCreation) {
                try await delete(InventoryEntry(hook.manifest))
            }
        case .hook(let phase, let index):
            let hook = context.plan.hooks[phase]![index]
            var change = change(for: hook, wave: hook.policy.wave, phase: phase)
            change.action = .hook
            do {
                session.written[hook.manifest.key] = try await applyOne(hook.manifest, policy: ObjectSyncPolicy(), live: nil)
            } catch let error as SyncError {
                change.error = error.message
                change.finishedAt = Date()
                session.changes.objects.append(change)
                throw SyncError(.hook, app: app, object: hook.manifest.key, "\(phase.rawValue) hook failed: \(error.message)")
            }
        case .apply(let index):
            try await apply(context.plan.steps[index], session: &session)
        case .established, .healthy:
            break
        case .finish:
            let failedPrunes = await prune(context.plan, into: &session.changes)
            for (entry, reason) in context.plan.keep {
                var change = ObjectChange(key: entry.key, apiVersion: entry.apiVersion, action: .skip)
                change.fields = ["kept: \(reason)"]
                session.changes.objects.append(change)
                if reason.needsAttention {
                    logger.warning("not pruned", metadata: ["keelson.app": "\(app)", "k8s.resource": "\(entry.key)", "reason": "\(reason)"])
                }
            }
            // What this sync owns now: the desired objects, plus what it kept or failed to delete.
            var next = Set(context.desired.map { InventoryEntry($0) })
            next.formUnion(context.plan.keep.filter(\.reason.staysInInventory).map(\.entry))
            next.formUnion(failedPrunes)
            // An unchanged inventory is not written again, so a sync with nothing to do writes nothing.
            if next != session.inventory ?? context.inventory {
                try await engine.inventory.save(app: app, entries: next)
                session.inventory = next
            }
            if !failedPrunes.isEmpty {
                throw SyncError(.prune, app: app, "\(failedPrunes.count) objects could not be pruned; they stay in the inventory")
            }
        }
    }

    // MARK: Preparation

    // MARK: Preparation

    /// Defaults namespaces, drops namespaces from cluster-scoped objects, stamps tracking metadata.
    func prepare(_ rendered: [Manifest]) async throws -> [Manifest] {
        let crds = rendered.filter { $0.group == "apiextensions.k8s.io" && $0.kind == "CustomResourceDefinition" }
        var result: [Manifest] = []
        var scopes: [GroupVersionKind: Bool] = [:]
        for manifest in rendered {
            let gvk = GroupVersionKind(manifest)
            let namespaced: Bool
            if let known = scopes[gvk] {
                namespaced = known
            } else {
                namespaced = try await isNamespaced(gvk, crds: crds, object: manifest.key)
                scopes[gvk] = namespaced
            }
            var object = manifest
            if namespaced && object.namespace.isEmpty { object.namespace = options.namespace }
            if !namespaced && !object.namespace.isEmpty { object.namespace = "" }
            result.append(Tracking.stamp(object, app: app))
        }
        return result
    }

    func isNamespaced(_ gvk: GroupVersionKind, crds: [Manifest], object: ResourceKey) async throws -> Bool {
        do {
            return try await client.resource(for: gvk).namespaced
        } catch {
            // A kind whose CRD is part of this same sync is not served yet: its CRD tells the scope.
            if let crd = crds.first(where: { $0.definedKind.map { $0 == (gvk.group, gvk.kind) } ?? false }) {
                return crd.value[path: ["spec", "scope"]]?.stringValue != "Cluster"
            }
            throw SyncError(.invalidObject, app: app, object: object, "the cluster serves no \(gvk) (\(error.message))")
        }
    }

    /// The live objects at `entries`, by key; missing objects are absent.
    ///
    /// One list per kind and namespace, selected by the application's label, finds what this
    /// application already applied, so a resync with nothing to do asks nothing per object; only
    /// objects the lists did not return (new, or labelled by someone else) are read one by one.
    func fetch(_ entries: [InventoryEntry]) async throws -> [ResourceKey: Manifest] {
        struct Collection: Hashable, Sendable {
            var gvk: GroupVersionKind
            var namespace: String
        }
        let wanted = Set(entries.map(\.key))
        let collections = Array(Set(entries.map { Collection(gvk: $0.groupVersionKind, namespace: $0.key.namespace) }))
        let selector = ListOptions(labelSelector: Tracking.selector(app))
        let listed = try await concurrently(collections) { collection -> [Manifest] in
            let namespace = collection.namespace.isEmpty ? nil : collection.namespace
            // A kind not served yet, or a list the user may not make: read those objects one by one.
            return (try? await self.reads.listAll(collection.gvk, namespace: namespace, options: selector).items) ?? []
        }
        var live: [ResourceKey: Manifest] = [:]
        for object in listed.joined() where wanted.contains(object.key) { live[object.key] = object }
        let unlisted = entries.filter { live[$0.key] == nil }
        let results = try await concurrently(unlisted) { entry -> (ResourceKey, Manifest?) in
            do {
                return (entry.key, try await Self.getLive(self.reads, entry))
            } catch {
                throw SyncError(.apply, app: self.app, object: entry.key, "cannot read the live object: \(error)")
            }
        }
        for (key, object) in results { if let object { live[key] = object } }
        return live
    }

    /// The live object, or `nil` when it does not exist or its kind is not served yet.
    static func getLive(_ client: any KubernetesAPI, _ entry: InventoryEntry) async throws(KubeError) -> Manifest? {
        let namespace = entry.key.namespace.isEmpty ? nil : entry.key.namespace
        do {
            return try await client.get(entry.groupVersionKind, name: entry.key.name, namespace: namespace)
        } catch {
            if error.isNotFound || error.code == .unknownKind { return nil }
            throw error
        }
    }

    func createMissingNamespaces(_ desired: [Manifest], live: [ResourceKey: Manifest]) async throws {
        let declared = Set(desired.filter { $0.group.isEmpty && $0.kind == "Namespace" }.map(\.name))
        let needed = Set(desired.map(\.namespace)).subtracting(declared).subtracting([""])
        for name in needed.sorted() {
            let object = try Manifest(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]])
            let existing: Manifest?
            do { existing = try await Self.getLive(client, InventoryEntry(object)) } catch {
                throw SyncError(.apply, app: app, object: object.key, error.message)
            }
            if existing == nil { try await applyOne(object, policy: ObjectSyncPolicy(), live: nil) }
        }
    }

    /// Records the plan as a change set without writing anything.
    func record(_ plan: SyncPlan, into changes: inout ChangeSet) {
        for step in plan.steps {
            for object in step.objects { changes.objects.append(change(for: object, wave: step.wave)) }
        }
        for phase in HookPhase.allCases {
            for hook in plan.hooks[phase] ?? [] { changes.objects.append(change(for: hook, wave: hook.policy.wave, phase: phase)) }
        }
        for entry in plan.prune { changes.objects.append(ObjectChange(key: entry.key, apiVersion: entry.apiVersion, action: .prune)) }
    }

    func change(for object: PlannedObject, wave: Int, phase: HookPhase? = nil) -> ObjectChange {
        var change = ObjectChange(key: object.manifest.key, apiVersion: object.manifest.apiVersion, action: object.action, wave: wave)
        change.hookPhase = phase
        change.fields = object.fields
        if object.action == .update || object.action == .create {
            change.diff = ObjectDiffer.diff(live: object.live, desired: object.manifest, fields: object.fields)
        }
        if object.action == .update, let live = object.live {
            change.managers = Drift.managers(of: object.fields, in: live).filter { $0 != Tracking.fieldManager }
        }
        return change
    }
}
