import Foundation
import KeelsonTesting
import Kube
import Manifests
import Synchronization
import Testing

/// Sources served over the network (`git daemon`, `git http-backend` behind basic auth), an
/// unreachable server, and suspend.
@Suite(.serialized) struct ControllerSourceTests {
    typealias H = ControllerHarness

    /// A `git daemon` on loopback exporting the repository's parent folder. While stopped, its
    /// port stays bound (refusing connections) so no other test's server can take it.
    final class GitDaemon: Sendable {
        let port: Int
        let base: String
        let process = Mutex<BackgroundProcess?>(nil)
        let placeholder = Mutex<Int32?>(nil)

        init(base: String) throws {
            self.port = try Ports.free()
            self.base = base
            try start()
        }

        func start() throws {
            placeholder.withLock {
                if let socket = $0 { Ports.release(socket) }; $0 = nil
            }
            // `git daemon` would run `git-daemon` as a child that outlives a killed parent: start it directly.
            // Blocking, but brief, and called from the controller's synchronous `repoURL` hook.
            let execPath = try ProcessRunner.runBlocking("git", ["--exec-path"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
            let daemon = try BackgroundProcess(
                execPath + "/git-daemon", ["--reuseaddr", "--export-all", "--listen=127.0.0.1", "--port=\(port)", "--base-path=\(base)", base],
                log: base + "/git-daemon.log")
            process.withLock { $0 = daemon }
        }

        func stop() async throws {
            process.withLock {
                $0?.kill(); $0 = nil
            }
            let socket = try await Ports.hold(port)
            placeholder.withLock { $0 = socket }
        }

        deinit { placeholder.withLock { if let socket = $0 { Ports.release(socket) } } }
    }

    @Test func aRepositoryServedByGitDaemonSyncsAndAnOutageDeletesNothing() async throws {
        let daemon = Mutex<GitDaemon?>(nil)
        defer { daemon.withLock { $0?.process.withLock { $0?.kill() } } }
        try await H.with(
            files: ["app/a.yaml": H.configMap("a", "1"), "app/b.yaml": H.configMap("b", "1")], apps: ["net": H.app("net", path: "app")],
            plainTransports: true,
            repoURL: { repository in
                let server = try GitDaemon(base: (repository as NSString).deletingLastPathComponent)
                daemon.withLock { $0 = server }
                return "git://127.0.0.1:\(server.port)/repo"
            }
        ) { h in
            let server = try #require(daemon.withLock { $0 })
            try await Ports.waitUntilListening(server.port)
            try await h.eventually("the app syncs over git://") { await h.configMapValue("a") == "1" }
            try await h.commit(["app/a.yaml": H.configMap("a", "2")], message: "a=2")
            try await h.eventually("the commit arrives over git://") { await h.configMapValue("a") == "2" }

            try await server.stop()
            try await h.commit(["app/b.yaml": nil], message: "remove b (not visible while the server is down)")
            try await h.eventually("an unreachable server makes the app Unknown") {
                let status = await h.status("net")
                return status?["sync"]?["status"] == "Unknown"
                    && (status?["conditions"]?.arrayValue ?? []).contains { $0["type"] == "SourceReady" && $0["status"] == "False" }
            }
            let (a, b) = (await h.exists("a"), await h.exists("b"))
            #expect(a && b, "nothing is deleted while the source is unreachable")

            try server.start()
            try await Ports.waitUntilListening(server.port)
            try await h.eventually("the app recovers and prunes b", timeout: .seconds(40)) { await !h.exists("b") }
            #expect(await h.configMapValue("a") == "2")
        }
    }

    @Test func httpsStyleCredentialsComeFromASecretAndNeverShow() async throws {
        let password = "pw-\(UUID().uuidString)"
        let port = try Ports.free()
        let server = Mutex<BackgroundProcess?>(nil)
        defer { server.withLock { $0?.kill() } }
        let app = H.app("private", path: "app").replacingOccurrences(
            of: "revision: main, path: app}", with: "revision: main, path: app, secretRef: {name: git-credentials}}")
        try await H.with(
            files: ["app/a.yaml": H.configMap("private", "1")], apps: ["private": app], plainTransports: true,
            repoURL: { repository in
                let process = try GitHTTPServer.start(
                    root: (repository as NSString).deletingLastPathComponent, port: port, user: "deploy", password: password)
                server.withLock { $0 = process }
                return "http://127.0.0.1:\(port)/repo/.git"
            }
        ) { h in
            try await Ports.waitUntilListening(port)
            try await h.eventually("without the Secret the fetch is refused and says why") {
                let conditions = await h.status("private")?["conditions"]?.arrayValue ?? []
                return conditions.contains { ($0["message"]?.stringValue ?? "").contains("keelson/git-credentials does not exist") }
            }
            let secret = try Manifest([
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "git-credentials", "namespace": "keelson"],
                "stringData": ["username": "deploy", "password": .string(password)],
            ])
            _ = try await h.client.create(secret, options: WriteOptions())
            try await h.eventually("with the Secret the app syncs") { await h.configMapValue("private") == "1" }

            // A wrong password: refused, and the password is nowhere in the status.
            _ = try await h.client.mergePatch(
                ControllerHarness.secrets, name: "git-credentials", namespace: "keelson",
                patch: ["data": ["password": .string(Data("wrong-\(password)".utf8).base64EncodedString())]], options: WriteOptions())
            try await h.eventually("a wrong password is reported") { await h.status("private")?["sync"]?["status"] == "Unknown" }
            // A commit behind the wrong password is not fetched: two more reconciles later it is not applied.
            try await h.commit(["app/a.yaml": H.configMap("private", "2")], message: "2")
            let reconciled = h.reconciles["keelson/private"]
            try await h.eventually("two more reconciles") { h.reconciles["keelson/private"] >= reconciled + 2 }
            #expect(await h.status("private")?["sync"]?["status"] == "Unknown")
            let status = JSONWriter.compact(await h.status("private") ?? .null)
            #expect(!status.contains(password), "the password never appears in status")
            #expect(await h.configMapValue("private") == "1")
        }
    }

