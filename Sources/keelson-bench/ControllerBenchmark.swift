import Controller
import Foundation
import GitSource
import Kube
import KubeSandbox
import Logging
import Manifests
import Sync

#if canImport(Glibc)
import Glibc
#endif

/// 500 applications of 20 objects each, from one local Git repository, reconciled by one
/// in-process controller against a sandbox running as a separate process (so the figures are
/// the controller's own): time to first full sync, steady-state CPU and memory per application,
/// and commit-to-applied latency when a webhook-style refresh follows each commit.
enum ControllerBenchmark {
    /// `KEELSON_BENCH_APPS` overrides the count (for a quick run).
    static let apps = ProcessInfo.processInfo.environment["KEELSON_BENCH_APPS"].flatMap { Int($0) } ?? 500
    static let objectsPerApp = 20
    static let workers = 8
    static let steadyWindow: Duration = .seconds(60)
    /// Each source is polled this often, so the steady window sees every application fetch once.
    static let interval = "1m"
    static let commits = 20
    /// The client's request budget (the controller's defaults are 50/s with bursts of 100, as client-go's).
    static let qps = 1_000.0
    static let burst = 2_000

    static func run() async throws {
        let directory = try InProcessSandbox.scratchDirectory("controller")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let repo = directory + "/repo"
        try writeRepository(repo)

        let kubeconfig = directory + "/kubeconfig"
        let sandbox = try SandboxProcess(kubeconfig: kubeconfig, log: directory + "/sandbox.log")
        defer { sandbox.stop() }
        try await sandbox.waitUntilReady()

        let options = KubeClientOptions(qps: qps, burst: burst)
        try await KubeClient.withClient(KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig)), options: options) { client in
            let git = try GitCache(directory: directory + "/cache", runner: try GitRunner())
            var settings = ControllerConfiguration()
            settings.workers = workers
            let counted = CountingKubernetesAPI(client)
            let controller = ControllerService(client: counted, git: git, configuration: settings, logger: SyncBenchmark.quiet("keelson.controller"))
            let baseline = residentMiB()
            print(
                "controller: \(apps) applications × \(objectsPerApp) ConfigMaps from one local repository; \(workers) workers; "
                    + "client \(Int(qps)) requests/s (burst \(burst)); sandbox in its own process")
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await controller.run() }
                defer { group.cancelAll() }

                try await waitUntil("the Application CRD is served", timeout: .seconds(60)) {
                    (try? await client.resource(for: GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application"))) != nil
                }
                let start = ContinuousClock.now
                for index in 0..<apps {
                    _ = try await client.apply(try application(index, repo: repo), options: ApplyOptions(fieldManager: "bench", force: true))
                }
                try await waitUntil("every application is Synced and Healthy", timeout: .seconds(1800)) {
                    let views = await controller.handle.applications()
                    return views.count == apps
                        && views.allSatisfy { view in
                            view.status["sync"]?["status"]?.stringValue == SyncStatus.synced.rawValue
                                && view.status["health"]?["status"]?.stringValue == "Healthy"
                        }
                }
                let firstSync = seconds(ContinuousClock.now - start)
                let calls = counted.calls.filter { $0.key != .discovery }.sorted { $0.key.rawValue < $1.key.rawValue }
                print(
                    "  time to first full sync: \(Measure.format(firstSync, 1)) s (\(Measure.format(Double(apps * objectsPerApp) / firstSync, 0)) objects/s), "
                        + "\(calls.reduce(0) { $0 + $1.value }) controller requests (\(calls.map { "\($0.key.rawValue) \($0.value)" }.joined(separator: ", ")))"
                )

                try await Task.sleep(for: .seconds(5))  // let the sync's own watch events settle
                let cpuBefore = cpuSeconds()
                let gitBefore = cpuSeconds(children: true)
                try await Task.sleep(for: steadyWindow)
                let cpu = cpuSeconds() - cpuBefore
                let gitCPU = cpuSeconds(children: true) - gitBefore
                let window = seconds(steadyWindow)
                let resident = residentMiB()
                print("  steady state over \(Int(window)) s (each source polled every \(interval) with jitter, drift by watch):")
                print(
                    "    controller CPU: \(Measure.format(cpu / window * 100, 2)) % of one core in all, "
                        + "\(Measure.format(cpu / window * 1000 / Double(apps), 3)) ms/s per application; git processes: \(Measure.format(gitCPU / window * 100, 2)) %"
                )
                print(
                    "    resident memory: \(Measure.format(resident, 1)) MiB in all, "
                        + "\(Measure.format((resident - baseline) * 1024 / Double(apps), 1)) KiB per application above the \(Measure.format(baseline, 1)) MiB baseline"
                )

                var latencies: [Double] = []
                for round in 0..<commits {
                    let index = (round * 37) % apps
                    let value = "commit-\(round)"
                    try configMap(index, 0, value: value).write(toFile: "\(repo)/apps/app-\(index)/cm-0.yaml", atomically: true, encoding: .utf8)
                    try ServerBenchmark.git(["commit", "-qam", "change app-\(index)"], repo)
                    let committed = ContinuousClock.now
                    await controller.handle.refresh(["keelson/app-\(index)"])
                    try await waitUntil("app-\(index) is applied", timeout: .seconds(60), poll: .milliseconds(10)) {
                        let live = try? await client.get(
                            GroupVersionKind(group: "", version: "v1", kind: "ConfigMap"), name: "app-\(index)-cm-0", namespace: "bench")
                        return live?.object["data"]?["value"]?.stringValue == value
                    }
                    latencies.append(seconds(ContinuousClock.now - committed) * 1000)
                }
                latencies.sort()
                print(
                    "  commit-to-applied with a refresh request (a webhook's path), \(commits) commits: "
                        + "p50 \(Measure.format(latencies[latencies.count / 2], 0)) ms, max \(Measure.format(latencies.last ?? 0, 0)) ms "
                        + "(without a webhook a commit waits for the next poll: up to the \(interval) interval)")
            }
        }
    }

    // MARK: Fixtures

    static func writeRepository(_ repo: String) throws {
        for app in 0..<apps {
            let folder = "\(repo)/apps/app-\(app)"
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            for object in 0..<objectsPerApp {
                try configMap(app, object, value: "initial").write(toFile: "\(folder)/cm-\(object).yaml", atomically: false, encoding: .utf8)
            }
        }
        try ServerBenchmark.commitNewRepository(repo, message: "initial")
    }

    static func configMap(_ app: Int, _ object: Int, value: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: app-\(app)-cm-\(object)\ndata:\n  value: \(value)\n  app: \"\(app)\"\n"
    }

    /// Application `app-INDEX` in `keelson`: folder `apps/app-INDEX` of `repo`, into `destination`.
    static func application(
        _ index: Int, repo: String, destination: String = "bench",
        syncPolicy: JSONValue = [
            "automated": ["prune": true, "selfHeal": true], "syncOptions": ["CreateNamespace=true"], "interval": .string(interval),
        ]
    ) throws -> Manifest {
        try Manifest([
            "apiVersion": "keelson.dev/v1alpha1", "kind": "Application",
            "metadata": ["name": .string("app-\(index)"), "namespace": "keelson"],
            "spec": [
                "source": ["repoURL": .string("file://" + repo), "revision": "main", "path": .string("apps/app-\(index)")],
                "destination": ["namespace": .string(destination)], "syncPolicy": syncPolicy,
            ],
        ])
    }

    // MARK: Measurement

    static func waitUntil(
        _ what: String, timeout: Duration, poll: Duration = .milliseconds(200), _ check: @Sendable () async throws -> Bool
    ) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if try await check() { return }
            try await Task.sleep(for: poll)
        }
        throw BenchmarkError("timed out waiting until \(what)")
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    /// User and system CPU time of this process (or of its reaped children), in seconds.
    static func cpuSeconds(children: Bool = false) -> Double {
        var usage = rusage()
        getrusage(children ? RUSAGE_CHILDREN.rawValue : RUSAGE_SELF.rawValue, &usage)
        let user = Double(usage.ru_utime.tv_sec) + Double(usage.ru_utime.tv_usec) / 1e6
        let system = Double(usage.ru_stime.tv_sec) + Double(usage.ru_stime.tv_usec) / 1e6
        return user + system
    }

    /// Current resident memory of this process, in MiB (`VmRSS`).
    static func residentMiB() -> Double {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
            let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") })
        else { return 0 }
        let kib = Double(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
        return kib / 1024
    }
}

/// The sandbox in a child process (this same binary, `keelson-bench serve-sandbox KUBECONFIG`),
/// so its CPU and memory are not counted as the controller's.
final class SandboxProcess: Sendable {
    let program: ChildProgram
    let kubeconfig: String

    init(kubeconfig: String, log: String) throws {
        program = try ChildProgram("the sandbox", executable: ChildProgram.ownExecutable, arguments: ["serve-sandbox", kubeconfig], log: log)
        self.kubeconfig = kubeconfig
    }

    func waitUntilReady() async throws {
        try await ControllerBenchmark.waitUntil("the sandbox wrote its kubeconfig", timeout: .seconds(60)) {
            FileManager.default.fileExists(atPath: self.kubeconfig)
        }
        try await Task.sleep(for: .milliseconds(500))
    }

    func stop() { program.stop() }

    /// The child's side: serve a sandbox until killed.
    static func serve(kubeconfig: String) async throws {
        let configuration = SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(10))
        try await Sandbox.withRunning(configuration, logger: SyncBenchmark.quiet("keelson.sandbox")) { _ in
            while true { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
