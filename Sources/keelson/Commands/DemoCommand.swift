import ArgumentParser
import Controller
import Foundation
import GitSource
import KeelsonRuntime
import Kube
import KubeSandbox
import Logging
import Server
import ServiceLifecycle

/// `keelson demo`: a sandbox cluster, a local Git repository made from `examples/`, and the
/// controller keeping one equal to the other (with image automation and the dashboard), until Ctrl-C.
struct DemoCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Run the GitOps loop locally: sandbox cluster + Git repository from examples/ + controller.")

    @Option(help: "The sandbox's port (0 picks a free one).")
    var port = 0

    @Option(help: "Where the examples are (default: examples/ in or above the current directory).")
    var examples: String?

    @Flag(help: "Keep the demo's folder (repository, kubeconfig) after exit.")
    var keep = false

    @Option(help: "Where the dashboard and API listen (loopback only).")
    var listen = "127.0.0.1:8080"

    @OptionGroup var kubeAPI: KubeAPIOptions

    func run() async throws {
        let examples = try self.examples ?? Self.findExamples()
        let base = FileManager.default.temporaryDirectory.path + "/keelson-demo-\(getpid())"
        try FileManager.default.createDirectory(atPath: base, withIntermediateDirectories: true)
        defer { if !keep { try? FileManager.default.removeItem(atPath: base) } }
        let repository = base + "/repo"
        try DemoRepository.create(at: repository, from: examples)
        let appsDirectory = base + "/apps"
        try DemoRepository.writeApplications(to: appsDirectory, repository: repository)
        let kubeconfig = base + "/kubeconfig"

        // Warnings and worse unless KEELSON_LOG_LEVEL says otherwise (see Keelson.main).
        let logger = Logger(label: "keelson.demo")
        let (ready, readySink) = AsyncStream<SandboxEndpoint>.makeStream()
        let sandbox = Sandbox(
            configuration: SandboxConfiguration(port: port, kubeconfigPath: kubeconfig, readyDelay: .seconds(1)), logger: logger
        ) { readySink.yield($0) }
        let git = try ControllerCommand.gitCache(base + "/cache", allowHTTP: false)
        guard let address = try ServerConfiguration.parseListen(listen), ServerConfiguration.isLoopback(address.host) else {
            throw ValidationError("--listen \(listen): the demo serves its dashboard on a loopback address only")
        }
        // A fresh admin token for this run, printed once: the demo is for the person at this terminal.
        let token = ServerOptions.randomToken()
        var configuration = KeelsonConfiguration()
        configuration.controller.appsPath = appsDirectory
        configuration.server = ServerSettings(
            configuration: ServerConfiguration(
                host: address.host, port: address.port, tokens: TokenStore(token: token, name: "demo-admin", role: .admin)),
            audit: try AuditLog(path: base + "/audit.log"), routes: [try Dashboard.serverRoutes()])
        let settings = configuration
        let clientOptions = kubeAPI.clientOptions()
        let system = AfterReady(ready: ready) { endpoint in
            let kube = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(kube, options: clientOptions) { client in
                let system = KeelsonSystem(client: client, git: git, configuration: settings)
                let dashboard = "http://\(address.host):\(address.port)/"
                CLI.write(Self.instructions(endpoint: endpoint, kubeconfig: kubeconfig, repository: repository, dashboard: dashboard, token: token))
                // Stops with the demo's group: the controller, image automation and server shut down gracefully.
                try await system.run()
            }
        }
        let group = ServiceGroup(
            configuration: .init(
                services: [.init(service: sandbox, serviceName: "sandbox"), .init(service: system, serviceName: "keelson")],
                gracefulShutdownSignals: [.sigterm, .sigint], logger: logger))
        try await group.run()
        CLI.write("keelson demo stopped\(keep ? "; kept \(base)" : "")\n")
    }

    static func findExamples() throws -> String {
        var directory = FileManager.default.currentDirectoryPath
        while true {
            let candidate = directory + "/examples/apps"
            if FileManager.default.fileExists(atPath: candidate) { return directory + "/examples" }
            let parent = (directory as NSString).deletingLastPathComponent
            if parent == directory { throw CLIError("no examples/ folder found; run from the Keelson repository or pass --examples DIR") }
            directory = parent
        }
    }

    static func instructions(endpoint: SandboxEndpoint, kubeconfig: String, repository: String, dashboard: String, token: String) -> String {
        """
        keelson demo is running.
          dashboard:  \(dashboard)  (sign in with the token below)
          token:      \(token)
          cluster:    \(endpoint.url)  (kubeconfig \(kubeconfig))
          repository: \(repository)  (3 commits; the controller follows branch main)
          applications: guestbook (apps/guestbook, prune + self-heal), widgets (apps/widgets, dependsOn guestbook)
          image automation: runs the ImagePolicy and ImageUpdateAutomation objects you apply (kubectl get imagepolicies -A)

        Try, in another terminal:
          export KUBECONFIG=\(kubeconfig)
          kubectl get applications -n keelson -w             # sync status, health, revision
          kubectl get deploy,svc,cm,widgets -n guestbook
          kubectl scale deploy/guestbook -n guestbook --replicas 5    # drift: reverted within seconds
          cd \(repository) && sed -i 's/replicas: 2/replicas: 3/' apps/guestbook/deployment.yaml && git commit -qam "3 replicas"
          kubectl get application guestbook -n keelson -o jsonpath='{.status.history}'
          kubectl annotate application guestbook -n keelson keelson.dev/rollback=1   # pin history entry 1
          KEELSON_TOKEN=\(token) keelson app list --server \(dashboard)
        Ctrl-C stops everything and removes the demo's folder.

        """
    }
}

