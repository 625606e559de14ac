import Foundation
import Kube
import Manifests
import Sync
import Testing

@Suite("Sync under injected API faults")
struct FaultTests {
    /// Every live object of the shop fixture's kinds labelled as owned by `app`.
    static func labelled(_ cluster: SyncCluster, app: String) async throws -> Set<String> {
        var keys = Set<String>()
        for (apiVersion, kind) in [("v1", "ConfigMap"), ("v1", "Service"), ("apps/v1", "Deployment")] {
            var options = ListOptions()
            options.labelSelector = [.equals(Tracking.appLabel, app)]
            let list = try await cluster.client.base.listAll(
                GroupVersionKind(apiVersion: apiVersion, kind: kind), namespace: "default", options: options)
            keys.formUnion(list.items.map(\.key.description))
        }
        return keys
    }

    // Each case pins one refusal the API server gives under load: 500 (retried for idempotent
    // verbs only), 409 (never retried) and 429 (retried). Whatever happens, nothing is deleted
    // unless every apply succeeded; a sync that fails before pruning only ever grows the inventory
    // (it is written ahead of the applies: what was, plus what Git asks for); every object the app owns stays known (inventory or Git); a run without faults converges.
    @Test("under injected faults a sync completes or fails cleanly, and a rerun converges", arguments: [500, 409, 429])
    func faultsNeverHalfPrune(code: Int) async throws {
        try await withSyncCluster { cluster in
            try cluster.add("shop")
            #expect(try await cluster.sync(app: "shop", prune: true).result == .succeeded)
            // The change to sync: one object updated, one added, one removed (to prune).
            try cluster.remove("service.yaml")
            try cluster.write("settings.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: settings\ndata:\n  color: green\n")
            try cluster.write("extra.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\ndata:\n  a: \"1\"\n")

            var outcomes: [ChangeSet.Result] = []
            for _ in 0..<4 {
                let before = try await cluster.inventory("shop")
                try await cluster.faults(#"{"errorRate": 0.25, "codes": [\#(code)]}"#)
                let changes = try await cluster.sync(app: "shop", prune: true) { $0.timeout = .seconds(10) }
                try await cluster.faults(nil)
                outcomes.append(changes.result)

                let after = try await cluster.inventory("shop")
                let applyFailed = changes.objects.contains { $0.action != .prune && $0.error != nil }
                let reachedPrune = changes.objects.contains { $0.action == .prune }
                #expect(!(applyFailed && reachedPrune), "pruned although an apply failed: \(changes.message)")
                if changes.result == .failed && !reachedPrune {
                    let desired = Set(try cluster.render().map { "\($0.kind)/default/\($0.name)" })
                    let (was, now) = (Set(before.map(\.key.description)), Set(after.map(\.key.description)))
                    #expect(
                        was.isSubset(of: now) && now.isSubset(of: was.union(desired)),
                        "a sync that failed before pruning lost or invented inventory entries: \(changes.message)")
                }
                // Never half-pruned: whatever the app owns is in its inventory or still in Git, so
                // the next sync either keeps it or prunes it.
                let owned = try await Self.labelled(cluster, app: "shop")
                let known = Set(after.map(\.key.description)).union(try cluster.render().map { "\($0.kind)/default/\($0.name)" })
                #expect(owned.isSubset(of: known), "owned but neither in the inventory nor in Git: \(owned.subtracting(known))")
                if changes.result == .succeeded {
                    #expect(try await cluster.live("v1", "Service", "web") == nil)
                    #expect(try await cluster.live("v1", "ConfigMap", "extra") != nil)
                }
            }

            let converged = try await cluster.sync(app: "shop", prune: true)
            #expect(converged.result == .succeeded, "\(converged.message) after \(outcomes)")
            #expect(try await cluster.live("v1", "Service", "web") == nil)
            let settings = try #require(try await cluster.live("v1", "ConfigMap", "settings"))
            #expect(settings.value[path: ["data", "color"]]?.stringValue == "green")
            #expect(Set(try await cluster.inventory("shop").map(\.key.name)) == ["settings", "web", "keep", "extra"])
            cluster.client.reset()
            let quiet = try await cluster.sync(app: "shop", prune: true)
            #expect(quiet.objects.allSatisfy { $0.action == .unchanged }, "\(quiet.objects.map { "\($0.key) \($0.action)" })")
            #expect(cluster.client.writes == 0)
        }
    }
}
