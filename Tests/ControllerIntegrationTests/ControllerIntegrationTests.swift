import Foundation
import Kube
import Manifests
import Testing

/// The GitOps loop end to end: real Git repositories, the sandbox over HTTP, the controller running.
@Suite(.serialized) struct ControllerIntegrationTests {
    typealias H = ControllerHarness

    @Test func commitsReachTheClusterAndRemovalsPrune() async throws {
        try await H.with(files: ["app/a.yaml": H.configMap("a", "1"), "app/b.yaml": H.configMap("b", "1")], apps: ["web": H.app("web", path: "app")])
        { h in
            try await h.eventually("a is applied") { await h.configMapValue("a") == "1" }
            try await h.commit(["app/a.yaml": H.configMap("a", "2")], message: "a=2")
            try await h.eventually("the change reaches the cluster") { await h.configMapValue("a") == "2" }
            try await h.commit(["app/b.yaml": nil], message: "remove b")
            try await h.eventually("b is pruned") { await !h.exists("b") }
            #expect(await h.exists("a"))
            try await h.eventually("history records the three syncs") {
                let history = await h.status("web")?["history"]?.arrayValue ?? []
                return history.count >= 3 && Set(history.compactMap { $0["revision"]?.stringValue }).count >= 3
            }
        }
    }

    @Test func aBrokenCommitChangesNothingAndTheNextGoodOneRecovers() async throws {
        try await H.with(files: ["app/a.yaml": H.configMap("a", "1")], apps: ["web": H.app("web", path: "app")]) { h in
            try await h.eventually("a is applied") { await h.configMapValue("a") == "1" }
            try await h.commit(["app/a.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n  name: a\n"], message: "broken")
            try await h.eventually("the render failure is reported with file:line") {
                let conditions = await h.status("web")?["conditions"]?.arrayValue ?? []
                return conditions.contains {
                    $0["type"] == "Rendered" && $0["status"] == "False" && ($0["message"]?.stringValue ?? "").contains("app/a.yaml:4:3")
                }
            }
            #expect(await h.configMapValue("a") == "1", "nothing was deployed or pruned")
            #expect(await h.status("web")?["sync"]?["status"] == "Unknown")
            try await h.commit(["app/a.yaml": H.configMap("a", "3")], message: "fixed")
            try await h.eventually("the next good commit is applied") { await h.configMapValue("a") == "3" }
        }
    }

    @Test func driftIsRevertedWithSelfHealAndReportedWithout() async throws {
        // Sources are checked every 10 minutes and full resyncs are as rare: only the watch can notice.
        let apps = [
            "healed": H.app("healed", path: "healed", interval: "10m"),
            "watched": H.app("watched", path: "watched", selfHeal: false, interval: "10m"),
        ]
        try await H.with(files: ["healed/a.yaml": H.configMap("healed", "1"), "watched/a.yaml": H.configMap("watched", "1")], apps: apps) { h in
            try await h.eventually("both are applied") {
                let healed = await h.configMapValue("healed")
                let watched = await h.configMapValue("watched")
                return healed == "1" && watched == "1"
            }
            for name in ["healed", "watched"] {
                _ = try await h.client.mergePatch(
                    H.configMaps, name: name, namespace: "default", patch: ["data": ["value": "by-hand"]],
                    options: WriteOptions(fieldManager: "kubectl-edit"))
            }
            try await h.eventually("self-heal reverts the managed field", timeout: .seconds(30)) { await h.configMapValue("healed") == "1" }
            try await h.eventually("without self-heal the drift is reported", timeout: .seconds(30)) {
                let status = await h.status("watched")
                return status?["sync"]?["status"] == "OutOfSync"
                    && (status?["drift"]?.arrayValue ?? []).contains { ($0.stringValue ?? "").contains("/data/value") }
            }
            #expect(await h.configMapValue("watched") == "by-hand")
        }
    }

    @Test func aSteadyStateReadsNothingPerObjectAndDriftIsStillSeen() async throws {
        var files: [String: String] = [:]
        for index in 0..<20 { files["app/cm\(index).yaml"] = H.configMap("cm\(index)", "1") }
        try await H.with(files: files, apps: ["many": H.app("many", path: "app", interval: "1s")]) { h in
            try await h.eventually("all are applied and healthy") {
                let status = await h.status("many")
                return status?["sync"]?["status"] == "Synced" && status?["health"]?["status"] == "Healthy"
            }
            // Reconciles on the one-second interval fetch Git and compare from the watch cache.
            let settled = h.reconciles["keelson/many"]
            try await h.eventually("the sync's own events settle") { h.reconciles["keelson/many"] >= settled + 2 }
            let before = h.controllerCalls.calls
            let counted = h.reconciles["keelson/many"]
            try await h.eventually("three more reconciles") { h.reconciles["keelson/many"] >= counted + 3 }
            let after = h.controllerCalls.calls
            for call in [KubernetesCall.get, .list, .apply] {
                #expect(after[call, default: 0] == before[call, default: 0], "no \(call) while nothing changes")
            }
            _ = try await h.client.mergePatch(
                H.configMaps, name: "cm7", namespace: "default", patch: ["data": ["value": "by-hand"]],
                options: WriteOptions(fieldManager: "kubectl-edit"))
            try await h.eventually("the watch sees the change and self-heal reverts it", timeout: .seconds(30)) {
                await h.configMapValue("cm7") == "1"
            }
        }
    }

