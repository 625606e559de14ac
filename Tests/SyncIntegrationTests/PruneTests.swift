import Foundation
import Kube
import Manifests
import Sync
import Testing

@Suite("Prune against a sandbox over HTTP")
struct PruneTests {
    // Pins: removing a file prunes exactly the object it held (one delete, nothing else
    // touched), and an object saying Prune=false survives its removal from Git.
    @Test("removing a file prunes exactly that object; Prune=false survives")
    func removingAFilePrunesThatObject() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("shop")
            #expect(try await cluster.sync(app: "shop", prune: true).result == .succeeded)
            try cluster.remove("service.yaml")
            try cluster.remove("keep.yaml")

            cluster.client.reset()
            let changes = try await cluster.sync(app: "shop", prune: true)
            #expect(changes.result == .succeeded, "\(changes.message)")
            #expect(changes.objects.filter { $0.action == .prune }.map(\.key.description) == ["Service/default/web"])
            #expect(cluster.client.calls[.delete] == 1)
            #expect(changes.objects.first { $0.key.name == "keep" }?.action == .skip)

            #expect(try await cluster.live("v1", "Service", "web") == nil)
            #expect(try await cluster.live("v1", "ConfigMap", "keep") != nil)
            #expect(try await cluster.live("v1", "ConfigMap", "settings") != nil)
            #expect(try await cluster.live("apps/v1", "Deployment", "web") != nil)
            let inventory = Set(try await cluster.inventory("shop").map(\.key.description))
            #expect(!inventory.contains("Service/default/web"))
            #expect(inventory.isSuperset(of: ["ConfigMap/default/settings", "Deployment/default/web"]))
        }
    }

    // Pins: an object in this application's inventory that another application has since
    // taken over (same name, the other's tracking id) is never pruned, and leaves the inventory.
    @Test("an object with the same name but another application's tracking id is never pruned")
    func anotherOwnersObjectIsNotPruned() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("shop")
            #expect(try await cluster.sync(app: "shop", prune: true).result == .succeeded)
            let settings = try #require(try cluster.render().first { $0.name == "settings" })
            var options = SyncOptions()
            options.timeout = .seconds(30)
            // Without AllowSharedResource=true another application does not take it over.
            let refused = await SyncEngine(client: cluster.client).sync(app: "billing", desired: [settings], options: options)
            #expect(refused.result == .failed && refused.failure == .sharedResource, "\(refused.message)")
            #expect(
                try await cluster.live("v1", "ConfigMap", "settings")?.annotations["keelson.dev/tracking-id"]
                    == "keelson/shop:/ConfigMap:default/settings")
            options.allowSharedResources = true
            let takeover = await SyncEngine(client: cluster.client).sync(app: "billing", desired: [settings], options: options)
            #expect(takeover.result == .succeeded, "\(takeover.message)")
            try cluster.remove("settings.yaml")

            let changes = try await cluster.sync(app: "shop", prune: true)
            #expect(changes.result == .succeeded, "\(changes.message)")
            #expect(changes.count(.prune) == 0)
            #expect(changes.objects.first { $0.key.name == "settings" }?.action == .skip)
            let live = try #require(try await cluster.live("v1", "ConfigMap", "settings"))
            #expect(live.annotations["keelson.dev/tracking-id"] == "keelson/billing:/ConfigMap:default/settings")
            #expect(!(try await cluster.inventory("shop")).contains { $0.key.name == "settings" })
        }
    }

    // Pins: a render with no objects while the application owns some fails, deletes nothing
    // and leaves the inventory as it was.
    @Test("an empty render refuses to prune")
    func emptyRenderRefuses() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("shop")
            #expect(try await cluster.sync(app: "shop", prune: true).result == .succeeded)
            let before = try await cluster.inventory("shop")
            for file in ["settings.yaml", "web.yaml", "service.yaml", "keep.yaml"] { try cluster.remove(file) }

            cluster.client.reset()
            let changes = try await cluster.sync(app: "shop", prune: true)
            #expect(changes.result == .failed)
            #expect(changes.message.contains("no objects"), "\(changes.message)")
            #expect(cluster.client.writes == 0)
            #expect(try await cluster.inventory("shop") == before)
            #expect(try await cluster.live("apps/v1", "Deployment", "web") != nil)
            #expect(try await cluster.live("v1", "Service", "web") != nil)
        }
    }
}