/// Runs `body` once the sandbox is ready; a `Service` so it stops with the group.
struct AfterReady: Service {
    let ready: AsyncStream<SandboxEndpoint>
    let body: @Sendable (SandboxEndpoint) async throws -> Void

    func run() async throws {
        // Only the wait is cancelled on shutdown; once running, `body` shuts down gracefully itself.
        let ready = self.ready
        let endpoint = await cancelWhenGracefulShutdown {
            var iterator = ready.makeAsyncIterator()
            return await iterator.next()
        }
        guard let endpoint else { return }
        try await body(endpoint)
    }
}

/// The demo's Git repository: `examples/apps` committed in three steps of history.
enum DemoRepository {
    static func create(at path: String, from examples: String) throws {
        let manager = FileManager.default
        try manager.createDirectory(atPath: path + "/apps", withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], in: path)
        try git(["config", "user.name", "Keelson Demo"], in: path)
        try git(["config", "user.email", "demo@keelson.invalid"], in: path)
        // 1: the guestbook with one replica; 2: the widgets CRD and resource; 3: two replicas.
        try manager.copyItem(atPath: examples + "/apps/guestbook", toPath: path + "/apps/guestbook")
        let deployment = path + "/apps/guestbook/deployment.yaml"
        let text = try String(contentsOfFile: deployment, encoding: .utf8)
        try text.replacingOccurrences(of: "replicas: 2", with: "replicas: 1").write(toFile: deployment, atomically: true, encoding: .utf8)
        try git(["add", "-A"], in: path)
        try git(["commit", "-qm", "guestbook: first deploy"], in: path)
        try manager.copyItem(atPath: examples + "/apps/widgets", toPath: path + "/apps/widgets")
        try git(["add", "-A"], in: path)
        try git(["commit", "-qm", "widgets: CRD and a blue widget"], in: path)
        try text.write(toFile: deployment, atomically: true, encoding: .utf8)
        try git(["commit", "-qam", "guestbook: two replicas"], in: path)
    }

    static func writeApplications(to directory: String, repository: String) throws {
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        for (name, path, extra) in [("guestbook", "apps/guestbook", ""), ("widgets", "apps/widgets", "  dependsOn: [{name: guestbook}]\n")] {
            let yaml = """
                apiVersion: keelson.dev/v1alpha1
                kind: Application
                metadata:
                  name: \(name)
                  namespace: keelson
                spec:
                  source:
                    repoURL: file://\(repository)
                    revision: main
                    path: \(path)
                  destination:
                    namespace: guestbook
                  syncPolicy:
                    automated: {prune: true, selfHeal: true}
                    interval: 10s
                    syncOptions: [CreateNamespace=true]

                """ + extra
            try yaml.write(toFile: directory + "/\(name).yaml", atomically: true, encoding: .utf8)
        }
    }

    static func git(_ arguments: [String], in directory: String) throws {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory] + arguments
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw CLIError("git \(arguments.first ?? "") failed in \(directory)") }
    }
}
