import AsyncHTTPClient
import Controller
import Crypto
import ExternalSecrets
import Foundation
import GitSource
import KeelsonRuntime
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import NIOCore
import NIOHTTP1
import Plan
import SealedSecrets
import Server
import ServiceLifecycle
import Testing

/// A sandbox, a real Git repository, a running controller and the server on 127.0.0.1:0, with
/// an HTTP client that records every exchange; at the end every recorded response is validated
/// against `docs/openapi.yaml`.
struct ServerHarness: Sendable {
    let folder: TemporaryDirectory
    let client: KubeClient
    let baseURL: String
    let http: HTTPClient
    let recorder: ExchangeRecorder
    var repository: String { folder.path + "/repo" }
    var auditPath: String { folder.path + "/audit.log" }
    var repositoryURL: String { "file://" + repository }

    static let configMaps = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let webhookSecret = "hook-s3cret"
    /// GitLab's token (sent in plain text), distinct from the signing secret.
    static let gitlabToken = "gitlab-t0ken"
    /// Tokens by role; `scoped` is an operator limited to applications named `other-*` (in the
    /// controller's namespace), `tenant` to every application of namespace `tenant`, `project`
    /// to the applications of project `team-a`.
    static let tokens = [
        "admin": "admin-token-0001", "operator": "operator-token-0002", "viewer": "viewer-token-0003", "scoped": "scoped-token-0004",
        "tenant": "tenant-token-0005", "project": "project-token-0006",
    ]

    static func tokenFile() -> String {
        func hash(_ token: String) -> String { SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined() }
        return """
            - {name: alice, role: admin, sha256: \(hash(tokens["admin"]!))}
            - {name: ci, role: operator, sha256: \(hash(tokens["operator"]!))}
            - {name: dashboard-viewer, role: viewer, sha256: \(hash(tokens["viewer"]!))}
            - {name: other-team, role: operator, sha256: \(hash(tokens["scoped"]!)), applications: ["other-*"]}
            - {name: tenant-team, role: operator, sha256: \(hash(tokens["tenant"]!)), applications: ["tenant/*"]}
            - {name: team-a, role: operator, sha256: \(hash(tokens["project"]!)), projects: ["team-a"]}
            """
    }

