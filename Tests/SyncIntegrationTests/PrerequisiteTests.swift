import Foundation
import Kube
import Manifests
import Sync
import Testing

@Suite("Namespaces and CRDs before the waves that need them, on a fresh sandbox")
struct PrerequisiteTests {
    /// A render of `Namespace/demo` followed by `documents`, in the working copy's `demo.yaml`.
    static func writeDemo(_ cluster: SyncCluster, _ documents: String) throws {
        try cluster.write("demo.yaml", "apiVersion: v1\nkind: Namespace\nmetadata:\n  name: demo\n---\n" + documents)
    }

    // Pins the issue's render, under both spellings of the wave annotation: Namespace/demo (wave 0)
    // and a ConfigMap in demo at wave -1 sync on a fresh cluster, the Namespace first; a resync
    // writes nothing.
    @Test("the wave-before-namespace render syncs", arguments: SyncAnnotations.syncWave)
    func waveBeforeNamespace(_ annotation: String) async throws {
        try await withSyncCluster { cluster in
            try Self.writeDemo(
                cluster,
                """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: demo
                  annotations:
                    \(annotation): "-1"
                data:
                  color: blue
                """)
            let changes = try await cluster.sync(app: "demo")
            #expect(changes.result == .succeeded, "\(changes.message)")
            #expect(changes.objects.first { $0.key.kind == "Namespace" }?.wave == -1)
            let settings = try #require(try await cluster.live("v1", "ConfigMap", "settings", namespace: "demo"))
            #expect(settings.value[path: ["data", "color"]]?.stringValue == "blue")
            let namespace = try await cluster.revision("v1", "Namespace", "demo", namespace: nil)
            #expect(try await namespace < cluster.revision("v1", "ConfigMap", "settings", namespace: "demo"))

            cluster.client.reset()
            let again = try await cluster.sync(app: "demo")
            #expect(again.result == .succeeded, "\(again.message)")
            #expect(again.objects.allSatisfy { $0.action == .unchanged }, "\(again.objects.map { "\($0.key) \($0.action)" })")
            #expect(cluster.client.writes == 0)
        }
    }

    // Pins: a custom resource in an earlier wave than its CRD syncs on a fresh cluster: the CRD is
    // applied and established in the custom resource's wave.
    @Test("a custom resource in an earlier wave than its CRD syncs")
    func customResourceBeforeItsCRD() async throws {
        try await withSyncCluster { cluster in
            try cluster.add("gadgets")
            try cluster.write(
                "gadget.yaml",
                """
                apiVersion: example.keelson.dev/v1
                kind: Gadget
                metadata:
                  name: sprocket
                  annotations:
                    argocd.argoproj.io/sync-wave: "-3"
                spec:
                  size: 3
                """)
            let changes = try await cluster.sync(app: "gadgets")
            #expect(changes.result == .succeeded, "\(changes.message)")
            #expect(changes.objects.first { $0.key.kind == "CustomResourceDefinition" }?.wave == -3)
            let crd = try #require(
                try await cluster.live("apiextensions.k8s.io/v1", "CustomResourceDefinition", "gadgets.example.keelson.dev", namespace: nil))
            let conditions = crd.value[path: ["status", "conditions"]]?.arrayValue ?? []
            #expect(conditions.contains { $0["type"] == "Established" && $0["status"] == "True" })
            let sprocket = try #require(try await cluster.live("example.keelson.dev/v1", "Gadget", "sprocket"))
            #expect(sprocket.value[path: ["spec", "size"]]?.intValue == 3)
        }
    }

    // Pins: a PreSync hook in a Namespace of the render runs on a fresh cluster: the Namespace is
    // applied before the PreSync hooks, and the inventory names it.
    @Test("a PreSync hook in a Namespace of the render runs")
    func preSyncHookInItsNamespace() async throws {
        try await withSyncCluster { cluster in
            try Self.writeDemo(
                cluster,
                """
                apiVersion: batch/v1
                kind: Job
                metadata:
                  name: migrate
                  namespace: demo
                  annotations:
                    keelson.dev/hook: PreSync
                spec:
                  template:
                    spec:
                      restartPolicy: Never
                      containers:
                      - name: migrate
                        image: ghcr.io/keelson-demo/migrate:1.0.0
                ---
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: settings
                  namespace: demo
                """)
            let changes = try await cluster.sync(app: "demo")
            #expect(changes.result == .succeeded, "\(changes.message)")
            let migrate = try #require(try await cluster.live("batch/v1", "Job", "migrate", namespace: "demo"))
            #expect(migrate.value[path: ["status", "succeeded"]]?.intValue == 1)
            let namespace = try await cluster.revision("v1", "Namespace", "demo", namespace: nil)
            #expect(try await namespace < cluster.revision("batch/v1", "Job", "migrate", namespace: "demo"))
            #expect(try await cluster.inventory("demo").contains { $0.key.kind == "Namespace" && $0.key.name == "demo" })
        }
    }
}
