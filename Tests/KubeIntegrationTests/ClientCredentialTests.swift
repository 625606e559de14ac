import Crypto
import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Testing

/// Credentials from a kubeconfig the test writes, and the TLS kubeconfig the sandbox writes.
@Suite("Client credentials against the sandbox")
struct ClientCredentialTests {
    /// The hex SHA-256 of a token, as the sandbox records bearer tokens.
    static func digest(_ token: String) -> String {
        SHA256.hash(data: Array(token.utf8)).map { String(format: "%02x", $0) }.joined()
    }

    /// A kubeconfig for `server` whose user is `user` (YAML, indented for the `user:` key).
    static func kubeconfig(server: String, user: String) -> String {
        """
        apiVersion: v1
        kind: Config
        clusters: [{name: c, cluster: {server: "\(server)"}}]
        users:
        - name: u
          user:
        \(user)
        contexts: [{name: x, context: {cluster: c, user: u, namespace: default}}]
        current-context: x
        """
    }

    /// The bearer-token digests the sandbox has seen.
    static func tokensSeen(_ endpoint: SandboxEndpoint) async throws -> [String] {
        try await SandboxAdmin(url: endpoint.url).faults("GET")["bearerTokens"]?.arrayValue?.compactMap(\.stringValue) ?? []
    }

    @Test("an exec credential plugin runs once and its token is sent with every request")
    func execPlugin() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let token = "exec-" + UUID().uuidString
        let script = try dir.write(
            "plugin.sh",
            """
            #!/bin/sh
            echo run >> "\(dir.path)/runs"
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"\(token)"}}'
            """)
        try await Sandbox.withRunning(SandboxConfiguration(), logger: quietLogger) { endpoint in
            let path = try dir.write(
                "kubeconfig",
                Self.kubeconfig(
                    server: endpoint.url,
                    user: """
                            exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: ["\(script)"], interactiveMode: Never}
                        """))
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: path))
            try await KubeClient.withClient(configuration) { client in
                _ = try await client.create(configMap("e"))
                #expect(try await client.get(configMapKind, name: "e", namespace: "default").name == "e")
            }
            #expect(try await Self.tokensSeen(endpoint) == [Self.digest(token)])
        }
        let runs = try String(contentsOfFile: dir.path + "/runs", encoding: .utf8).split(separator: "\n")
        #expect(runs.count == 1)
    }

    @Test("a token file is read for requests and re-read after it changes")
    func tokenFile() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let first = "file-" + UUID().uuidString
        let second = "rotated-" + UUID().uuidString
        let tokenPath = try dir.write("token", first + "\n")
        try await Sandbox.withRunning(SandboxConfiguration(), logger: quietLogger) { endpoint in
            let path = try dir.write("kubeconfig", Self.kubeconfig(server: endpoint.url, user: "    tokenFile: \(tokenPath)"))
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: path))
            try await KubeClient.withClient(configuration) { client in
                _ = try await client.create(configMap("t"))
                #expect(try await Self.tokensSeen(endpoint) == [Self.digest(first)])
                // A different length, so the file's stamp changes even within one clock tick.
                try dir.write("token", second + "-longer\n")
                _ = try await client.get(configMapKind, name: "t", namespace: "default")
            }
            #expect(Set(try await Self.tokensSeen(endpoint)) == [Self.digest(first), Self.digest(second + "-longer")])
        }
    }

    @Test("a TLS sandbox's own kubeconfig (CA and client certificate) works; without the client certificate the handshake fails")
    func tlsWithClientCertificates() async throws {
        try await withSandboxClient({ $0.tls = true }) { client, endpoint in
            #expect(endpoint.url.hasPrefix("https://"))
            #expect(client.configuration.tls.clientCertificatePEM != nil)
            _ = try await client.apply(configMap("tls", data: ["k": "v"]), options: ApplyOptions(fieldManager: "test"))
            #expect(try await client.get(configMapKind, name: "tls", namespace: "default").object["data"]?["k"]?.stringValue == "v")

            var anonymous = client.configuration
            anonymous.tls.clientCertificatePEM = nil
            anonymous.tls.clientKeyPEM = nil
            let error = try await #require(throws: KubeError.self) {
                try await KubeClient.withClient(anonymous, options: KubeClientOptions(retry: .none)) { bare in
                    try await bare.get(configMapKind, name: "tls", namespace: "default")
                }
            }
            #expect(error.code == .transport, "\(error)")
        }
    }
}
