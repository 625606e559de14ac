import Controller
import Fleet
import Foundation
import GitSource
import KeelsonRuntime
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Notify
import Synchronization
import Testing

/// Reconciles the controller reported, per application.
final class ReconcileCounter: Sendable {
    private let counts = Mutex<[String: Int]>([:])
    func count(_ application: String) { counts.withLock { $0[application, default: 0] += 1 } }
    /// Reconciles of `application` (`namespace/name`) so far.
    subscript(_ application: String) -> Int { counts.withLock { $0[application] ?? 0 } }
}

/// A sandbox cluster, a real Git repository in a temporary folder, and a running controller.
struct ControllerHarness: Sendable {
    let folder: TemporaryDirectory
    let client: KubeClient
    /// Every call the controller made.
    let controllerCalls: CountingKubernetesAPI
    /// Reconciles finished so far, per application id (`namespace/name`).
    let reconciles: ReconcileCounter
    /// What the server reads from the controller (`nil` without a controller).
    var handle: ControllerHandle? = nil
    /// The sandbox's base URL, for its own endpoints (`/sandbox/...`).
    var sandboxURL = ""
    var repository: String { folder.path + "/repo" }

    static let configMaps = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let applications = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")
    static let projects = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Project")

    /// Runs `body` with a repository holding `files` (one commit) and a controller applying `apps`
    /// (Application YAML; `REPO` is replaced by the repository's file URL). A namespaced install:
    /// `prepare` runs first with the admin's client (CRDs, RBAC), the controller acts as `identity`
    /// and watches `scope`, and installs no CRDs.
    static func with(
        files: [String: String], apps: [String: String], logs: LogCapture? = nil, plainTransports: Bool = false,
        repoURL: (@Sendable (_ repository: String) throws -> String)? = nil, tenancy: TenancyRules = TenancyRules(),
        scope: WatchScope = .cluster, identity: Impersonation? = nil, prepare: (@Sendable (KubeClient) async throws -> Void)? = nil,
        notifications: NotificationConfiguration? = nil, awsEnvironment: [String: String] = [:],
        applicationSets: ApplicationSetConfiguration? = nil,
        configure: (@Sendable (inout KeelsonConfiguration) -> Void)? = nil, _ body: @Sendable (ControllerHarness) async throws -> Void
    ) async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-controller")
        defer { folder.remove() }
        try await git(["init", "-q", "-b", "main"], in: folder.path + "/repo", create: true)
        try await git(["config", "user.name", "Test"], in: folder.path + "/repo")
        try await git(["config", "user.email", "test@keelson.invalid"], in: folder.path + "/repo")
        for (name, text) in files { try folder.write("repo/" + name, text) }
        try await git(["add", "-A"], in: folder.path + "/repo")
        try await git(["commit", "-qm", "initial"], in: folder.path + "/repo")
        let url = try repoURL?(folder.path + "/repo") ?? "file://" + folder.path + "/repo"
        for (name, text) in apps {
            try folder.write("apps/\(name).yaml", text.replacingOccurrences(of: "REPO", with: url))
        }
        let kubeconfig = folder.path + "/kubeconfig"
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(200))) { endpoint in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                var transports = GitRunnerConfiguration()
                if plainTransports { transports.allowedTransports.formUnion([.http, .git]) }
                let cache = try GitCache(directory: folder.path + "/cache", runner: try GitRunner(configuration: transports))
                var settings = KeelsonConfiguration()
                settings.controller.appsPath = apps.isEmpty ? nil : folder.path + "/apps"
                settings.controller.resyncInterval = .seconds(600)  // drift must be found by the watches
                settings.controller.tickInterval = .milliseconds(200)
                settings.controller.tenancy = tenancy
                settings.controller.watchScope = scope
                settings.controller.awsEnvironment = awsEnvironment
                settings.controller.installCRDs = scope == .cluster
                settings.imageAutomation = nil
                settings.externalSecrets = nil
                settings.notifications = notifications
                settings.applicationSets = applicationSets
                settings.logger = { label in
                    ["keelson.controller", "keelson.notify", "keelson.applicationsets"].contains(label)
                        ? logs?.logger ?? Logger(label: label) : Logger(label: label)
                }
                configure?(&settings)
                try await prepare?(client)
                let counted = CountingKubernetesAPI(identity.map { client.impersonating($0) } ?? client)
                let system = KeelsonSystem(client: counted, git: cache, configuration: settings)
                let reconciles = ReconcileCounter()
                system.handle.metrics.install { metric in
                    if case .reconcile(let application, _, _) = metric { reconciles.count(application) }
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await system.run() }
                    defer { group.cancelAll() }
                    let harness = ControllerHarness(
                        folder: folder, client: client, controllerCalls: counted, reconciles: reconciles, handle: system.handle,
                        sandboxURL: endpoint.url)
                    // The body may create Applications and Projects at once: wait for their CRDs.
                    try await harness.eventually("the controller installed its CRDs") {
                        (try? await client.resource(for: Self.projects)) != nil
                    }
                    try await body(harness)
                }
            }
        }
    }

    /// For tests that run `keelson controller` as a process: a repository holding `files` (one
    /// commit), the Applications `apps` in `apps/`, and a sandbox; `body` gets a harness whose
    /// `controllerCalls` and `reconciles` count nothing, and the arguments that start the controller.
    static func withoutController(
        prefix: String, files: [String: String], apps: [String: String], readyDelay: Duration, listen: String = "none",
        _ body: @Sendable (ControllerHarness, _ controllerArguments: [String]) async throws -> Void
    ) async throws {
        let folder = try TemporaryDirectory(prefix: prefix)
        defer { folder.remove() }
        let repo = folder.path + "/repo"
        try await git(["init", "-q", "-b", "main"], in: repo, create: true)
        try await git(["config", "user.name", "Test"], in: repo)
        try await git(["config", "user.email", "test@keelson.invalid"], in: repo)
        for (name, text) in files { try folder.write("repo/" + name, text) }
        try await git(["add", "-A"], in: repo)
        try await git(["commit", "-qm", "initial"], in: repo)
        for (name, text) in apps { try folder.write("apps/\(name).yaml", text.replacingOccurrences(of: "REPO", with: "file://" + repo)) }
        let kubeconfig = folder.path + "/kubeconfig"
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: readyDelay)) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                let h = ControllerHarness(
                    folder: folder, client: client, controllerCalls: CountingKubernetesAPI(client), reconciles: ReconcileCounter())
                try await body(
                    h,
                    [
                        "controller", "--apps", folder.path + "/apps", "--kubeconfig", kubeconfig, "--cache-dir", folder.path + "/cache",
                        "--listen", listen,
                    ])
            }
        }
    }

    /// Writes (or with `nil` deletes) files and commits them.
    func commit(_ files: [String: String?], message: String) async throws {
        for (name, text) in files {
            if let text { try folder.write("repo/" + name, text) } else { try FileManager.default.removeItem(atPath: repository + "/" + name) }
        }
        try await Self.git(["add", "-A"], in: repository)
        try await Self.git(["commit", "-qm", message], in: repository)
    }

    /// Polls `check` until it is true, or fails the test after `timeout`.
    func eventually(_ what: String, timeout: Duration = .seconds(60), _ check: @Sendable () async throws -> Bool) async throws {
        try await KeelsonTesting.eventually(what, timeout: timeout, check)
    }

    func configMapValue(_ name: String, namespace: String = "default", key: String = "value") async -> String? {
        (try? await client.get(Self.configMaps, name: name, namespace: namespace))?.object["data"]?[key]?.stringValue
    }

    func exists(_ name: String, namespace: String = "default") async -> Bool {
        (try? await client.get(Self.configMaps, name: name, namespace: namespace)) != nil
    }

    func status(_ app: String, namespace: String = "keelson") async -> JSONValue? {
        (try? await client.get(Self.applications, name: app, namespace: namespace))?.object["status"]
    }

    /// Applies every object of the YAML `text` (as the test's own admin identity).
    func apply(_ text: String) async throws {
        for object in try Manifest.decode(Array(text.utf8), file: "test.yaml") {
            _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
        }
    }

    static func configMap(_ name: String, _ value: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(name)}\ndata: {value: \"\(value)\"}\n"
    }

    /// A Deployment of `replicas` pods labelled `app: NAME`, in `wave` when given.
    static func deployment(_ name: String, replicas: Int = 1, wave: Int? = nil) -> String {
        let annotations = wave.map { ", annotations: {keelson.dev/sync-wave: \"\($0)\"}" } ?? ""
        return """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: \(name)\(annotations)}
            spec:
              replicas: \(replicas)
              selector: {matchLabels: {app: \(name)}}
              template:
                metadata: {labels: {app: \(name)}}
                spec: {containers: [{name: main, image: "example.invalid/\(name):1"}]}

            """
    }

    static func app(_ name: String, path: String, selfHeal: Bool = true, interval: String = "1s", extra: String = "") -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: \(name), namespace: keelson}
        spec:
          source: {repoURL: REPO, revision: main, path: \(path)}
          destination: {namespace: default}
          syncPolicy:
            automated: {prune: true, selfHeal: \(selfHeal)}
            interval: \(interval)
            retry: {limit: 2, backoff: {duration: 1s, maxDuration: 2s}}
        \(extra)
        """
    }

    /// The commit `revision` names in the repository at `directory`.
    static func revision(of revision: String, in directory: String) async throws -> String {
        let result = try await ProcessRunner.run("git", ["-C", directory, "rev-parse", revision])
        return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    static func git(_ arguments: [String], in directory: String, create: Bool = false) async throws {
        if create { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let result = try await ProcessRunner.run("git", ["-C", directory] + arguments)
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.errorOutput]) }
    }
}
