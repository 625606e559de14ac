import Foundation
import Kube
import Logging
import Manifests

/// One sync in progress: prepares the objects, plans, then carries the plan out step by step.
struct SyncRun {
    let engine: SyncEngine
    let app: AppIdentity
    let options: SyncOptions
    let logger: Logger
    let deadline: ContinuousClock.Instant

    init(engine: SyncEngine, app: AppIdentity, options: SyncOptions, logger: Logger) {
        self.engine = engine
        self.app = app
        self.options = options
        self.logger = logger
        self.deadline = ContinuousClock.now + options.timeout
    }

    var client: any KubernetesAPI { engine.client }
    var applyOptions: ApplyOptions { ApplyOptions(fieldManager: Tracking.fieldManager, force: true) }

    func run(_ rendered: [Manifest], into changes: inout ChangeSet) async throws {
        let desired = try await prepare(rendered)
        let previous = try await engine.inventory.load(app: app)
        var keys = desired.map { InventoryEntry($0) }
        keys += previous.filter { entry in !desired.contains { $0.key == entry.key } }
        let live = try await fetch(keys)
        let plan = try SyncPlanner.plan(
            .init(
                app: app, desired: desired, live: live, inventory: previous, prune: options.prune, allowEmpty: options.allowEmpty,
                ignoreDifferences: options.ignoreDifferences, allowSharedResources: options.allowSharedResources))

        if options.dryRun {
            record(plan, into: &changes)
            return
        }
        // Write-ahead: before anything new is applied the inventory names it too, so a sync cut
        // short (a crash, a failed wave) never leaves an object that a later sync cannot prune.
        let ahead = previous.union(desired.map { InventoryEntry($0) })
        do {
            if options.createNamespace { try await createMissingNamespaces(desired, live: live) }
            try await runHooks(plan.hooks[.preSync] ?? [], phase: .preSync, into: &changes)
            if ahead != previous { try await engine.inventory.save(app: app, entries: ahead) }
            for (index, step) in plan.steps.enumerated() {
                try await apply(step, into: &changes)
                if step.stage == .customResourceDefinitions { try await waitEstablished(step.objects) }
                let nextWave = plan.steps.dropFirst(index + 1).first?.wave
                if let nextWave, nextWave != step.wave {
                    try await waitHealthy(plan.steps.filter { $0.wave == step.wave }.flatMap(\.objects).map(\.manifest), reason: "wave \(step.wave)")
                }
            }
            try await runHooks(plan.hooks[.sync] ?? [], phase: .sync, into: &changes)
            if !(plan.hooks[.postSync] ?? []).isEmpty {
                try await waitHealthy(plan.steps.flatMap(\.objects).map(\.manifest), reason: "PostSync hooks")
                try await runHooks(plan.hooks[.postSync] ?? [], phase: .postSync, into: &changes)
            }
        } catch {
            // A failed apply advances no inventory and prunes nothing.
            try? await runHooks(plan.hooks[.syncFail] ?? [], phase: .syncFail, into: &changes)
            throw error
        }
        let failedPrunes = await prune(plan, into: &changes)
        for (entry, reason) in plan.keep {
            var change = ObjectChange(key: entry.key, apiVersion: entry.apiVersion, action: .skip)
            change.error = nil
            change.fields = ["kept: \(reason)"]
            changes.objects.append(change)
        }
        // What this sync owns now: the desired objects, plus what it kept or failed to delete.
        var next = Set(desired.map { InventoryEntry($0) })
        next.formUnion(plan.keep.filter(\.reason.staysInInventory).map(\.entry))
        next.formUnion(failedPrunes)
        // An unchanged inventory is not written again, so a sync with nothing to do writes nothing.
        if next != ahead { try await engine.inventory.save(app: app, entries: next) }
        if !failedPrunes.isEmpty {
            throw SyncError(.prune, app: app, "\(failedPrunes.count) objects could not be pruned; they stay in the inventory")
        }
        if options.wait {
            do {
                changes.health = try await waitHealthy(desired, reason: "--wait", failOnDegraded: true)
            } catch {
                // Say how unhealthy the application was when the wait gave up, not nothing.
                changes.health = try? await assess(desired).worst
                throw error
            }
        }
    }

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
            if let crd = crds.first(where: { crd in
                crd.value[path: ["spec", "group"]]?.stringValue == gvk.group
                    && crd.value[path: ["spec", "names", "kind"]]?.stringValue == gvk.kind
            }) {
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
            return (try? await self.client.listAll(collection.gvk, namespace: namespace, options: selector).items) ?? []
        }
        var live: [ResourceKey: Manifest] = [:]
        for object in listed.joined() where wanted.contains(object.key) { live[object.key] = object }
        let unlisted = entries.filter { live[$0.key] == nil }
        let results = try await concurrently(unlisted) { entry -> (ResourceKey, Manifest?) in
            do {
                return (entry.key, try await Self.getLive(self.client, entry))
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
        for phase in HookPhase.allCases { for hook in plan.hooks[phase] ?? [] { changes.objects.append(change(for: hook, wave: hook.policy.wave, phase: phase)) } }
        for entry in plan.prune { changes.objects.append(ObjectChange(key: entry.key, apiVersion: entry.apiVersion, action: .prune)) }
    }

    func change(for object: PlannedObject, wave: Int, phase: HookPhase? = nil) -> ObjectChange {
        var change = ObjectChange(key: object.manifest.key, apiVersion: object.manifest.apiVersion, action: object.action, wave: wave)
        change.hookPhase = phase
        change.fields = object.fields
        if object.action == .update || object.action == .create {
            change.diff = ObjectDiffer.diff(live: object.live, desired: object.manifest, fields: object.fields)
        }
        return change
    }
}
