import Controller
import Crypto
import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import NIOCore
import Synchronization
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

private typealias H = ControllerHarness

/// A second sandbox registered as the cluster `staging` by a cluster Secret: Applications deploy
/// to each cluster; when `staging` stops, only its Application turns Unknown and nothing is
/// deleted anywhere; when it comes back (same port, same data), its Application catches up.
@Suite struct MultiClusterTests {
    /// A sandbox that can be stopped and started again with its data.
    final class RemoteSandbox: Sendable {
        let folder: TemporaryDirectory
        let port: Int
        private let running = Mutex<(task: Task<Void, any Error>, stop: AsyncStream<Never>.Continuation)?>(nil)
        /// While stopped, a socket bound to the port, so no other test's server (or the kernel's
        /// choice of port 0) takes it before the sandbox comes back.
        private let placeholder = Mutex<Int32?>(nil)
        var kubeconfig: String { folder.path + "/staging.kubeconfig" }

        init(folder: TemporaryDirectory) throws {
            self.folder = folder
            port = try Ports.free()
        }

        /// Starts the sandbox; while the port is still held by the last run's closing sockets
        /// (seen under the full suite for over a minute: the kernel's FIN timeout is 60 s),
        /// tries again, for at most three minutes.
        func start() async throws {
            let deadline = ContinuousClock.now + .seconds(180)
            while true {
                do {
                    return try await startOnce()
                } catch let error as IOError where error.errnoCode == EADDRINUSE && ContinuousClock.now < deadline {
                    try await Task.sleep(for: .milliseconds(250))
                }
            }
        }

        private func startOnce() async throws {
            placeholder.withLock {
                if let socket = $0 { Ports.release(socket) }
                $0 = nil
            }
            let (stopped, stop) = AsyncStream.makeStream(of: Never.self)
            let configuration = SandboxConfiguration(
                port: port, kubeconfigPath: kubeconfig, dataPath: folder.path + "/staging.sqlite", readyDelay: .milliseconds(200))
            let quiet = {
                var logger = Logger(label: "keelson.sandbox.staging")
                logger.logLevel = .critical
                return logger
            }()
            let (ready, readySink) = AsyncStream.makeStream(of: Void.self)
            let task = Task {
                defer { readySink.finish() }
                try await Sandbox.withRunning(configuration, logger: quiet) { _ in
                    readySink.yield()  // listening, its kubeconfig written
                    for await _ in stopped {}
                }
            }
            running.withLock { $0 = (task, stop) }
            var iterator = ready.makeAsyncIterator()
            guard await iterator.next() != nil else {
                running.withLock { $0 = nil }
                try await task.value
                throw CancellationError()
            }
        }

        /// Starts a sandbox in `folder`, runs `body`, and stops it (also when `body` throws).
        static func running(in folder: TemporaryDirectory, _ body: (RemoteSandbox) async throws -> Void) async throws {
            let remote = try RemoteSandbox(folder: folder)
            try await remote.start()
            do {
                try await body(remote)
            } catch {
                try? await remote.stop()
                throw error
            }
            try await remote.stop()
        }

        func stop() async throws {
            guard
                let (task, stop) = running.withLock({ current in
                    defer { current = nil }; return current
                })
            else { return }
            stop.finish()
            try await task.value
            // Best effort: sockets of the last run may still hold the port for a while.
            if let socket = try? await Ports.hold(port, timeout: .seconds(2)) { placeholder.withLock { $0 = socket } }
        }

        deinit { placeholder.withLock { if let socket = $0 { Ports.release(socket) } } }
    }

    static let stagingApp = """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: staging, namespace: keelson}
        spec:
          source: {repoURL: REPO, revision: main, path: staging}
          destination: {namespace: default, cluster: staging}
          syncPolicy: {automated: {prune: true, selfHeal: true}, interval: 1s}
        """

    @Test func applicationsDeployToTheirClustersAndAnUnreachableOneDeletesNothing() async throws {
        let files = ["local/a.yaml": H.configMap("local-a", "1"), "staging/b.yaml": H.configMap("staging-b", "1")]
        try await H.with(files: files, apps: ["local": H.app("local", path: "local")]) { h in
            try await RemoteSandbox.running(in: h.folder) { remote in try await Self.exercise(h, remote) }
        }
    }

    // A cluster Secret may name a credential plugin (Argo CD's execProviderConfig): the controller
    // runs it, with the Secret's env, and sends the token it prints; the plugin's token never
    // appears in the Application's status.
    @Test func aClusterWithAnExecPluginIsReachedWithThePluginsToken() async throws {
        try await H.with(files: ["staging/b.yaml": H.configMap("staging-b", "1")], apps: [:]) { h in
            try await RemoteSandbox.running(in: h.folder) { remote in try await Self.exerciseExecPlugin(h, remote) }
        }
    }

