import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Render
import Sync
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A sandbox over real HTTP, a request-counting client for it, a working copy of fixture
/// files, and the real `kubectl` and `keelson` binaries pointed at it.
struct SyncCluster: Sendable {
    let endpoint: SandboxEndpoint
    let client: CountingKubernetesAPI
    let kubeconfig: String
    /// The working copy of the application's files (`keelson sync` reads it).
    let path: String
    let directory: TemporaryDirectory

    /// Whether kubectl is installed; tests that need it skip with this reason otherwise.
    static var hasKubectl: Bool { ProcessRunner.which("kubectl") != nil }

    /// Renders the working copy the way `keelson sync PATH` does.
    func render() throws -> [Manifest] {
        try DirectoryRenderer().render(SecureRoot(directory: path)).manifests
    }

    /// Syncs the working copy as `app` through the counting client.
    func sync(
        app: AppIdentity, prune: Bool = false, wait: Bool = false, configure: (inout SyncOptions) -> Void = { _ in }
    ) async throws -> ChangeSet {
        var options = SyncOptions()
        options.prune = prune
        options.wait = wait
        // A last guard: a sync here takes a second or two, but far longer on a loaded machine
        // while every other test runs beside it.
        options.timeout = .seconds(120)
        options.pollInterval = .milliseconds(50)
        configure(&options)
        return await SyncEngine(client: client).sync(app: app, desired: try render(), options: options)
    }

    /// Copies fixture folder `name` into the working copy.
    func add(_ name: String) throws {
        // The fixtures sit beside the tests, one folder above this file.
        let tests = ((#filePath as NSString).deletingLastPathComponent as NSString).deletingLastPathComponent
        let source = tests + "/Fixtures/" + name
        for file in try FileManager.default.contentsOfDirectory(atPath: source).sorted() {
            try directory.write("app/" + file, try Data(contentsOf: URL(fileURLWithPath: source + "/" + file)))
        }
    }

    /// Writes one file of the working copy.
    func write(_ file: String, _ text: String) throws { try directory.write("app/" + file, text) }

    /// Deletes one file of the working copy.
    func remove(_ file: String) throws { try FileManager.default.removeItem(atPath: path + "/" + file) }

    /// The live object, or `nil` when the cluster has none.
    func live(_ apiVersion: String, _ kind: String, _ name: String, namespace: String? = "default") async throws -> Manifest? {
        do {
            return try await client.base.get(GroupVersionKind(apiVersion: apiVersion, kind: kind), name: name, namespace: namespace)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    /// The live object's `metadata.resourceVersion`: the sandbox's global write counter, so it
    /// tells which of two objects was written last.
    func revision(_ apiVersion: String, _ kind: String, _ name: String, namespace: String? = "default") async throws -> Int {
        let object = try #require(try await live(apiVersion, kind, name, namespace: namespace), "\(kind)/\(name) is missing")
        return try #require(Int(object.metadata["resourceVersion"]?.stringValue ?? ""))
    }

    /// The stored inventory of `app`.
    func inventory(_ app: AppIdentity) async throws -> Set<InventoryEntry> {
        try await ConfigMapInventoryStore(client: client.base).load(app: app)
    }

    /// Runs the real kubectl against the sandbox.
    @discardableResult
    func kubectl(_ arguments: [String]) async throws -> ProcessResult {
        let result = try await ProcessRunner.run(
            "kubectl", ["--kubeconfig", kubeconfig, "--cache-dir", directory.path + "/kubectl-cache"] + arguments,
            environment: ["HOME": directory.path, "PATH": "/usr/local/bin:/usr/bin:/bin", "KUBECTL_KUBERC": "false"])
        #expect(result.status == 0, "kubectl \(arguments.joined(separator: " ")): \(result.errorOutput)")
        return result
    }

    /// Runs the built keelson binary against the sandbox.
    func keelson(_ arguments: [String]) async throws -> ProcessResult {
        try await ProcessRunner.run(
            Fixtures.keelsonExecutable(), arguments + ["--kubeconfig", kubeconfig],
            environment: ["HOME": directory.path, "PATH": "/usr/local/bin:/usr/bin:/bin"])
    }

    /// Sets the sandbox's injected faults (`POST /sandbox/faults`), or clears them with `nil`.
    func faults(_ body: String?) async throws {
        var request = URLRequest(url: URL(string: endpoint.url + "/sandbox/faults")!)
        request.httpMethod = body == nil ? "DELETE" : "POST"
        request.httpBody = body.map { Data($0.utf8) }
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
    }
}

/// Runs `body` against a fresh sandbox, stopped when `body` returns or throws.
func withSyncCluster<Result: Sendable>(
    readyDelay: Duration = .milliseconds(100), _ body: @Sendable (SyncCluster) async throws -> Result
) async throws -> Result {
    let directory = try TemporaryDirectory(prefix: "keelson-sync-it")
    defer { directory.remove() }
    try directory.makeDirectory("app")
    let kubeconfig = directory.path + "/kubeconfig"
    let configuration = SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: readyDelay)
    return try await Sandbox.withRunning(configuration) { endpoint in
        let kubeConfiguration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
        var options = KubeClientOptions()
        // Faults are injected on purpose: keep retries short so a failing run ends quickly.
        options.retry = RetryPolicy(maxAttempts: 3, initialDelay: .milliseconds(10), maxDelay: .milliseconds(50))
        return try await KubeClient.withClient(kubeConfiguration, options: options) { client in
            let cluster = SyncCluster(
                endpoint: endpoint, client: CountingKubernetesAPI(client), kubeconfig: kubeconfig,
                path: directory.path + "/app", directory: directory)
            return try await body(cluster)
        }
    }
}
