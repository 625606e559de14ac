import ArgumentParser
import Controller
import Foundation
import ImageAutomation
import KeelsonRuntime
import Kube
import Logging
import Server

/// The HTTP server's flags (`keelson controller --listen ...`).
struct ServerOptions: ParsableArguments {
    @Option(help: "Where the API, dashboard, webhooks and /metrics listen: HOST:PORT, :PORT, or none.")
    var listen = "127.0.0.1:8080"

    @Option(
        help: ArgumentHelp(
            "A YAML list of API tokens {name, role: viewer|operator|admin, sha256, applications: [globs], projects: [globs]}: a file, or secret:NAMESPACE/NAME[#KEY] (key tokens.yaml).",
            discussion:
                "applications globs are NAMESPACE/NAME (web-*/*, team-a/*); a glob without / matches names in the controller's --namespace (keelson) only. projects globs match Application.spec.project. A token with both must match both; other applications answer 404, as missing ones do."
        ))
    var tokens: String?

    @Option(
        name: .customLong("webhook-secret"),
        help: ArgumentHelp(
            "Git webhook secrets: one signing secret (a file, or secret:NAMESPACE/NAME#KEY) for GitHub, Gitea, Bitbucket and generic, or one key per provider (secret:NAMESPACE/NAME, or a directory such as that Secret mounted).",
            discussion:
                "Keys of a Secret or directory: github, gitea, bitbucket, generic (HMAC signing secrets), gitlab (GitLab's X-Gitlab-Token, sent in plain text, so it must differ from every signing secret), and secret (a signing secret for the HMAC providers without their own key). A single value never serves GitLab."
        ))
    var webhookSecret: String?

    @Option(
        name: .customLong("registry-webhook-secret"),
        help:
            "Registry webhook secrets (/hooks/registry/...): a file or secret:NAMESPACE/NAME#KEY is one signing key (ghcr, generic); a directory or secret:NAMESPACE/NAME has one key per provider (dockerhub, ghcr, harbor, generic, secret)."
    )
    var registryWebhookSecret: String?

    @Option(name: .customLong("audit-log"), help: "Append the audit log (JSON lines) to this file (default: stderr).")
    var auditLog: String?

    @Option(name: .customLong("tls-cert"), help: "Serve HTTPS with this PEM certificate chain (with --tls-key); session cookies are then Secure.")
    var tlsCert: String?

    @Option(name: .customLong("tls-key"), help: "The PEM private key of --tls-cert.")
    var tlsKey: String?

    @Option(
        name: .customLong("header-timeout"),
        help: "Close a connection whose request head takes longer than this (from its first byte, or from the connection's start).")
    var headerTimeout = DurationArgument(seconds: 10)

    @Option(name: .customLong("body-timeout"), help: "Close a connection whose request body takes longer than this after its head.")
    var bodyTimeout = DurationArgument(seconds: 30)

    @Option(name: .customLong("idle-timeout"), help: "Close a kept-alive connection idle between requests for this long.")
    var idleTimeout = DurationArgument(seconds: 60)

    @Option(
        name: .customLong("max-connections"),
        help:
            "The most HTTP connections at once; more are answered 503 and closed (default: from the file limit, raised to its hard limit at start, less a reserve for Git and the Kubernetes client)."
    )
    var maxConnections: Int?

    @Option(
        name: .customLong("max-event-streams"),
        help: "The most /api/v1/events streams at once; more are answered 503 (default: a quarter of --max-connections).")
    var maxEventStreams: Int?

    @Option(name: .customLong("session-idle-timeout"), help: "End a dashboard session unused for this long.")
    var sessionIdleTimeout = DurationArgument(seconds: 3600)

    @Option(name: .customLong("session-lifetime"), help: "End a dashboard session this long after sign-in, however used.")
    var sessionLifetime = DurationArgument(seconds: 12 * 3600)