    @Test func rollbackPinsUntilANewerCommit() async throws {
        try await H.with(files: ["app/a.yaml": H.configMap("a", "v1")], apps: ["web": H.app("web", path: "app")]) { h in
            try await h.eventually("v1 is applied") { await h.configMapValue("a") == "v1" }
            try await h.commit(["app/a.yaml": H.configMap("a", "v2")], message: "v2")
            try await h.eventually("v2 is applied") { await h.configMapValue("a") == "v2" }
            _ = try await h.client.mergePatch(
                H.applications, name: "web", namespace: "keelson", patch: ["metadata": ["annotations": ["keelson.dev/rollback": "1"]]],
                options: WriteOptions())
            try await h.eventually("the rollback deploys v1") { await h.configMapValue("a") == "v1" }
            let pinned = h.reconciles["keelson/web"]
            try await h.eventually("three more reconciles, each fetching Git") { h.reconciles["keelson/web"] >= pinned + 3 }
            #expect(await h.configMapValue("a") == "v1", "automation stays on but the pin holds")
            #expect(await h.status("web")?["pinned"]?["historyID"] == 1)
            try await h.commit(["app/a.yaml": H.configMap("a", "v3")], message: "v3")
            try await h.eventually("a newer commit unpins") { await h.configMapValue("a") == "v3" }
            try await h.eventually("the status shows no pin") { await h.status("web")?["pinned"] == nil }
            let initiators = (await h.status("web")?["history"]?.arrayValue ?? []).compactMap { $0["initiator"]?.stringValue }
            #expect(initiators.contains("rollback"))
        }
    }

    @Test func anUnreachableSourceIsUnknownAndDeletesNothing() async throws {
        try await H.with(files: ["app/a.yaml": H.configMap("a", "1")], apps: ["web": H.app("web", path: "app")]) { h in
            try await h.eventually("a is applied") { await h.configMapValue("a") == "1" }
            try FileManager.default.moveItem(atPath: h.repository, toPath: h.repository + "-gone")
            try await h.eventually("the app is Unknown") {
                let status = await h.status("web")
                return status?["sync"]?["status"] == "Unknown" && status?["health"]?["status"] == "Unknown"
            }
            #expect(await h.exists("a"), "nothing was deleted")
        }
    }

    @Test func dependsOnOrdersAndCyclesAreReported() async throws {
        let apps = [
            "db": H.app("db", path: "db"),
            "web": H.app("web", path: "web", extra: "  dependsOn: [{name: db}]\n"),
            "x": H.app("x", path: "x", extra: "  dependsOn: [{name: y}]\n"),
            "y": H.app("y", path: "y", extra: "  dependsOn: [{name: x}]\n"),
        ]
        let files = [
            "db/a.yaml": H.configMap("db", "1"), "web/a.yaml": H.configMap("web", "1"), "x/a.yaml": H.configMap("x", "1"),
            "y/a.yaml": H.configMap("y", "1"),
        ]
        try await H.with(files: files, apps: apps) { h in
            try await h.eventually("web is applied after db") { await h.exists("web") }
            let db = try await h.client.get(H.configMaps, name: "db", namespace: "default")
            let web = try await h.client.get(H.configMaps, name: "web", namespace: "default")
            #expect(Int(db.metadata["resourceVersion"]?.stringValue ?? "") ?? 0 < Int(web.metadata["resourceVersion"]?.stringValue ?? "") ?? 0)
            try await h.eventually("the cycle is reported") {
                (await h.status("x")?["conditions"]?.arrayValue ?? []).contains { $0["reason"] == "DependencyCycle" }
            }
            let x = await h.exists("x")
            let y = await h.exists("y")
            #expect(!x && !y, "apps in a cycle never sync")
        }
    }

    /// An application waiting for another goes on as soon as that one is ready, not at its next
    /// interval (ten minutes here; the test's deadline is a last guard well below it).
    @Test func aDependentSyncsAsSoonAsItsDependencyIsReady() async throws {
        let apps = [
            "db": H.app("db", path: "db", interval: "10m"),
            "web": H.app("web", path: "web", interval: "10m", extra: "  dependsOn: [{name: db}]\n"),
        ]
        try await H.with(files: ["db/deploy.yaml": H.deployment("db"), "web/a.yaml": H.configMap("web", "1")], apps: apps) { h in
            try await h.eventually("web is reconciled") { h.reconciles["keelson/web"] > 0 }
            try await h.eventually("web syncs once db is healthy", timeout: .seconds(60)) { await h.exists("web") }
            #expect(await h.status("db")?["health"]?["status"] == "Healthy")
        }
    }
}
