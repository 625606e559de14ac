import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A sandbox, a Git repository with one folder per application (`app-N/config.yaml`, the
/// ConfigMap `app-N`), and `keelson controller` replicas started against them with short Lease
/// timings (4 s lease, 3 s renew deadline, 500 ms retry period) unless a test relaxes them. Each replica sends
/// `keelson/IDENTITY` as its User-Agent, which the sandbox's audit of writes records.
struct ReplicaCluster: Sendable {
    let folder: TemporaryDirectory
    let client: KubeClient
    let endpoint: SandboxEndpoint
    let kubeconfig: String
    let apps: Int

    static let leaseKind = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")
    /// Lease timings, in seconds. Generous (client-go's defaults are 15, 10 and 2): the sandbox
    /// answers from the test's process, and with the whole suite on two cores a 3 s renew
    /// deadline was missed in three runs, and the replica that missed it exited, as it must.
    static let leaseDuration = 10.0
    static let renewDeadline = 7.0
    static let retryPeriod = 1.0

    var repo: String { folder.path + "/repo" }

    /// Runs `body` with the repository committed at value "1" for `apps` applications.
    static func with(apps: Int, _ body: @Sendable (ReplicaCluster) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-replicas")
        defer { folder.remove() }
        let repo = folder.path + "/repo"
        try await ServerHarness.git(["init", "-q", "-b", "main"], in: repo, create: true)
        try await ServerHarness.git(["config", "user.name", "Test"], in: repo)
        try await ServerHarness.git(["config", "user.email", "test@keelson.invalid"], in: repo)
        for index in 0..<apps { try folder.write("repo/app-\(index)/config.yaml", ServerHarness.configMap("app-\(index)", "1")) }
        try await ServerHarness.git(["add", "-A"], in: repo)
        try await ServerHarness.git(["commit", "-qm", "one"], in: repo)
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
                try await body(ReplicaCluster(folder: folder, client: client, endpoint: endpoint, kubeconfig: kubeconfig, apps: apps))
            }
        }
    }

    /// The Application `app-N` (interval `interval`) that deploys folder `app-N`.
    func application(_ index: Int, interval: String) -> String {
        ServerHarness.app("app-\(index)", path: "app-\(index)", interval: interval).replacingOccurrences(of: "REPO", with: "file://" + repo)
    }

    /// Starts `keelson controller` as `identity` with `arguments` added, its server on a free port.
    func start(_ identity: String, _ arguments: [String]) throws -> BackgroundProcess {
        try BackgroundProcess(
            Fixtures.keelsonExecutable(),
            [
                "controller", "--identity", identity, "--leader-elect-lease-duration", "\(Int(Self.leaseDuration))s",
                "--leader-elect-renew-deadline", "\(Int(Self.renewDeadline))s", "--leader-elect-retry-period", "\(Int(Self.retryPeriod))s",
                "--kubeconfig", kubeconfig, "--cache-dir", folder.path + "/cache-" + identity,
                "--listen", "127.0.0.1:0", "--tokens", folder.path + "/tokens.yaml",
            ] + arguments, log: folder.path + "/\(identity).log",
            environment: ["KEELSON_LOG_LEVEL": "info", "SWIFT_BACKTRACE": "enable=yes,interactive=no"])
    }

    /// Writes `value` into every application's ConfigMap and commits it.
    func commit(_ value: String) async throws {
        for index in 0..<apps { try folder.write("repo/app-\(index)/config.yaml", ServerHarness.configMap("app-\(index)", value)) }
        try await ServerHarness.git(["commit", "-qam", "value \(value)"], in: repo)
    }

    /// The application ConfigMaps that hold `value`.
    func names(holding value: String) async -> Set<String> {
        let list = try? await client.list(GroupVersionKind(apiVersion: "v1", kind: "ConfigMap"), namespace: "default", options: ListOptions())
        return Set((list?.items ?? []).filter { $0.name.hasPrefix("app-") && $0.object["data"]?["value"]?.stringValue == value }.map(\.name))
    }

    /// The holder of the Lease `name` in the `keelson` namespace ("" when free or missing).
    func holder(of name: String = "keelson-controller") async -> String {
        let lease = try? await client.get(Self.leaseKind, name: name, namespace: "keelson")
        return lease?.object["spec"]?["holderIdentity"]?.stringValue ?? ""
    }

    /// A time the Lease `keelson-controller` records (`renewTime`, `acquireTime`: MicroTime).
    func leaseTime(_ field: String) async -> Date? {
        let lease = try? await client.get(Self.leaseKind, name: "keelson-controller", namespace: "keelson")
        guard let text = lease?.object["spec"]?[field]?.stringValue else { return nil }
        let format = ISO8601DateFormatter()
        format.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return format.date(from: text)
    }

    /// The accepted writes so far.
    func writes() async throws -> [SandboxAudit.Write] { try await SandboxAudit(url: endpoint.url).writes() }

    /// Polls `condition` until it holds; fails with the end of the replicas' logs after a
    /// generous guard, or at once if one of them exited.
    static func eventually(_ what: String, _ processes: [String: BackgroundProcess], _ condition: @Sendable () async throws -> Bool)
        async throws
    {
        let deadline = ContinuousClock.now + .seconds(240)
        while !(try await condition()) {
            for (identity, process) in processes where !process.isRunning {
                throw ServerProcessError(
                    "\(identity) \(process.ending) while waiting until \(what):\n\(process.crashReport.map { $0 + "\n…\n" } ?? "")"
                        + process.output.suffix(3000))
            }
            guard ContinuousClock.now < deadline else {
                throw ServerProcessError(
                    "timed out waiting until \(what):\n" + processes.map { "\($0.key):\n\($0.value.output.suffix(1500))" }.joined(separator: "\n"))
            }
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
