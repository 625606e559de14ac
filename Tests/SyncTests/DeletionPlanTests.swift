import Manifests
import Testing

@testable import Sync

/// Deleting an application's objects (its Application deleted with the resources finalizer)
/// follows prune's rules and order, one tier at a time.
@Suite struct DeletionPlanTests {
    static let app: AppIdentity = "shop"

    func object(_ kind: String, _ name: String, group: String = "", namespace: String = "default", wave: Int? = nil) throws -> Manifest {
        var m = try Manifest([
            "apiVersion": .string(group.isEmpty ? "v1" : "\(group)/v1"), "kind": .string(kind), "metadata": ["name": .string(name)],
        ])
        if !namespace.isEmpty { m.namespace = namespace }
        if let wave { m.setAnnotation("keelson.dev/sync-wave", "\(wave)") }
        return Tracking.stamp(m, app: Self.app)
    }

    func plan(live: [Manifest], inventory: [Manifest]) -> DeletionPlan {
        SyncPlanner.deletion(
            app: Self.app, live: Dictionary(live.map { ($0.key, $0) }, uniquingKeysWith: { a, _ in a }),
            inventory: Set(inventory.map { InventoryEntry($0) }))
    }

    // Only the first tier (highest wave, then the last apply stage) is deleted; Namespaces and
    // CRDs wait until what is in them is gone.
    @Test func oneTierAtATimeInPruneOrder() throws {
        let crd = try object("CustomResourceDefinition", "w.example.com", group: "apiextensions.k8s.io", namespace: "")
        let ns = try object("Namespace", "shop", namespace: "")
        let config = try object("ConfigMap", "c")
        let deploy = try object("Deployment", "d", group: "apps")
        let late = try object("Service", "late", wave: 2)
        let all = [crd, ns, config, deploy, late]
        let first = plan(live: all, inventory: all)
        #expect(first.delete.map(\.key.name) == ["late"])
        #expect(first.remaining.map(\.key.name) == ["late", "d", "c", "shop", "w.example.com"])
        let second = plan(live: [crd, ns, config, deploy], inventory: all)
        #expect(second.delete.map(\.key.name) == ["d", "c"])
        #expect(plan(live: [crd, ns], inventory: all).delete.map(\.key.name) == ["shop"])
        #expect(plan(live: [crd], inventory: all).delete.map(\.key.name) == ["w.example.com"])
        #expect(plan(live: [], inventory: all).isDone)
    }

    // An object already marked for deletion (a finalizer holds it) is waited for, not deleted again.
    @Test func objectsBeingDeletedAreWaitedFor() throws {
        let a = try object("ConfigMap", "a")
        var b = try object("ConfigMap", "b")
        b.setMetadata("deletionTimestamp", "2026-01-01T00:00:00Z")
        let result = plan(live: [a, b], inventory: [a, b])
        #expect(result.delete.map(\.key.name) == ["a"])
        #expect(result.terminating.map(\.key.name) == ["b"])
        #expect(!plan(live: [b], inventory: [a, b]).isDone)
    }

    // Prune's safety rules: another owner's object and one saying Prune=false stay; neither holds
    // the deletion up.
    @Test func whatPruneWouldKeepStays() throws {
        let mine = try object("ConfigMap", "mine")
        var pinned = try object("ConfigMap", "pinned")
        pinned.setAnnotation("argocd.argoproj.io/sync-options", "Prune=false")
        let taken = Tracking.stamp(try object("ConfigMap", "taken"), app: "other")
        let result = plan(live: [mine, pinned, taken], inventory: [mine, pinned, taken])
        #expect(result.delete.map(\.key.name) == ["mine"])
        #expect(
            Dictionary(uniqueKeysWithValues: result.keep.map { ($0.entry.key.name, $0.reason) }) == [
                "pinned": .pruneDisabled, "taken": .ownedByAnother,
            ])
        #expect(plan(live: [pinned, taken], inventory: [mine, pinned, taken]).isDone)
    }
}
