import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Testing

/// `keelson controller` as a real process, killed with SIGKILL in the middle of a sync.
@Suite struct ControllerRestartTests {
    typealias H = ControllerHarness
    static let deployments = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")

    /// Waves 1 to 3 of application `waves`: Deployments d1 and d2, then ConfigMap `last`.
    static let laterWaves = [
        "app/d1.yaml": H.deployment("d1", wave: 1), "app/d2.yaml": H.deployment("d2", wave: 2),
        "app/last.yaml": H.configMap("last", "1").replacingOccurrences(
            of: "{name: last}", with: "{name: last, annotations: {keelson.dev/sync-wave: \"3\"}}"),
    ]

    @Test func aControllerKilledMidSyncConvergesAfterARestartWithNothingLostOrDuplicated() async throws {
        // Four waves; each Deployment takes two seconds to become ready, so the sync takes ~6s.
        let files = Self.laterWaves.merging(["app/first.yaml": H.configMap("first", "1")]) { $1 }
        try await H.withoutController(
            prefix: "keelson-restart", files: files, apps: ["waves": H.app("waves", path: "app", interval: "10m")], readyDelay: .seconds(2)
        ) { h, arguments in
            let (folder, client) = (h.folder, h.client)
            let first = try BackgroundProcess(Fixtures.keelsonExecutable(), arguments, log: folder.path + "/first.log")
            try await h.eventually("the first waves are applied", timeout: .seconds(60)) {
                try await client.get(Self.deployments, name: "d1", namespace: "default") != nil
            }
            first.kill()
            #expect(!(await h.exists("last")), "the sync was interrupted before its last wave")
            #expect((await h.status("waves"))?["history"]?.arrayValue?.isEmpty ?? true, "an interrupted sync is not in history")
            let written = try await client.get(H.configMaps, name: "keelson-inventory-keelson.waves", namespace: "keelson")
            #expect(JSONWriter.compact(written.object["data"] ?? .null).contains("first"), "the inventory was written ahead of the applies")

            let second = try BackgroundProcess(Fixtures.keelsonExecutable(), arguments, log: folder.path + "/second.log")
            defer { second.terminate() }
            try await h.eventually("the restarted controller converges", timeout: .seconds(60)) {
                let status = await h.status("waves")
                return status?["sync"]?["status"] == "Synced" && status?["health"]?["status"] == "Healthy"
            }
            #expect(await h.exists("last"))
            let owned = try await client.listAll(
                H.configMaps, namespace: "default", options: ListOptions(labelSelector: [.equals("app.keelson.dev/name", "waves")]))
            #expect(owned.items.map(\.name).sorted() == ["first", "last"])
            let deployments = try await client.listAll(Self.deployments, namespace: "default")
            #expect(deployments.items.map(\.name).sorted() == ["d1", "d2"])
            let history = (await h.status("waves"))?["history"]?.arrayValue ?? []
            let ids = history.compactMap { $0["id"]?.intValue }
            #expect(history.count == 1 && Set(ids).count == ids.count, "one recorded sync, no duplicate: \(history)")
            #expect(history.first?["result"] == "Succeeded")
            let inventory = try await client.get(H.configMaps, name: "keelson-inventory-keelson.waves", namespace: "keelson")
            let listed = JSONWriter.compact(inventory.object["data"] ?? .null)
            for name in ["first", "last", "d1", "d2"] { #expect(listed.contains(name), "inventory names \(name)") }
        }
    }

    /// Marks a Deployment Available as its controller would (the sandbox here is told to take
    /// ten minutes, so the test decides when each wave is ready).
    static func markAvailable(_ client: KubeClient, _ name: String) async throws {
        var live = try await client.get(deployments, name: name, namespace: "default")
        let generation = live.metadata["generation"] ?? 1
        live.object["status"] = [
            "observedGeneration": generation, "replicas": 1, "updatedReplicas": 1, "readyReplicas": 1, "availableReplicas": 1,
            "conditions": [
                ["type": "Available", "status": "True", "reason": "MinimumReplicasAvailable", "message": "Deployment has minimum availability."],
                ["type": "Progressing", "status": "True", "reason": "NewReplicaSetAvailable", "message": "ReplicaSet has successfully progressed."],
            ],
        ]
        _ = try await client.updateStatus(live, options: WriteOptions(fieldManager: "test"))
    }

    /// A controller killed while wave 2 of 3 waits for health: the restarted one goes on at
    /// wave 2 from the operation in the Application's status, without running the PreSync hook
    /// again (the hook's uid is unchanged), and records one sync.
    @Test func aControllerKilledInWaveTwoResumesThereWithoutRerunningHooks() async throws {
        let hook = H.configMap("pre", "1").replacingOccurrences(
            of: "{name: pre}", with: "{name: pre, annotations: {argocd.argoproj.io/hook: PreSync}}")
        let files = Self.laterWaves.merging(["app/hook.yaml": hook]) { $1 }
        try await H.withoutController(
            prefix: "keelson-resume", files: files, apps: ["waves": H.app("waves", path: "app", interval: "10m")], readyDelay: .seconds(600)
        ) { h, arguments in
            let (folder, client) = (h.folder, h.client)
            let first = try BackgroundProcess(Fixtures.keelsonExecutable(), arguments, log: folder.path + "/first.log")
            defer { first.kill() }
            try await h.eventually("wave 1 is applied", timeout: .seconds(60)) {
                (try? await client.get(Self.deployments, name: "d1", namespace: "default")) != nil
            }
            let hook = try await client.get(H.configMaps, name: "pre", namespace: "default")
            try await Self.markAvailable(client, "d1")
            try await h.eventually("wave 2 is applied and waits, its operation in status", timeout: .seconds(60)) {
                let applied = (try? await client.get(Self.deployments, name: "d2", namespace: "default")) != nil
                let stored = (await h.status("waves"))?["operationState"] != nil
                return applied && stored
            }
            first.kill()
            #expect(!(await h.exists("last")), "killed before wave 3")

            let second = try BackgroundProcess(Fixtures.keelsonExecutable(), arguments, log: folder.path + "/second.log")
            defer { second.terminate() }
            try await Self.markAvailable(client, "d2")
            try await h.eventually("the restarted controller finishes the sync", timeout: .seconds(60)) {
                let synced = (await h.status("waves"))?["sync"]?["status"] == "Synced"
                let last = await h.exists("last")
                return synced && last
            }
            let again = try await client.get(H.configMaps, name: "pre", namespace: "default")
            #expect(again.metadata["uid"] == hook.metadata["uid"], "the PreSync hook ran again")
            let status = await h.status("waves")
            let history = status?["history"]?.arrayValue ?? []
            #expect(history.count == 1 && history.first?["result"] == "Succeeded", "one recorded sync: \(history)")
            #expect(status?["operationState"] == nil, "the finished operation is no longer in status")
        }
    }
}