    @Test func suspendStopsSyncingButStatusStillRefreshes() async throws {
        try await H.with(files: ["app/a.yaml": H.configMap("paused", "1")], apps: ["paused": H.app("paused", path: "app")]) { h in
            try await h.eventually("applied") { await h.configMapValue("paused") == "1" }
            let before = h.reconciles["keelson/paused"]
            _ = try await h.client.mergePatch(
                H.applications, name: "paused", namespace: "keelson", patch: ["spec": ["suspend": true]], options: WriteOptions())
            // The second reconcile after the patch started after it, and saw the suspension.
            try await h.eventually("two more reconciles") { h.reconciles["keelson/paused"] >= before + 2 }
            try await h.commit(["app/a.yaml": H.configMap("paused", "2")], message: "2 while suspended")
            let head = try await ProcessRunner.run("git", ["-C", h.repository, "rev-parse", "HEAD"]).output.trimmingCharacters(
                in: .whitespacesAndNewlines)
            try await h.eventually("the status sees the new commit and reports OutOfSync") {
                let status = await h.status("paused")
                return status?["latestRevision"]?.stringValue == head && status?["sync"]?["status"] == "OutOfSync"
            }
            let seen = h.reconciles["keelson/paused"]
            try await h.eventually("three more reconciles") { h.reconciles["keelson/paused"] >= seen + 3 }
            #expect(await h.configMapValue("paused") == "1", "a suspended app is not synced")
            _ = try await h.client.mergePatch(
                H.applications, name: "paused", namespace: "keelson", patch: ["spec": ["suspend": false]], options: WriteOptions())
            try await h.eventually("resuming syncs the new commit") { await h.configMapValue("paused") == "2" }
        }
    }
}