    /// Runs `body` with a repository holding `files`, the Applications `apps` (`REPO` replaced by
    /// the repository URL) and namespaces `namespaces` created first.
    static func with(
        files: [String: String], apps: [String: String], namespaces: [String] = [], heartbeat: Duration = .seconds(15),
        failedAuthBurst: Int = 10, registryWebhooks: (any RegistryWebhookSink)? = nil, routes: [RouteRegistration] = [],
        configure: @Sendable (inout ServerConfiguration) -> Void = { _ in },
        pullRequestPlans: (@Sendable (_ repositoryURL: String) -> PullRequestPlanConfiguration)? = nil,
        secretServices: Bool = false, logs: LogCapture? = nil,
        _ body: @Sendable (ServerHarness) async throws -> Void
    ) async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-server")
        defer { folder.remove() }
        try await git(["init", "-q", "-b", "main"], in: folder.path + "/repo", create: true)
        try await git(["config", "user.name", "Test"], in: folder.path + "/repo")
        try await git(["config", "user.email", "test@keelson.invalid"], in: folder.path + "/repo")
        for (name, text) in files { try folder.write("repo/" + name, text) }
        try await git(["add", "-A"], in: folder.path + "/repo")
        try await git(["commit", "-qm", "initial"], in: folder.path + "/repo")
        for (name, text) in apps {
            try folder.write("apps/\(name).yaml", text.replacingOccurrences(of: "REPO", with: "file://" + folder.path + "/repo"))
        }
        let kubeconfig = folder.path + "/kubeconfig"
        let quiet = {
            var logger = Logger(label: "keelson.test"); logger.logLevel = .warning; return logger
        }()
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(200)), logger: quiet) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                for namespace in namespaces {
                    let object = try Manifest(["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]])
                    _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
                }
                let cache = try GitCache(directory: folder.path + "/cache", runner: try GitRunner())
                var settings = KeelsonConfiguration()
                // No apps folder without apps: the controller would stop at once (and, in one group, the server with it).
                settings.controller.appsPath = apps.isEmpty ? nil : folder.path + "/apps"
                settings.controller.resyncInterval = .seconds(1)
                settings.controller.tickInterval = .milliseconds(200)
                // The extra namespaces' Applications are reconciled (and shown); without a Project they sync nothing.
                settings.controller.tenancy = TenancyRules(applicationNamespaces: try namespaces.map { try PatternRule($0) })
                settings.imageAutomation = nil
                // ExternalSecrets and SealedSecrets run only where a test asks (SealedSecrets with a
                // 2048-bit key, which a debug build makes in well under a second).
                settings.externalSecrets = secretServices ? ExternalSecretsConfiguration() : nil
                settings.sealedSecrets =
                    secretServices
                    ? {
                        var sealed = SealedSecretsConfiguration(); sealed.keyBits = 2048; return sealed
                    }() : nil
                settings.notifications = nil
                settings.logger = { _ in logs?.logger ?? quiet }
                settings.pullRequestPlans = pullRequestPlans?("file://" + folder.path + "/repo")
                settings.pullRequestPlans?.scratch = folder.path + "/plans"
                var serverSettings = ServerConfiguration(
                    host: "127.0.0.1", port: 0, tokens: try TokenStore(file: "tokens.yaml", bytes: Array(tokenFile().utf8)),
                    webhookSecrets: try WebhookSecrets(keys: ["secret": Array(webhookSecret.utf8), "gitlab": Array(gitlabToken.utf8)]))
                serverSettings.heartbeat = heartbeat
                serverSettings.failedAuthBurst = failedAuthBurst
                // A burst set by a test is counted without refills, so a slow machine sees the same limit.
                if failedAuthBurst != 10 { serverSettings.failedAuthPerSecond = 0.0001 }
                serverSettings.registryWebhooks = registryWebhooks
                configure(&serverSettings)
                let (listening, sink) = AsyncStream.makeStream(of: String.self)
                settings.server = ServerSettings(
                    configuration: serverSettings, audit: try AuditLog(path: folder.path + "/audit.log"), routes: routes,
                    onListening: { sink.yield($0) })
                let system = KeelsonSystem(client: client, git: cache, configuration: settings)
                let http = HTTPClient(eventLoopGroupProvider: .singleton)
                let recorder = ExchangeRecorder()
                // Stopped gracefully, as SIGTERM stops keelson controller: a cancelled HTTP server logs errors.
                let services = ServiceGroup(
                    configuration: .init(services: [.init(service: system, successTerminationBehavior: .gracefullyShutdownGroup)], logger: quiet))
                do {
                    try await withThrowingTaskGroup(of: Void.self) { group in
                        group.addTask { try await services.run() }
                        var iterator = listening.makeAsyncIterator()
                        guard let url = await iterator.next() else { throw CancellationError() }
                        do {
                            try await body(ServerHarness(folder: folder, client: client, baseURL: url, http: http, recorder: recorder))
                        } catch {
                            await services.triggerGracefulShutdown()
                            throw error
                        }
                        await services.triggerGracefulShutdown()
                        try await group.waitForAll()
                    }
                } catch {
                    try? await http.shutdown()
                    throw error
                }
                try await http.shutdown()
                try await recorder.validate()
            }
        }
    }

    // MARK: HTTP

    /// One answer.
    struct Reply: Sendable {
        var status: Int
        var headers: HTTPHeaders
        var body: String
        var json: JSONValue { (try? JSONParser.parse(Array(body.utf8), file: "response")) ?? .null }
    }

    /// Sends a request (with the bearer token of `role`, if any) and records the exchange.
    @discardableResult
    func call(
        _ method: HTTPMethod, _ path: String, as role: String? = "admin", body: String? = nil, headers: [(String, String)] = [],
        record: Bool = true
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + path)
        request.method = method
        if let role, let token = Self.tokens[role] { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        let response = try await http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 16 << 20)
        let reply = Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
        if record {
            await recorder.add(
                method: method.rawValue, path: path, status: reply.status, contentType: response.headers.first(name: "Content-Type") ?? "",
                body: reply.body)
        }
        return reply
    }

    /// Signs in through the dashboard's form (mounted with `routes: [Dashboard.serverRoutes()]`)
    /// with the token of `role`; the `keelson_session` cookie's value, or `nil` when refused.
    func signIn(as role: String) async throws -> String? {
        var request = HTTPClientRequest(url: baseURL + "/login")
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/x-www-form-urlencoded")
        request.body = .bytes(ByteBuffer(string: "token=\(Self.tokens[role] ?? role)&next=%2F"))
        // The answer is a redirect carrying the cookie: read it, do not follow it.
        var configuration = HTTPClient.Configuration()
        configuration.redirectConfiguration = .disallow
        let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        let cookie: String?
        do {
            let response = try await client.execute(request, timeout: .seconds(30))
            _ = try await response.body.collect(upTo: 1 << 20)
            cookie = response.headers.first(name: "Set-Cookie")
            try await client.shutdown()
        } catch {
            try? await client.shutdown()
            throw error
        }
        guard let cookie, cookie.hasPrefix("keelson_session=") else { return nil }
        return String(cookie.dropFirst("keelson_session=".count).prefix { $0 != ";" })
    }

    /// Sends raw bytes to a webhook receiver with `headers`.
    func hook(_ provider: String, body: [UInt8], headers: [(String, String)]) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + "/hooks/" + provider)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        request.body = .bytes(ByteBuffer(bytes: body))
        let response = try await http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        let reply = Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
        await recorder.add(
            method: "POST", path: "/hooks/" + provider, status: reply.status, contentType: response.headers.first(name: "Content-Type") ?? "",
            body: reply.body)
        return reply
    }

    /// Sends `chunks` chunks of 64 KiB to a webhook receiver without a Content-Length (chunked).
    func hookChunked(_ provider: String, chunks: Int, headers: [(String, String)]) async throws -> Reply {
        var request = HTTPClientRequest(url: baseURL + "/hooks/" + provider)
        request.method = .POST
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        let (stream, sink) = AsyncStream.makeStream(of: ByteBuffer.self)
        for _ in 0..<chunks { sink.yield(ByteBuffer(repeating: UInt8(ascii: " "), count: 64 << 10)) }
        sink.finish()
        request.body = .stream(stream, length: .unknown)
        let response = try await http.execute(request, timeout: .seconds(30))
        let buffer = try await response.body.collect(upTo: 1 << 20)
        let reply = Reply(status: Int(response.status.code), headers: response.headers, body: String(buffer: buffer))
        await recorder.add(
            method: "POST", path: "/hooks/" + provider, status: reply.status, contentType: response.headers.first(name: "Content-Type") ?? "",
            body: reply.body)
        return reply
    }

    static func hmac(_ body: [UInt8], secret: String = webhookSecret) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(secret.utf8))).map { String(format: "%02x", $0) }.joined()
    }

    // MARK: Cluster and Git

    func commit(_ files: [String: String], message: String) async throws {
        for (name, text) in files { try folder.write("repo/" + name, text) }
        try await Self.git(["add", "-A"], in: repository)
        try await Self.git(["commit", "-qm", message], in: repository)
    }

    func configMapValue(_ name: String, namespace: String = "default") async -> String? {
        (try? await client.get(Self.configMaps, name: name, namespace: namespace))?.object["data"]?["value"]?.stringValue
    }

    /// Polls `check` until it is true, or fails the test after `timeout`.
    func eventually(_ what: String, timeout: Duration = .seconds(60), _ check: @Sendable () async throws -> Bool) async throws {
        try await KeelsonTesting.eventually(what, timeout: timeout, every: .milliseconds(100), check)
    }

    /// The application's sync status as the API reports it.
    func syncStatus(_ name: String) async throws -> String? {
        try await call(.GET, "/api/v1/applications/\(name)").json["sync"]?["status"]?.stringValue
    }

    static func git(_ arguments: [String], in directory: String, create: Bool = false) async throws {
        if create { try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true) }
        let result = try await ProcessRunner.run("git", ["-C", directory] + arguments)
        guard result.status == 0 else { throw CocoaError(.fileWriteUnknown, userInfo: [NSLocalizedDescriptionKey: result.errorOutput]) }
    }

    static func configMap(_ name: String, _ value: String) -> String {
        "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: \(name)}\ndata: {value: \"\(value)\"}\n"
    }

    static func app(_ name: String, path: String, namespace: String = "keelson", selfHeal: Bool = true, interval: String = "1s") -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: \(name), namespace: \(namespace)}
        spec:
          source: {repoURL: REPO, revision: main, path: \(path)}
          destination: {namespace: default}
          syncPolicy:
            automated: {prune: true, selfHeal: \(selfHeal)}
            interval: \(interval)
        """
    }
}

/// The exchanges a test made, validated against the OpenAPI document at the end.
actor ExchangeRecorder {
    private var lines: [String] = []
    private(set) var bodies: [String] = []

    func add(method: String, path: String, status: Int, contentType: String, body: String) {
        let record: JSONValue = [
            "method": .string(method), "path": .string(path), "status": .number(JSONNumber(Int64(status))), "contentType": .string(contentType),
            "body": .string(body),
        ]
        lines.append(JSONWriter.compact(record))
        bodies.append(body)
    }

    var count: Int { lines.count }

    /// Runs the validator over every exchange; records a test issue naming each that fails.
    func validate() async throws {
        try await OpenAPIValidator.check(lines)
    }
}

/// `docs/openapi.yaml` checked with JSON Schema 2020-12 (Python `jsonschema`, which
/// `scripts/test` installs) by `Fixtures/validate_openapi.py`.
enum OpenAPIValidator {
    static var document: String { Fixtures.packageRoot() + "/docs/openapi.yaml" }
    static var script: String { Fixtures.directory() + "/validate_openapi.py" }

    /// The validator's verdict on `records` (JSON lines): exit status and its output.
    static func run(_ records: [String]) async throws -> (status: Int32, output: String) {
        let folder = try TemporaryDirectory(prefix: "keelson-openapi")
        defer { folder.remove() }
        let path = try folder.write("records.jsonl", records.joined(separator: "\n") + "\n")
        let result = try await ProcessRunner.run("python3", [script, document, path])
        return (result.status, result.output + result.errorOutput)
    }

    static func check(_ records: [String]) async throws {
        let (status, output) = try await run(records)
        #expect(status == 0, "responses that do not match docs/openapi.yaml:\n\(output)")
    }
}

extension ServerHarness {
    /// Opens the event stream and reads until `done` says the text so far is enough (or
    /// `timeout`); records the exchange with what was read. `whileOpen` runs once the stream is open.
    func events(
        as role: String = "admin", lastEventID: Int? = nil, timeout: Duration = .seconds(10),
        whileOpen: @escaping @Sendable () async throws -> Void = {}, until done: @escaping @Sendable (String) -> Bool
    ) async throws -> String {
        var request = HTTPClientRequest(url: baseURL + "/api/v1/events")
        if let token = Self.tokens[role] { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        if let lastEventID { request.headers.add(name: "Last-Event-ID", value: String(lastEventID)) }
        let response = try await http.execute(request, timeout: .seconds(Int64(timeout.components.seconds) + 1))
        let contentType = response.headers.first(name: "Content-Type") ?? ""
        let status = Int(response.status.code)
        let text = try await withThrowingTaskGroup(of: String?.self) { group in
            group.addTask {
                var text = ""
                var opened = false
                for try await chunk in response.body {
                    text += String(buffer: chunk)
                    if !opened {
                        opened = true
                        try await whileOpen()
                    }
                    if done(text) { return text }
                }
                return text
            }
            group.addTask {
                try await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            guard let first = try await group.next(), let text = first else {
                Issue.record("the event stream did not deliver what was awaited within \(timeout)")
                return ""
            }
            return text
        }
        await recorder.add(method: "GET", path: "/api/v1/events", status: status, contentType: contentType, body: text)
        return text
    }
}
