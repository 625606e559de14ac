import ArgumentParser
import Controller
import Foundation
import Kube
import Logging
import Server

/// The HTTP server's flags (`keelson controller --listen ...`).
struct ServerOptions: ParsableArguments {
    @Option(help: "Where the API, dashboard, webhooks and /metrics listen: HOST:PORT, :PORT, or none.")
    var listen = "127.0.0.1:8080"

    @Option(help: "A YAML list of API tokens {name, role: viewer|operator|admin, sha256, applications: [globs]}: a file, or secret:NAMESPACE/NAME[#KEY] (key tokens.yaml).")
    var tokens: String?

    @Option(name: .customLong("webhook-secret"), help: "The shared secret Git webhooks are signed with: a file, or secret:NAMESPACE/NAME[#KEY] (key secret).")
    var webhookSecret: String?

    @Option(name: .customLong("registry-webhook-secret"), help: "The secret registry webhooks (/hooks/registry/...) carry: a file, or secret:NAMESPACE/NAME[#KEY].")
    var registryWebhookSecret: String?

    @Option(name: .customLong("audit-log"), help: "Append the audit log (JSON lines) to this file (default: stderr).")
    var auditLog: String?

    /// The server for `handle`, or `nil` with `--listen none`. Without `--tokens` it only listens
    /// on loopback, with a random admin token it prints once to stderr (returned as `generatedToken`).
    func makeServer(
        handle: ControllerHandle, client: any KubernetesAPI, registryWebhooks: (@Sendable (String) -> any RegistryWebhookSink)? = nil
    ) async throws -> (server: ServerService, generatedToken: String?)? {
        guard let address = try ServerConfiguration.parseListen(listen) else { return nil }
        var generated: String?
        let store: TokenStore
        if let tokens {
            let source = try SecretSource(tokens, defaultKey: "tokens.yaml")
            store = try TokenStore(file: source.description, bytes: try await Self.load(source, client, what: "--tokens"))
        } else {
            guard ServerConfiguration.isLoopback(address.host) else {
                throw ValidationError("--listen \(listen) is not a loopback address: give --tokens FILE so the API is not open to the network")
            }
            let token = Self.randomToken()
            generated = token
            store = TokenStore(token: token, name: "generated-admin", role: .admin)
        }
        var configuration = ServerConfiguration(host: address.host, port: address.port, tokens: store)
        if let webhookSecret {
            configuration.webhookSecret = try await Self.load(try SecretSource(webhookSecret, defaultKey: "secret"), client, what: "--webhook-secret")
        }
        if let registryWebhookSecret, let registryWebhooks {
            let source = try SecretSource(registryWebhookSecret, defaultKey: "secret")
            let secret = try await Self.load(source, client, what: "--registry-webhook-secret")
            configuration.registryWebhooks = registryWebhooks(String(decoding: secret, as: UTF8.self))
        }
        let audit = try AuditLog(path: auditLog)
        let server = ServerService(configuration: configuration, handle: handle, client: client, audit: audit, routes: [try Dashboard.serverRoutes()])
        return (server, generated)
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
