import Foundation
import KeelsonTesting
import Kube
import Manifests
import Synchronization
import Testing

private typealias H = ControllerHarness

/// Team A deploys from its private repository with credentials; team B, without any, names
/// the same URL, a path A does not deploy, and the commit A deployed (already in the shared
/// mirror). B gets an authentication failure in its status and deploys nothing.
@Suite struct SharedCacheAccessTests {
    @Test func aCommitInTheSharedMirrorIsNotDeployedWithoutCredentials() async throws {
        let password = "pw-\(UUID().uuidString)"
        let port = try Ports.free()
        let server = Mutex<BackgroundProcess?>(nil)
        defer { server.withLock { $0?.kill() } }
        let app = H.app("team-a", path: "app").replacingOccurrences(
            of: "revision: main, path: app}", with: "revision: main, path: app, secretRef: {name: git-credentials}}")
        try await H.with(
            files: ["app/a.yaml": H.configMap("team-a", "1"), "private/b.yaml": H.configMap("stolen", "1")], apps: ["team-a": app],
            plainTransports: true,
            repoURL: { repository in
                let process = try GitHTTPServer.start(
                    root: (repository as NSString).deletingLastPathComponent, port: port, user: "deploy", password: password)
                server.withLock { $0 = process }
                return "http://127.0.0.1:\(port)/repo/.git"
            }
        ) { h in
            try await Ports.waitUntilListening(port, timeout: .seconds(60))
            let secret = try Manifest([
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "git-credentials", "namespace": "keelson"],
                "stringData": ["username": "deploy", "password": .string(password)],
            ])
            _ = try await h.client.create(secret, options: WriteOptions())
            try await h.eventually("team A syncs with its credentials") {
                let value = await h.configMapValue("team-a")
                let revision = await h.status("team-a")?["sync"]?["revision"]?.stringValue
                return value == "1" && !(revision ?? "").isEmpty
            }
            let deployed = try #require(await h.status("team-a")?["sync"]?["revision"]?.stringValue)

            let thief = try Manifest([
                "apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "metadata": ["name": "team-b", "namespace": "keelson"],
                "spec": [
                    "source": ["repoURL": .string("http://127.0.0.1:\(port)/repo/.git"), "revision": .string(deployed), "path": "private"],
                    "destination": ["namespace": "default"], "syncPolicy": ["automated": ["prune": true]],
                ],
            ])
            _ = try await h.client.create(thief, options: WriteOptions())
            do {
                try await h.eventually("team B is refused for want of credentials") {
                    let conditions = await h.status("team-b")?["conditions"]?.arrayValue ?? []
                    return conditions.contains { condition in
                        let message = condition["message"]?.stringValue ?? ""
                        return condition["reason"] == "FetchFailed"
                            && (message.contains("could not read Username") || message.contains("Authentication failed"))
                    }
                }
            } catch {
                Issue.record("team B's status: \(JSONWriter.compact(await h.status("team-b") ?? .null))")
                throw error
            }
            #expect(!(await h.exists("stolen")), "team B deployed team A's private content")
        }
    }
}
