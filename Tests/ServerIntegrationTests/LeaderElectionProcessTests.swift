import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two `keelson controller --leader-elect` processes against one sandbox: only the Lease's
/// holder writes (the sandbox's audit of writes says who wrote what), the standby serves the
/// API from the shared state and forwards requests, and when the leader is killed the standby
/// takes over and keeps the applications converging.
@Suite struct LeaderElectionProcessTests {
    static let apps = 8
    static let lease = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")
    static let leaseDuration = 4.0
    static let retryPeriod = 0.5

    @Test func onlyTheLeaderWritesAndAStandbyTakesOverWhenItIsKilled() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-leader-election")
        defer { folder.remove() }
        let repo = folder.path + "/repo"
        try await ServerHarness.git(["init", "-q", "-b", "main"], in: repo, create: true)
        try await ServerHarness.git(["config", "user.name", "Test"], in: repo)
        try await ServerHarness.git(["config", "user.email", "test@keelson.invalid"], in: repo)
        try Self.commitValues("1", folder: folder)
        try await ServerHarness.git(["add", "-A"], in: repo)
        try await ServerHarness.git(["commit", "-qm", "one"], in: repo)
        for index in 0..<Self.apps {
            try folder.write(
                "apps/app-\(index).yaml",
                ServerHarness.app("app-\(index)", path: "app-\(index)", interval: "1s").replacingOccurrences(of: "REPO", with: "file://" + repo))
        }
        try folder.write("tokens.yaml", ServerHarness.tokenFile())
        let kubeconfig = folder.path + "/kubeconfig"
        let quiet = {
            var logger = Logger(label: "keelson.test")
            logger.logLevel = .warning
            return logger
        }()
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(200)), logger: quiet) {
            endpoint in
            let kube = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(kube) { client in
                @Sendable func start(_ identity: String) throws -> BackgroundProcess {
                    try BackgroundProcess(
                        Fixtures.keelsonExecutable(),
                        [
                            "controller", "--leader-elect", "--identity", identity, "--leader-elect-lease-duration", "4s",
                            "--leader-elect-renew-deadline", "3s", "--leader-elect-retry-period", "500ms", "--apps", folder.path + "/apps",
                            "--kubeconfig", kubeconfig, "--cache-dir", folder.path + "/cache-" + identity, "--listen", "127.0.0.1:0",
                            "--tokens", folder.path + "/tokens.yaml",
                        ], log: folder.path + "/\(identity).log", environment: ["KEELSON_LOG_LEVEL": "info"])
                }
                @Sendable func holder() async -> String {
                    let lease = try? await client.get(Self.lease, name: "keelson-controller", namespace: "keelson")
                    return lease?.object["spec"]?["holderIdentity"]?.stringValue ?? ""
                }
                @Sendable func values() async -> [String] {
                    var values: [String] = []
                    for index in 0..<Self.apps {
                        let object = try? await client.get(
                            GroupVersionKind(apiVersion: "v1", kind: "ConfigMap"), name: "app-\(index)", namespace: "default")
                        values.append(object?.object["data"]?["value"]?.stringValue ?? "")
                    }
                    return values
                }

                // The first replica leads; the second starts once it does, so the roles are known.
                let leader = try start("replica-a")
                defer { leader.kill() }
                try await Self.eventually("replica-a holds the Lease", process: leader) { await holder() == "replica-a" }
                let standby = try start("replica-b")
                defer { _ = standby.terminate() }
                try await Self.eventually("every application syncs", process: leader) { await values() == Array(repeating: "1", count: Self.apps) }

                // The standby answers from the shared state, and forwards a request to the leader.
                let standbyURL = try await Self.listeningURL(standby)
                try await Self.eventually("the standby lists every application as Synced", process: standby) {
                    let list = try? await Self.call("GET", standbyURL + "/api/v1/applications")
                    let items = list?.json["items"]?.arrayValue ?? []
                    return items.count == Self.apps && items.allSatisfy { $0["sync"]?["status"] == "Synced" }
                }
                let forwarded = try await Self.call("POST", standbyURL + "/api/v1/applications/app-3/refresh")
                #expect(forwarded.status == 202, "\(forwarded.body)")
                let audit = SandboxAudit(url: endpoint.url)
                try await Self.eventually("the leader takes the forwarded refresh and clears its annotation", process: leader) {
                    let writes = (try? await audit.writes()) ?? []
                    let forward = writes.firstIndex { $0.userAgent == "keelson/replica-b" && $0.path.hasSuffix("/applications/app-3") }
                    return forward.map { index in
                        writes[(index + 1)...].contains { $0.userAgent == "keelson/replica-a" && $0.path.hasSuffix("/applications/app-3") }
                    } ?? false
                }
                let beforeKill = try await audit.writes().filter { $0.userAgent.hasPrefix("keelson/") }
                #expect(!beforeKill.isEmpty)
                let standbyWrites = beforeKill.filter { $0.userAgent != "keelson/replica-a" }
                #expect(
                    standbyWrites.map(\.path) == ["/apis/keelson.dev/v1alpha1/namespaces/keelson/applications/app-3"],
                    "the standby wrote more than the forwarded request: \(standbyWrites.map { "\($0.verb) \($0.path)" })")

                // The leader dies without releasing the Lease; a new commit waits for the standby.
                leader.kill()
                let killed = ContinuousClock.now
                try Self.commitValues("2", folder: folder)
                try await ServerHarness.git(["commit", "-qam", "two"], in: repo)
                try await Self.eventually("replica-b takes the Lease", process: standby) { await holder() == "replica-b" }
                let takeover = ContinuousClock.now - killed
                // The Lease is taken a lease duration after the standby last saw it renewed, and
                // on the next try: with start-up jitter on a busy machine, a few seconds more.
                #expect(takeover < .seconds(Self.leaseDuration + 2 * Self.retryPeriod + 6), "takeover took \(takeover)")
                try await Self.eventually("the new leader syncs the new commit", process: standby) {
                    await values() == Array(repeating: "2", count: Self.apps)
                }
                // One writer at a time: replica-a's writes all come before replica-b's (but the forward).
                let writers = try await audit.writes().filter { $0.userAgent.hasPrefix("keelson/") }
                let firstOfB = try #require(writers.firstIndex { $0.userAgent == "keelson/replica-b" && !$0.path.hasSuffix("/applications/app-3") })
                let lateA = writers[firstOfB...].filter { $0.userAgent == "keelson/replica-a" }
                #expect(lateA.isEmpty, "replica-a wrote after replica-b began: \(lateA.map { "\($0.verb) \($0.path)" })")
                let lease = try await client.get(Self.lease, name: "keelson-controller", namespace: "keelson")
                #expect(lease.object["spec"]?["leaseTransitions"] == 1)

                // A leader told to stop finishes its work, releases the Lease and exits cleanly;
                // the next replica takes the Lease without waiting for it to expire.
                let third = try start("replica-c")
                defer { third.kill() }
                try await Self.eventually("replica-c campaigns", process: third) { third.output.contains("campaigning for leadership") }
                #expect(standby.terminate() == 0, "\(standby.output.suffix(2000))")
                #expect(standby.output.contains("released the Lease"), "\(standby.output.suffix(2000))")
                try await Self.eventually("replica-c takes the released Lease", process: third) { await holder() == "replica-c" }
                #expect(third.output.contains("became the leader"))
            }
        }
    }

    /// Writes `value` into every application's ConfigMap in the repository (not committed).
    static func commitValues(_ value: String, folder: TemporaryDirectory) throws {
        for index in 0..<apps { try folder.write("repo/app-\(index)/config.yaml", ServerHarness.configMap("app-\(index)", value)) }
    }

    /// The server URL from `process`'s "server listening" log line.
    static func listeningURL(_ process: BackgroundProcess) async throws -> String {
        try await eventually("the server listens", process: process) { ServerProcess.listeningURL(in: process.output) != nil }
        return ServerProcess.listeningURL(in: process.output)!
    }

    struct Reply {
        var status: Int
        var body: String
        var json: JSONValue { (try? JSONParser.parse(Array(body.utf8), file: "response")) ?? .null }
    }

    /// One request with the admin token.
    static func call(_ method: String, _ url: String) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(ServerHarness.tokens["admin"]!)", forHTTPHeaderField: "Authorization")
        if method == "POST" {
            request.httpBody = Data("{}".utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
    }

    /// Polls `condition` until it holds; fails (with the end of `process`'s log) after a
    /// generous guard, or at once if the process exited.
    static func eventually(_ what: String, process: BackgroundProcess, _ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(120)
        while !(try await condition()) {
            guard process.isRunning else {
                throw ServerProcessError("the controller exited while waiting until \(what):\n\(process.output.suffix(3000))")
            }
            guard ContinuousClock.now < deadline else { throw ServerProcessError("timed out waiting until \(what):\n\(process.output.suffix(3000))") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}

/// The sandbox's `GET /sandbox/audit`: the API writes it accepted, in order.
struct SandboxAudit {
    struct Write: Sendable {
        var verb: String
        var path: String
        var userAgent: String
    }

    let url: String

    func writes() async throws -> [Write] {
        let (data, _) = try await URLSession.shared.data(from: URL(string: url + "/sandbox/audit")!)
        let json = try JSONParser.parse(Array(data), file: "/sandbox/audit")
        return (json["writes"]?.arrayValue ?? []).map { entry in
            Write(
                verb: entry["verb"]?.stringValue ?? "", path: entry["path"]?.stringValue ?? "", userAgent: entry["userAgent"]?.stringValue ?? "")
        }
    }
}
