import Foundation
import Kube
import Manifests
import Server
import Testing

/// Tokens and webhook secrets from a file or a Kubernetes Secret.
@Suite struct SecretSourceTests {
    @Test(arguments: [
        ("tokens.yaml", SecretSource.file("tokens.yaml")),
        ("secret:keelson/api-tokens", SecretSource.secret(namespace: "keelson", name: "api-tokens", key: "tokens.yaml")),
        ("secret:keelson/api-tokens#other", SecretSource.secret(namespace: "keelson", name: "api-tokens", key: "other")),
    ])
    func parses(text: String, expected: SecretSource) throws {
        #expect(try SecretSource(text, defaultKey: "tokens.yaml") == expected)
    }

    @Test(arguments: ["", "secret:", "secret:keelson", "secret:/name", "secret:a/b/c", "secret:a/b#"])
    func refusesMalformedReferences(text: String) {
        #expect(throws: SecretSourceError.self) { try SecretSource(text, defaultKey: "secret") }
    }

    @Test func loadsFromASecretInTheClusterWithoutShowingIt() async throws {
        try await ServerHarness.with(files: ["app/a.yaml": ServerHarness.configMap("a", "1")], apps: [:], namespaces: ["ops"]) { h in
            let value = "hook-secret-\(UUID().uuidString)"
            let secret = try Manifest([
                "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "hooks", "namespace": "ops"],
                "data": ["secret": .string(Data((value + "\n").utf8).base64EncodedString())],
            ])
            _ = try await h.client.create(secret, options: WriteOptions())
            let loaded = try await SecretSource("secret:ops/hooks", defaultKey: "secret").load(h.client)
            #expect(loaded == Array(value.utf8), "trailing newline removed")
            for (text, expected) in [("secret:ops/hooks#missing", "has no such key"), ("secret:ops/absent", "not found")] {
                do {
                    _ = try await SecretSource(text, defaultKey: "secret").load(h.client)
                    Issue.record("\(text) loaded")
                } catch {
                    #expect("\(error)".contains(expected), "\(error)")
                    #expect(!"\(error)".contains(value))
                }
            }
        }
    }
}
