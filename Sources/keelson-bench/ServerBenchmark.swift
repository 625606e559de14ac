import AsyncHTTPClient
import Controller
import Crypto
import Foundation
import GitSource
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import NIOCore
import Server
import Sync

/// The server end to end, in one process over real HTTP: an in-process sandbox, a real Git
/// repository, the real controller and the server on 127.0.0.1.
///
/// 1. Webhook to applied: 100 times, commit a new ConfigMap value, send a signed GitHub push,
///    and time until the sandbox holds the value (the application's interval is 10 minutes, so
///    only the webhook can make it happen). p50 and p99.
/// 2. `GET /api/v1/applications` with 1,000 Applications registered in the sandbox (one tiny
///    directory each in one repository), all reconciled by the controller first: requests per
///    second with 8 clients for 10 seconds.
enum ServerBenchmark {
    static let pushes = 100
    static let applications = 1000
    static let clients = 8
    static let listSeconds = 10
    static let secret = "bench-webhook-secret"
    static let token = "bench-admin-token"
    static let configMaps = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    static func run() async throws {
        let logger = {
            var logger = Logger(label: "keelson.bench"); logger.logLevel = .critical; return logger
        }()
        let directory = try InProcessSandbox.scratchDirectory("server")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let repository = directory + "/repo"
        try FileManager.default.createDirectory(atPath: repository, withIntermediateDirectories: true)
        try git(["init", "-q", "-b", "main"], repository)
        try git(["config", "user.name", "Bench"], repository)
        try git(["config", "user.email", "bench@keelson.invalid"], repository)
        try write(repository + "/hooked/config.yaml", configMap("hooked", "0"))
        for index in 0..<applications { try write(repository + "/apps/a\(index)/config.yaml", configMap("app-\(index)", "1")) }
        try git(["add", "-A"], repository)
        try git(["commit", "-qm", "initial"], repository)
        let url = "file://" + repository

        try await InProcessSandbox.withClient(SandboxConfiguration(watchHistory: 100_000), in: directory, logger: logger) { client, _ in
            var settings = ControllerConfiguration()
            settings.workers = 8
            settings.resyncInterval = .seconds(600)
            let controller = ControllerService(
                client: client, git: try GitCache(directory: directory + "/cache", runner: try GitRunner()), configuration: settings, logger: logger)
            var serverSettings = ServerConfiguration(host: "127.0.0.1", port: 0, tokens: TokenStore(token: token, name: "bench", role: .admin))
            serverSettings.webhookSecrets = WebhookSecrets(hmac: Array(secret.utf8))
            let (listening, sink) = AsyncStream.makeStream(of: String.self)
            let server = ServerService(
                configuration: serverSettings, handle: controller.handle, client: client, audit: try AuditLog(path: directory + "/audit.log"),
                logger: logger, onListening: { sink.yield($0) })
            let http = HTTPClient(eventLoopGroupProvider: .singleton)
            do {
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await controller.run() }
                    group.addTask { try await server.run() }
                    defer { group.cancelAll() }
                    var iterator = listening.makeAsyncIterator()
                    guard let base = await iterator.next() else { throw BenchmarkError("the server did not start") }
                    say("server: in-process sandbox, controller and server at \(base), Keelson's clients over HTTP/1.1")
                    try await waitFor("the controller to install its CRD and list", timeout: .seconds(60)) { await controller.handle.isReady }
                    _ = try await client.apply(
                        application("hooked", path: "hooked", url: url), options: ApplyOptions(fieldManager: "bench", force: true))
                    try await webhookLatency(client: client, http: http, base: base, repository: repository, url: url)
                    try await listThroughput(client: client, controller: controller, http: http, base: base, url: url)
                }
            } catch {
                try? await http.shutdown()
                throw error
            }
            try await http.shutdown()
        }
        say("peak memory: \(Measure.format(Measure.peakMemoryMiB(), 1)) MiB (sandbox, controller and server in one process)")
    }

    static func webhookLatency(client: KubeClient, http: HTTPClient, base: String, repository: String, url: String) async throws {
        try await waitFor("the hooked application's first sync", timeout: .seconds(60)) { await value(client, "hooked") == "0" }
        var latencies: [Double] = []
        for index in 1...pushes {
            try write(repository + "/hooked/config.yaml", configMap("hooked", String(index)))
            try git(["commit", "-qam", "push \(index)"], repository)
            let body = Array(#"{"ref":"refs/heads/main","repository":{"clone_url":"\#(url)"}}"#.utf8)
            let signature = HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))).map {
                String(format: "%02x", $0)
            }.joined()
            var request = HTTPClientRequest(url: base + "/hooks/github")
            request.method = .POST
            request.headers.add(name: "X-GitHub-Event", value: "push")
            request.headers.add(name: "X-Hub-Signature-256", value: "sha256=" + signature)
            request.body = .bytes(ByteBuffer(bytes: body))
            let start = ContinuousClock.now
            let response = try await http.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 16)
            guard response.status.code == 202 else { throw BenchmarkError("the webhook answered \(response.status.code)") }
            let expected = String(index)
            while await value(client, "hooked") != expected {
                if ContinuousClock.now - start > .seconds(30) { throw BenchmarkError("push \(index) was not applied within 30 s") }
                try await Task.sleep(for: .milliseconds(5))
            }
            latencies.append(SandboxBenchmark.seconds(ContinuousClock.now - start))
        }
        let sorted = latencies.sorted()
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        say(
            "webhook to applied: \(pushes) signed GitHub pushes, each a new commit (interval 10m, so only the webhook triggers): "
                + "p50 \(Measure.format(percentile(0.5) * 1000, 1)) ms, p99 \(Measure.format(percentile(0.99) * 1000, 1)) ms, max \(Measure.format(sorted.last! * 1000, 1)) ms"
        )
    }

    static func listThroughput(client: KubeClient, controller: ControllerService, http: HTTPClient, base: String, url: String) async throws {
        let registerStart = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<applications {
                if index >= 16 { try await group.next() }
                group.addTask {
                    _ = try await client.apply(
                        application("a\(index)", path: "apps/a\(index)", url: url), options: ApplyOptions(fieldManager: "bench", force: true))
                }
            }
            try await group.waitForAll()
        }
        // Measure once every application has been reconciled, or after 10 minutes with what there is (said below).
        let synced: @Sendable () async -> Int = {
            await controller.handle.applications().count { $0.status["sync"]?["status"]?.stringValue == SyncStatus.synced.rawValue }
        }
        try? await waitFor("every application reconciled once", timeout: .seconds(600)) { await synced() == applications + 1 }
        let listed = await controller.handle.applications().count
        say(
            "applications: \(listed) registered, \(await synced()) reconciled and synced by the controller after "
                + "\(Measure.format(SandboxBenchmark.seconds(ContinuousClock.now - registerStart), 1)) s")
        let deadline = ContinuousClock.now + .seconds(listSeconds)
        let start = ContinuousClock.now
        // Each client returns how many lists it made and the size of the last.
        let results = try await withThrowingTaskGroup(of: (Int, Int).self) { group in
            for _ in 0..<clients {
                group.addTask {
                    var made = 0
                    var size = 0
                    while ContinuousClock.now < deadline {
                        var request = HTTPClientRequest(url: base + "/api/v1/applications")
                        request.headers.add(name: "Authorization", value: "Bearer \(token)")
                        let response = try await http.execute(request, timeout: .seconds(30))
                        let body = try await response.body.collect(upTo: 64 << 20)
                        guard response.status.code == 200 else { throw BenchmarkError("the list answered \(response.status.code)") }
                        made += 1
                        size = body.readableBytes
                    }
                    return (made, size)
                }
            }
            var all: [(Int, Int)] = []
            for try await result in group { all.append(result) }
            return all
        }
        let requests = results.map(\.0).reduce(0, +)
        let size = results.map(\.1).max() ?? 0
        let seconds = SandboxBenchmark.seconds(ContinuousClock.now - start)
        say(
            "GET /api/v1/applications with \(applications + 1) applications (a real controller reconciling them, not a fed handle), \(clients) clients for \(listSeconds) s: "
                + "\(requests) requests, \(Measure.format(Double(requests) / seconds, 1)) requests/s, \(size / 1024) KiB per response")
    }

    /// Prints a line at once (stdout to a pipe is block-buffered, and this benchmark runs for minutes).
    static func say(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

    static func value(_ client: KubeClient, _ name: String) async -> String? {
        (try? await client.get(configMaps, name: name, namespace: "default"))?.object["data"]?["value"]?.stringValue
    }

    static func waitFor(_ what: String, timeout: Duration, _ check: () async -> Bool) async throws {
        let deadline = ContinuousClock.now + timeout
        while await !check() {
            if ContinuousClock.now > deadline { throw BenchmarkError("timed out waiting for \(what)") }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    static func application(_ name: String, path: String, url: String) -> Manifest {
        Manifest(unchecked: [
            "apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "metadata": ["name": .string(name), "namespace": "keelson"],
            "spec": [
                "source": ["repoURL": .string(url), "revision": "main", "path": .string(path)], "destination": ["namespace": "default"],
                "syncPolicy": ["automated": ["prune": true, "selfHeal": false], "interval": "10m"],
            ],
        ])
    }

    static func configMap(_ name: String, _ value: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(name)}\ndata: {value: \"\(value)\"}\n"
    }

    static func write(_ path: String, _ text: String) throws {
        try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    }

    /// Makes `directory` a Git repository (branch main) with everything in it committed.
    static func commitNewRepository(_ directory: String, message: String) throws {
        try git(["init", "-q", "-b", "main"], directory)
        try git(["config", "user.name", "bench"], directory)
        try git(["config", "user.email", "bench@keelson.invalid"], directory)
        try git(["add", "-A"], directory)
        try git(["commit", "-qm", message], directory)
    }

    static func git(_ arguments: [String], _ directory: String) throws {
        let result = try ProcessRunner.runBlocking("git", ["-C", directory] + arguments)
        guard result.status == 0 else { throw BenchmarkError("git \(arguments.joined(separator: " ")) failed: \(result.errorOutput)") }
    }
}