    static func exerciseExecPlugin(_ h: ControllerHarness, _ remote: RemoteSandbox) async throws {
        let plugin = h.folder.path + "/credential-plugin"
        try """
        #!/bin/sh
        printf '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"plugin-%s"}}' "$TOKEN_SUFFIX"
        """.write(toFile: plugin, atomically: true, encoding: .utf8)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: plugin)
        let staging = try KubeConfiguration.load(KubeconfigOptions(explicitPath: remote.kubeconfig))
        var configuration = staging
        configuration.credentials = .exec(
            Kubeconfig.ExecConfig(command: plugin, env: [("TOKEN_SUFFIX", "x7")], apiVersion: "client.authentication.k8s.io/v1"),
            server: staging.server, certificateAuthorityPEM: nil)
        let secret = try ClusterDefinition.secret(name: "staging", configuration: configuration, namespace: "keelson")
        let stored = try #require(try ClusterDefinition.parse(secret))
        guard case .exec(let exec, _, _) = stored.configuration.credentials else {
            Issue.record("the Secret does not hold the plugin: \(secret.object)")
            return
        }
        #expect(exec.command == plugin && exec.env.map(\.name) == ["TOKEN_SUFFIX"] && exec.env.map(\.value) == ["x7"])
        _ = try await h.client.create(secret, options: WriteOptions())
        _ = try await h.client.create(
            try Manifest.decode(Array(Self.stagingApp.replacingOccurrences(of: "REPO", with: "file://" + h.repository).utf8), file: "app")[0],
            options: WriteOptions())
        try await h.eventually("the Application deploys to the cluster reached with the plugin's token") {
            await h.status("staging")?["sync"]?["status"] == "Synced"
        }
        let (data, _) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(remote.port)/sandbox/faults")!)
        let tokens = try JSONParser.parse(Array(data), file: "/sandbox/faults")["bearerTokens"]?.arrayValue?.compactMap(\.stringValue) ?? []
        let digest = SHA256.hash(data: Array("plugin-x7".utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(tokens.contains(digest), "the cluster saw \(tokens.count) tokens, not the plugin's")
        let status = try await h.client.get(H.applications, name: "staging", namespace: "keelson")
        #expect(!JSONWriter.compact(.object(status.object)).contains("plugin-x7"))
    }

    /// Registers `remote` as `staging`, then stops and restarts it.
    static func exercise(_ h: ControllerHarness, _ remote: RemoteSandbox) async throws {
        let stagingConfiguration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: remote.kubeconfig))
        let secret = try ClusterDefinition.secret(name: "staging", configuration: stagingConfiguration, namespace: "keelson")
        _ = try await h.client.create(secret, options: WriteOptions())
        _ = try await h.client.create(
            try Manifest.decode(Array(Self.stagingApp.replacingOccurrences(of: "REPO", with: "file://" + h.repository).utf8), file: "app")[0],
            options: WriteOptions())
        try await KubeClient.withClient(stagingConfiguration) { staging in
            @Sendable func stagingValue() async -> String? {
                try? await staging.get(H.configMaps, name: "staging-b", namespace: "default").object["data"]?["value"]?.stringValue
            }
            try await h.eventually("each Application deploys to its cluster") {
                let (local, remote) = (await h.configMapValue("local-a"), await stagingValue())
                return local == "1" && remote == "1"
            }
            #expect(!(await h.exists("staging-b")), "the staging Application deployed into the controller's own cluster")
            let uid = try await staging.get(H.configMaps, name: "staging-b", namespace: "default").metadata["uid"]
            try await h.eventually("the staging Application is Synced") {
                await h.status("staging")?["sync"]?["status"] == "Synced"
            }

            // staging stops: its Application is Unknown, the other goes on, nothing is deleted.
            try await remote.stop()
            try await h.commit(["local/a.yaml": H.configMap("local-a", "2"), "staging/b.yaml": H.configMap("staging-b", "2")], message: "two")
            try await h.eventually("the staging Application turns Unknown") {
                let status = await h.status("staging")
                let conditions = status?["conditions"]?.arrayValue ?? []
                return status?["sync"]?["status"] == "Unknown"
                    && conditions.contains { $0["type"] == "ClusterReachable" && $0["status"] == "False" }
            }
            try await h.eventually("the local Application still syncs") {
                let (value, status) = (await h.configMapValue("local-a"), await h.status("local"))
                return value == "2" && status?["sync"]?["status"] == "Synced"
            }
            let connection = await h.handle?.clusters().first
            #expect(connection?.name == "staging" && connection?.reachable == false, "\(String(describing: connection))")
            let history = await h.status("staging")?["history"]?.arrayValue ?? []
            #expect(history.count == 1, "history while unreachable: \(history)")

            // staging is back with its data: the Application catches up, the object updated in place.
            try await remote.start()
            try await h.eventually("the staging Application catches up", timeout: .seconds(120)) {
                let (value, status) = (await stagingValue(), await h.status("staging"))
                return value == "2" && status?["sync"]?["status"] == "Synced"
            }
            #expect(try await staging.get(H.configMaps, name: "staging-b", namespace: "default").metadata["uid"] == uid, "staging-b was recreated")
            #expect(await h.configMapValue("local-a") == "2")
            try await h.eventually("the cluster shows reachable again") { await h.handle?.clusters().first?.reachable == true }
        }
    }
}
