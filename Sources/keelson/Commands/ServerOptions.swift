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

    @Option(help: "A YAML list of API tokens: {name, role: viewer|operator|admin, sha256, applications: [globs]}.")
    var tokens: String?

    @Option(name: .customLong("webhook-secret"), help: "A file holding the shared secret Git webhooks are signed with.")
    var webhookSecret: String?

    @Option(name: .customLong("registry-webhook-secret"), help: "A file holding the secret registry webhooks (/hooks/registry/...) must carry.")
    var registryWebhookSecret: String?

    @Option(name: .customLong("audit-log"), help: "Append the audit log (JSON lines) to this file (default: stderr).")
    var auditLog: String?

    /// The largest tokens or secret file read.
    static let maximumFileBytes = 1 << 20

    /// The server for `handle`, or `nil` with `--listen none`. Without `--tokens` it only listens
    /// on loopback, with a random admin token it prints once to stderr (returned as `generatedToken`).
    func makeServer(
        handle: ControllerHandle, client: any KubernetesAPI, registryWebhooks: (@Sendable (String) -> any RegistryWebhookSink)? = nil
    ) throws -> (server: ServerService, generatedToken: String?)? {
        guard let address = try ServerConfiguration.parseListen(listen) else { return nil }
        var generated: String?
        let store: TokenStore
        if let tokens {
            store = try TokenStore(file: tokens, bytes: try Self.read(tokens, what: "--tokens"))
        } else {
            guard ServerConfiguration.isLoopback(address.host) else {
                throw ValidationError("--listen \(listen) is not a loopback address: give --tokens FILE so the API is not open to the network")
            }
            let token = Self.randomToken()
            generated = token
            store = TokenStore(token: token, name: "generated-admin", role: .admin)
        }
        var configuration = ServerConfiguration(host: address.host, port: address.port, tokens: store)
        if let webhookSecret { configuration.webhookSecret = try Self.readSecret(webhookSecret, what: "--webhook-secret") }
        if let registryWebhookSecret, let registryWebhooks {
            let secret = try Self.readSecret(registryWebhookSecret, what: "--registry-webhook-secret")
            configuration.registryWebhooks = registryWebhooks(String(decoding: secret, as: UTF8.self))
        }
        let audit = try AuditLog(path: auditLog)
        let server = ServerService(configuration: configuration, handle: handle, client: client, audit: audit)
        return (server, generated)
    }

    /// A secret file's bytes without trailing newlines or spaces; an empty one is refused.
    static func readSecret(_ path: String, what: String) throws -> [UInt8] {
        var secret = try read(path, what: what)
        while let last = secret.last, last == 0x0A || last == 0x0D || last == 0x20 { secret.removeLast() }
        guard !secret.isEmpty else { throw ValidationError("\(what) \(path): the file is empty") }
        return secret
    }

    static func read(_ path: String, what: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw ValidationError("\(what) \(path): cannot read the file") }
        guard data.count <= maximumFileBytes else { throw ValidationError("\(what) \(path): larger than 1 MiB") }
        return Array(data)
    }

    /// 32 random bytes as hex (`SystemRandomNumberGenerator` reads the kernel's CSPRNG).
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
