import Foundation
import Kube
import Manifests
import Sync
import Testing

@Suite("Resync and drift against a sandbox over HTTP")
struct ResyncTests {
    // Pins: a second sync of an unchanged path is all `unchanged` and sends no write at all
    // (neither objects nor the inventory), with pruning on so the prune path runs too.
    @Test("a second sync of an unchanged path reports every object unchanged and sends no write")
    func resyncWritesNothing() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("shop")
            let first = try await cluster.sync(app: "shop", prune: true)
            #expect(first.result == .succeeded, "\(first.message)")
            #expect(first.count(.create) == 4)
            #expect(cluster.client.writes >= 4, "the counting client saw the first sync's applies")

            cluster.client.reset()
            let second = try await cluster.sync(app: "shop", prune: true)
            #expect(second.result == .succeeded, "\(second.message)")
            #expect(second.objects.count == 4)
            #expect(second.objects.allSatisfy { $0.action == .unchanged }, "\(second.objects.map { "\($0.key) \($0.action)" })")
            #expect(cluster.client.writes == 0, "writes: \(cluster.client.writtenObjects)")
            // Nothing is asked per object: lists by the app's label, plus the inventory's one read.
            #expect(cluster.client.calls[.get] == 1, "\(cluster.client.calls)")
        }
    }

    // Pins: drift made with kubectl on fields Keelson sets is reported by `keelson diff` (exit 1)
    // and undone by sync; a field only kubectl set (an annotation) is left alone.
    @Test(
        "kubectl drift on managed fields is diffed and undone; fields Keelson does not set are kept",
        .enabled(if: SyncCluster.hasKubectl, "kubectl is not installed"))
    func driftIsReportedAndUndone() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("shop")
            #expect(try await cluster.sync(app: "shop").result == .succeeded)
            let inSync = try await cluster.keelson(["diff", cluster.path, "--app", "shop"])
            #expect(inSync.status == 0, "\(inSync.output)\(inSync.errorOutput)")

            try await cluster.kubectl(["scale", "deployment/web", "-n", "default", "--replicas=5"])
            try await cluster.kubectl(["patch", "configmap", "settings", "-n", "default", "--type=merge", "-p", #"{"data":{"color":"red"}}"#])
            try await cluster.kubectl(["annotate", "deployment/web", "-n", "default", "team.example.com/owner=payments"])

            let drift = try await cluster.keelson(["diff", cluster.path, "--app", "shop"])
            #expect(drift.status == 1, "\(drift.output)\(drift.errorOutput)")
            #expect(drift.output.contains("=== Deployment/default/web (update)"), "\(drift.output)")
            #expect(drift.output.contains("=== ConfigMap/default/settings (update)"), "\(drift.output)")
            #expect(drift.output.contains("-  replicas: 5") && drift.output.contains("+  replicas: 2"), "\(drift.output)")
            #expect(drift.output.contains("color: red"), "\(drift.output)")
            #expect(!drift.output.contains("team.example.com/owner"), "an annotation Keelson does not set is not drift")
            #expect(!drift.output.contains("Service/default/web"), "untouched objects are not reported")

            let repair = try await cluster.sync(app: "shop")
            #expect(repair.result == .succeeded, "\(repair.message)")
            let updated = repair.objects.filter { $0.action == .update }
            #expect(Set(updated.map(\.key.name)) == ["web", "settings"])
            #expect(updated.first { $0.key.kind == "Deployment" }?.fields == ["/spec/replicas"])

            let web = try #require(try await cluster.live("apps/v1", "Deployment", "web"))
            #expect(web.value[path: ["spec", "replicas"]]?.intValue == 2)
            #expect(web.annotations["team.example.com/owner"] == "payments")
            let settings = try #require(try await cluster.live("v1", "ConfigMap", "settings"))
            #expect(settings.value[path: ["data", "color"]]?.stringValue == "blue")

            let after = try await cluster.keelson(["diff", cluster.path, "--app", "shop"])
            #expect(after.status == 0, "\(after.output)")
        }
    }
}
