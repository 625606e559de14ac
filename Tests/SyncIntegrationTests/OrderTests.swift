import Foundation
import Kube
import Manifests
import Sync
import Testing

@Suite("CRDs, waves and hooks against a sandbox over HTTP")
struct OrderTests {
    // Pins: a CRD and its custom resources in one path sync in one run (the CR is first in
    // file order), and resync sees the custom resources as unchanged.
    @Test("a CRD and its custom resources sync in one run")
    func crdAndResourcesInOneRun() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("gadgets")
            let changes = try await cluster.sync(app: "gadgets")
            #expect(changes.result == .succeeded, "\(changes.message)")
            #expect(changes.count(.create) == 3)
            let crd = try #require(changes.objects.first { $0.key.kind == "CustomResourceDefinition" }?.finishedAt)
            for gadget in changes.objects where gadget.key.kind == "Gadget" {
                #expect(try #require(gadget.finishedAt) > crd, "\(gadget.key) applied before its CRD")
            }
            let sprocket = try #require(try await cluster.live("example.keelson.dev/v1", "Gadget", "sprocket"))
            #expect(sprocket.value[path: ["spec", "size"]]?.intValue == 3)
            #expect(sprocket.labels["app.keelson.dev/name"] == "gadgets")

            cluster.client.reset()
            let again = try await cluster.sync(app: "gadgets")
            #expect(again.objects.allSatisfy { $0.action == .unchanged }, "\(again.objects.map { "\($0.key) \($0.action)" })")
            #expect(cluster.client.writes == 0)
        }
    }

    // Pins: PreSync hook, wave -1, wave 0, wave 1, PostSync hook run in that order, and each
    // waits for the one before to be finished (healthy): read from the change set's finish
    // times and from the sandbox's write order.
    @Test("waves and hooks run in order, each after the previous is healthy")
    func wavesAndHooksInOrder() async throws {
        try await withSyncCluster(readyDelay: .milliseconds(200)) { cluster in
            try cluster.add("ordered")
            let changes = try await cluster.sync(app: "ordered")
            #expect(changes.result == .succeeded, "\(changes.message)")
            let finished = changes.objects.compactMap { change in change.finishedAt.map { (change.key.name, $0) } }
            #expect(finished.sorted { $0.1 < $1.1 }.map(\.0) == ["migrate", "first", "app", "last", "smoke"])
            #expect(changes.objects.first { $0.key.name == "migrate" }?.hookPhase == .preSync)
            #expect(changes.objects.first { $0.key.name == "smoke" }?.hookPhase == .postSync)

            // The hook's completion status was written before wave -1 was created…
            let migrate = try #require(try await cluster.live("batch/v1", "Job", "migrate"))
            #expect(migrate.value[path: ["status", "succeeded"]]?.intValue == 1)
            #expect(try await cluster.revision("batch/v1", "Job", "migrate") < cluster.revision("v1", "ConfigMap", "first"))
            // …and wave 0's Deployment was ready (its last status write) before wave 1 was created.
            #expect(try await cluster.revision("apps/v1", "Deployment", "app") < cluster.revision("v1", "ConfigMap", "last"))
            #expect(try await cluster.revision("v1", "ConfigMap", "last") < cluster.revision("batch/v1", "Job", "smoke"))
        }
    }

    // Pins: a PreSync hook that fails stops the sync: no object of any wave is applied and no
    // inventory is written.
    @Test("a failing PreSync hook stops the sync before wave 0")
    func failingPreSyncStops() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("ordered")
            try cluster.write(
                "presync.yaml",
                """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  annotations:
                    keelson.dev/hook: PreSync
                spec:
                  template:
                    metadata:
                      annotations:
                        sandbox.keelson.dev/fail: "true"
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: migrate
                        image: ghcr.io/keelson-demo/migrate:1.0.0
                """)
            let changes = try await cluster.sync(app: "ordered")
            #expect(changes.result == .failed)
            #expect(changes.message.contains("Job/default/migrate") && changes.message.contains("PreSync"), "\(changes.message)")
            #expect(changes.objects.first { $0.key.name == "migrate" }?.error != nil)
            #expect(try await cluster.live("apps/v1", "Deployment", "app") == nil)
            #expect(try await cluster.live("v1", "ConfigMap", "first") == nil)
            #expect(try await cluster.live("v1", "ConfigMap", "last") == nil)
            #expect(try await cluster.live("batch/v1", "Job", "smoke") == nil)
            #expect(try await cluster.inventory("ordered").isEmpty)
        }
    }
}
