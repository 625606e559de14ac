import Controller
import KeelsonTesting
import Kube
import Manifests
import Testing

/// A sync that waits for health holds no worker: with more slow applications than workers
/// (8 against the default 4), a new application still syncs at once.
@Suite struct SlowHealthTests {
    typealias H = ControllerHarness

    /// A claim the sandbox never binds (it is marked to fail), so its wave stays Progressing,
    /// and a ConfigMap in the wave after it.
    static func slowFiles(_ name: String) -> [String: String] {
        [
            "\(name)/claim.yaml": """
            apiVersion: v1
            kind: PersistentVolumeClaim
            metadata: {name: \(name), annotations: {sandbox.keelson.dev/fail: "true"}}
            spec:
              accessModes: [ReadWriteOnce]
              resources: {requests: {storage: 1Gi}}

            """,
            "\(name)/after.yaml": H.configMap("\(name)-after", "1")
                .replacingOccurrences(of: "{name: \(name)-after}", with: "{name: \(name)-after, annotations: {keelson.dev/sync-wave: \"1\"}}"),
        ]
    }

    func syncing(_ h: H, _ name: String) async -> Bool {
        let conditions = await h.status(name)?["conditions"]?.arrayValue ?? []
        return conditions.contains { $0["type"] == "Syncing" && $0["status"] == "True" }
    }

    @Test func eightApplicationsWaitingOnHealthDoNotDelayANinth() async throws {
        let slow = (1...8).map { "slow\($0)" }
        var files = ["fast/cm.yaml": H.configMap("fast", "1")]
        for name in slow { files.merge(Self.slowFiles(name)) { $1 } }
        var apps: [String: String] = [:]
        for name in slow { apps[name] = H.app(name, path: name, interval: "10m") }
        try await H.with(files: files, apps: apps) { h in
            try await h.eventually("all eight syncs wait for their claims", timeout: .seconds(60)) {
                for name in slow where !(await syncing(h, name)) { return false }
                return true
            }
            try await h.apply(H.app("fast", path: "fast", interval: "10m").replacingOccurrences(of: "REPO", with: "file://" + h.repository))
            try await h.eventually("the ninth application syncs") { await h.status("fast")?["sync"]?["status"] == "Synced" }
            #expect(await h.configMapValue("fast") == "1")
            // …while the eight are still waiting (their deadline is two minutes away).
            for name in slow {
                #expect(await syncing(h, name), "\(name) is no longer syncing")
                #expect(!(await h.exists("\(name)-after")), "\(name)'s next wave was applied before its claim was bound")
            }
        }
    }
}
