import Controller
import KeelsonTesting
import Kube
import Manifests
import Synchronization
import Testing

/// Health follows the watch: when Deployments become Available after their sync, every
/// application says Healthy within seconds, every time (the change that re-assesses health is
/// never lost; no full resync is needed).
@Suite(.serialized) struct HealthFollowsWatchTests {
    typealias H = ControllerHarness
    static let deployments = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    static let count = 50

    static func files(_ name: String) -> [String: String] {
        [
            "\(name)/deploy.yaml": H.deployment(name, replicas: 0),
            "\(name)/cm.yaml": H.configMap("\(name)-config", "1"),
        ]
    }

    @Test(arguments: 1...5) func fiftyApplicationsReportHealthyWithinSecondsOfTheirDeployments(run: Int) async throws {
        let names = (0..<Self.count).map { "a\($0)" }
        var files: [String: String] = [:]
        var apps: [String: String] = [:]
        for name in names {
            files.merge(Self.files(name)) { $1 }
            apps[name] = H.app(name, path: name, interval: "10m")
        }
        try await H.with(files: files, apps: apps) { h in
            try await h.eventually("every Deployment is Available", timeout: .seconds(120)) {
                let live = try await h.client.listAll(Self.deployments, namespace: "default", options: ListOptions()).items
                let available = live.filter { deployment in
                    (deployment.object["status"]?["conditions"]?.arrayValue ?? []).contains { $0["type"] == "Available" && $0["status"] == "True" }
                }
                return available.count == Self.count
            }
            let unhealthy = Mutex<[String]>([])
            do {
                try await h.eventually("every application reports Healthy", timeout: .seconds(15)) {
                    let listed = try await h.client.listAll(H.applications, namespace: "keelson", options: ListOptions()).items
                    let others = listed.filter { $0.object["status"]?["health"]?["status"] != "Healthy" }.map { app in
                        "\(app.name): \(JSONWriter.compact(app.object["status"]?["health"] ?? .null))"
                    }
                    unhealthy.withLock { $0 = others }
                    return listed.count == Self.count && others.isEmpty
                }
            } catch {
                Issue.record("not Healthy 15 s after every Deployment was Available: \(unhealthy.withLock { $0 })")
            }
        }
    }
}
