import Manifests
import Testing

@testable import Sync

/// The planner decides every action and order before anything is written.
@Suite struct SyncPlannerTests {
    static let app: AppIdentity = "shop"

    func object(
        _ kind: String, _ name: String, group: String = "", namespace: String = "default", annotations: [String: String] = [:], data: JSONValue? = nil
    ) throws -> Manifest {
        let apiVersion = group.isEmpty ? "v1" : "\(group)/v1"
        var m = try Manifest(["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": ["name": .string(name)]])
        if !namespace.isEmpty { m.namespace = namespace }
        for (k, v) in annotations { m.setAnnotation(k, v) }
        if let data { m.object["data"] = data }
        return Tracking.stamp(m, app: Self.app)
    }

    func input(_ desired: [Manifest], live: [Manifest] = [], inventory: [Manifest] = [], prune: Bool = true) -> SyncPlanner.Input {
        SyncPlanner.Input(
            app: Self.app, desired: desired, live: Dictionary(live.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a }),
            inventory: Set(inventory.map { InventoryEntry($0) }), prune: prune)
    }

    @Test func actionsComeFromLiveState() throws {
        let same = try object("ConfigMap", "same", data: ["a": "1"])
        let changed = try object("ConfigMap", "changed", data: ["a": "2"])
        var changedLive = changed
        changedLive.object["data"] = ["a": "1"]
        let fresh = try object("ConfigMap", "fresh")
        let plan = try SyncPlanner.plan(input([same, changed, fresh], live: [same, changedLive]))
        let actions = Dictionary(uniqueKeysWithValues: plan.steps.flatMap(\.objects).map { ($0.manifest.name, $0.action) })
        #expect(actions == ["same": .unchanged, "changed": .update, "fresh": .create])
        #expect(plan.steps.flatMap(\.objects).first { $0.manifest.name == "changed" }?.fields == ["/data/a"])
    }

    @Test func createOnlyObjectsAreCreatedButNeverUpdated() throws {
        let options = ["keelson.dev/sync-options": "CreateOnly=true"]
        let changed = try object("ConfigMap", "crd-like", annotations: options, data: ["a": "2"])
        var live = changed
        live.object["data"] = ["a": "1"]
        let missing = try object("ConfigMap", "missing", annotations: options)
        let plan = try SyncPlanner.plan(input([changed, missing], live: [live]))
        let actions = Dictionary(uniqueKeysWithValues: plan.steps.flatMap(\.objects).map { ($0.manifest.name, $0.action) })
        #expect(actions == ["crd-like": .unchanged, "missing": .create])
    }

    @Test func wavesThenStagesThenKindOrder() throws {
        let plan = try SyncPlanner.plan(
            input([
                try object("Deployment", "web", group: "apps"),
                try object("ConfigMap", "early", annotations: ["argocd.argoproj.io/sync-wave": "-1"]),
                try object("CustomResourceDefinition", "w.example.com", group: "apiextensions.k8s.io", namespace: ""),
                try object("Namespace", "shop", namespace: ""),
                try object("Service", "late", annotations: ["keelson.dev/sync-wave": "2"]),
            ]))
        #expect(plan.waves == [-1, 0, 2])
        #expect(
            plan.steps.map { "\($0.wave):\($0.stage)" } == [
                "-1:resources", "0:customResourceDefinitions", "0:namespaces", "0:resources", "2:resources",
            ])
        #expect(plan.steps.flatMap(\.objects).map(\.manifest.name) == ["early", "w.example.com", "shop", "web", "late"])
    }

    @Test func hooksAreNotOrdinaryObjects() throws {
        let plan = try SyncPlanner.plan(
            input([
                try object("Job", "migrate", group: "batch", annotations: ["argocd.argoproj.io/hook": "PreSync"]),
                try object("Job", "smoke", group: "batch", annotations: ["keelson.dev/hook": "PostSync"]),
                try object("ConfigMap", "app"),
            ]))
        #expect(plan.steps.flatMap(\.objects).map(\.manifest.name) == ["app"])
        #expect(plan.hooks[.preSync]?.map(\.manifest.name) == ["migrate"])
        #expect(plan.hooks[.postSync]?.map(\.manifest.name) == ["smoke"])
    }

    @Test func pruneOnlyWhatThisAppOwns() throws {
        let kept = try object("ConfigMap", "kept")
        let removed = try object("ConfigMap", "removed")
        let pinned = try object("ConfigMap", "pinned", annotations: ["argocd.argoproj.io/sync-options": "Prune=false"])
        // Same name, but another application's tracking id: never pruned.
        var foreign = try object("ConfigMap", "foreign")
        foreign.setAnnotation(Tracking.trackingAnnotation, Tracking.trackingID(app: "other", key: foreign.key))
        let gone = try object("ConfigMap", "already-gone")
        let plan = try SyncPlanner.plan(input([kept], live: [kept, removed, pinned, foreign], inventory: [kept, removed, pinned, foreign, gone]))
        #expect(plan.prune.map(\.key.name) == ["removed"])
        #expect(Set(plan.keep.map(\.entry.key.name)) == ["pinned", "foreign"])
    }

    @Test func aDesiredObjectOfAnotherApplicationIsNotTakenOver() throws {
        // The same name in another namespace is another application: its object is not this one's.
        var contested = try object("ConfigMap", "contested")
        contested.setAnnotation(Tracking.trackingAnnotation, Tracking.trackingID(app: "tenant-b/shop", key: contested.key))
        #expect {
            try SyncPlanner.plan(input([try object("ConfigMap", "contested")], live: [contested]))
        } throws: { error in
            let error = error as? SyncError
            return error?.code == .sharedResource && error?.object?.name == "contested" && error?.description.contains("tenant-b/shop") == true
        }
        // AllowSharedResource=true takes over from an application of the same namespace only.
        var allowing = input([try object("ConfigMap", "contested")], live: [contested])
        allowing.allowSharedResources = true
        #expect(throws: SyncError.self) { try SyncPlanner.plan(allowing) }
        var neighbour = try object("ConfigMap", "contested")
        neighbour.setAnnotation(Tracking.trackingAnnotation, Tracking.trackingID(app: "keelson/other", key: neighbour.key))
        var sameNamespace = input([try object("ConfigMap", "contested")], live: [neighbour])
        sameNamespace.allowSharedResources = true
        #expect(try SyncPlanner.plan(sameNamespace).steps.first?.objects.first?.action == .update)
        // An unlabelled object made by hand is adopted as before.
        let unlabelled = try Manifest(["apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "by-hand", "namespace": "default"]])
        #expect(try SyncPlanner.plan(input([try object("ConfigMap", "by-hand")], live: [unlabelled])).steps.count == 1)
    }

    @Test func legacyTrackingIdsBelongToTheApplicationInTheLegacyNamespaceOnly() throws {
        // Objects written before ids carried a namespace say `shop:...`: keelson/shop still owns
        // and prunes them; tenant-b/shop owns none of them.
        var old = try object("ConfigMap", "old")
        old.setAnnotation(Tracking.trackingAnnotation, "shop:/ConfigMap:default/old")
        #expect(Tracking.isOwned(old, by: "keelson/shop"))
        #expect(!Tracking.isOwned(old, by: "tenant-b/shop"))
        #expect(try SyncPlanner.plan(input([], live: [old], inventory: [old]).allowingEmpty()).prune.map(\.key.name) == ["old"])
        let tenant = SyncPlanner.Input(
            app: "tenant-b/shop", desired: [], live: [old.key: old], inventory: [InventoryEntry(old)], prune: true, allowEmpty: true)
        #expect(try SyncPlanner.plan(tenant).keep.map(\.reason) == [.ownedByAnother])
    }

    @Test func pruneRunsInReverseOrder() throws {
        let ns = try object("Namespace", "n", namespace: "")
        let deploy = try object("Deployment", "d", group: "apps")
        let late = try object("ConfigMap", "late", annotations: ["keelson.dev/sync-wave": "5"])
        let plan = try SyncPlanner.plan(input([], live: [ns, deploy, late], inventory: [ns, deploy, late], prune: true).allowingEmpty())
        #expect(plan.prune.map(\.key.name) == ["late", "d", "n"])
    }

    @Test func withoutPruneNothingIsDeleted() throws {
        let a = try object("ConfigMap", "a")
        let b = try object("ConfigMap", "b")
        let plan = try SyncPlanner.plan(input([a], live: [a, b], inventory: [a, b], prune: false))
        #expect(plan.prune.isEmpty)
        #expect(plan.keep.map(\.reason) == [.pruningOff])
    }

    @Test func emptyRenderRefusesToPrune() throws {
        let a = try object("ConfigMap", "a")
        #expect(throws: SyncError.self) { try SyncPlanner.plan(input([], live: [a], inventory: [a])) }
        #expect(try SyncPlanner.plan(input([], live: [a], inventory: [a]).allowingEmpty()).prune.count == 1)
        // An empty render with nothing owned is fine.
        #expect(try SyncPlanner.plan(input([])).steps.isEmpty)
    }

    @Test func badAnnotationsFailThePlan() throws {
        let bad = try object("ConfigMap", "bad", annotations: ["keelson.dev/sync-wave": "soon"])
        #expect {
            try SyncPlanner.plan(input([bad]))
        } throws: { error in
            (error as? SyncError)?.object == bad.key && (error as? SyncError)?.code == .invalidObject
        }
    }
}

extension SyncPlanner.Input {
    func allowingEmpty() -> Self {
        var copy = self
        copy.allowEmpty = true
        return copy
    }
}