    /// The server's settings, or `nil` with `--listen none`. Without `--tokens` it only listens
    /// on loopback, with a random admin token it prints once to stderr (returned as `generatedToken`).
    /// `clientConnections` is the most connections `client` opens, kept out of the server's share.
    func settings(
        client: any KubernetesAPI, clientConnections: Int, controllerNamespace: String
    ) async throws -> (settings: ServerSettings, generatedToken: String?)? {
        // First, whether the server runs or not: Git and the Kubernetes client need descriptors too.
        let budget = FileDescriptorBudget.raiseLimit(clientConnections: clientConnections)
        guard let address = try ServerConfiguration.parseListen(listen) else { return nil }
        var generated: String?
        let store: TokenStore
        if let tokens {
            let source = try SecretSource(tokens, defaultKey: "tokens.yaml")
            store = try TokenStore(
                file: source.description, bytes: try await Self.load(source, client, what: "--tokens"), controllerNamespace: controllerNamespace)
        } else {
            guard ServerConfiguration.isLoopback(address.host) else {
                throw ValidationError("--listen \(listen) is not a loopback address: give --tokens FILE so the API is not open to the network")
            }
            let token = Self.randomToken()
            generated = token
            store = TokenStore(token: token, name: "generated-admin", role: .admin)
        }
        var configuration = ServerConfiguration(host: address.host, port: address.port, tokens: store)
        try limit(&configuration, budget: budget)
        switch (tlsCert, tlsKey) {
        case (let cert?, let key?):
            do { configuration.tls = try ServerConfiguration.loadTLS(certificate: cert, key: key) } catch { throw ValidationError("\(error)") }
        case (nil, nil): break
        default: throw ValidationError("--tls-cert and --tls-key go together")
        }
        if let webhookSecret {
            do { configuration.webhookSecrets = try await WebhookSecrets.load(webhookSecret, client: client) } catch {
                throw ValidationError("--webhook-secret \(error)")
            }
        }
        var registryWebhooks: RegistryWebhookSecrets?
        if let registryWebhookSecret {
            // One value (a file, or secret:NS/NAME#KEY) signs; a set (a directory, or secret:NS/NAME) has a key per provider.
            let source = try SecretSource(registryWebhookSecret, defaultKey: "secret")
            do {
                if SecretSource.namesKeySet(registryWebhookSecret) {
                    let keys = try await source.loadAll(client).mapValues { String(decoding: $0, as: UTF8.self) }
                    registryWebhooks = try RegistryWebhookSecrets(keys: keys, source: source.description)
                } else {
                    registryWebhooks = RegistryWebhookSecrets(hmac: String(decoding: try await source.load(client), as: UTF8.self))
                }
            } catch {
                throw ValidationError("--registry-webhook-secret \(error)")
            }
        }
        let audit = try AuditLog(path: auditLog)
        let dashboard = Dashboard.Configuration(secureCookie: configuration.tls != nil, sessionMaxAge: Int(sessionLifetime.seconds))
        let settings = ServerSettings(
            configuration: configuration, audit: audit, routes: [try Dashboard.serverRoutes(configuration: dashboard)],
            registryWebhookSecrets: registryWebhooks)
        return (settings, generated)
    }

    /// Sets the timeouts, and the caps the file `budget` leaves room for.
    func limit(_ configuration: inout ServerConfiguration, budget: FileDescriptorBudget) throws {
        for (flag, value) in [
            ("--header-timeout", headerTimeout), ("--body-timeout", bodyTimeout), ("--idle-timeout", idleTimeout),
            ("--session-idle-timeout", sessionIdleTimeout), ("--session-lifetime", sessionLifetime),
        ] where value.seconds < 1 {
            throw ValidationError("\(flag) must be at least 1s")
        }
        configuration.timeouts = ConnectionTimeouts(
            header: .seconds(headerTimeout.seconds), body: .seconds(bodyTimeout.seconds), idle: .seconds(idleTimeout.seconds))
        configuration.sessionIdleTimeout = .seconds(sessionIdleTimeout.seconds)
        configuration.sessionLifetime = .seconds(sessionLifetime.seconds)
        if let maxConnections, maxConnections < 1 { throw ValidationError("--max-connections must be at least 1") }
        if let maxEventStreams, maxEventStreams < 1 { throw ValidationError("--max-event-streams must be at least 1") }
        configuration.maximumConnections = maxConnections ?? budget.maximumConnections
        configuration.maximumEventStreams =
            maxEventStreams ?? (maxConnections == nil ? budget.maximumEventStreams : max(1, configuration.maximumConnections / 4))
        if configuration.maximumConnections > budget.maximumConnections {
            Logger(label: "keelson.server").warning(
                "--max-connections is above what the file limit leaves for connections",
                metadata: ["limit": "\(budget.limit)", "connections": "\(budget.maximumConnections)"])
        }
    }

    /// A secret setting's bytes (a file, or `secret:NAMESPACE/NAME#KEY`), as a usage error when unreadable.
    static func load(_ source: SecretSource, _ client: any KubernetesAPI, what: String) async throws -> [UInt8] {
        do { return try await source.load(client) } catch { throw ValidationError("\(what) \(error)") }
    }

    /// 32 random bytes as hex (`SystemRandomNumberGenerator` reads the kernel's CSPRNG).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
