import Foundation
import KeelsonTesting
import Testing

/// `keelson secret encrypt|decrypt` and `keelson render` with Vault transit keys on the real
/// OpenBao, against the real `sops`, with the token from the environment as sops reads it.
@Suite(
    .enabled(if: RealOpenBao.isAvailable && ProcessRunner.isAvailable("sops"), "needs OpenBao's bao and sops (scripts/test installs both)"))
struct SecretVaultCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    static let canary = "CANARY-vault-cli-\(UUID().uuidString)"
    static let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: default}\nstringData:\n  password: \(canary)\n"

    static func environment(_ bao: RealOpenBao, token: String? = nil, home: String) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment
        environment["SOPS_DISABLE_VERSION_CHECK"] = "1"
        environment["VAULT_ADDR"] = bao.address
        environment["HOME"] = home
        environment.removeValue(forKey: "SOPS_AGE_KEY_FILE")
        if let token { environment["VAULT_TOKEN"] = token } else { environment.removeValue(forKey: "VAULT_TOKEN") }
        return environment
    }

    // sops encrypts with --hc-vault-transit; keelson render and secret decrypt read it with VAULT_TOKEN, or ~/.vault-token.
    @Test func sopsEncryptsKeelsonRendersAndDecrypts() async throws {
        let dir = try TemporaryDirectory(prefix: "vault-cli")
        defer { dir.remove() }
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            let env = Self.environment(bao, token: bao.rootToken, home: dir.path)
            let plain = try dir.write("app/db.yaml", Self.secret)
            let sops = try await ProcessRunner.run(
                "sops",
                ["encrypt", "--hc-vault-transit", bao.address + "/v1/transit/keys/sops", "--encrypted-regex", "^(data|stringData)$", plain],
                environment: env)
            try #require(sops.status == 0, "\(sops.errorOutput)")
            try dir.write("app/db.yaml", sops.stdout)
            try dir.write("app/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: plain, namespace: default}\n")

            let rendered = try await ProcessRunner.run(keelson, ["render", dir.path + "/app"], environment: env)
            #expect(rendered.status == 0, "\(rendered.errorOutput)")
            #expect(rendered.output.contains("password: \(Self.canary)"))
            #expect(rendered.output.contains("kind: ConfigMap"))

            let decrypted = try await ProcessRunner.run(keelson, ["secret", "decrypt", dir.path + "/app/db.yaml"], environment: env)
            #expect(decrypted.status == 0, "\(decrypted.errorOutput)")
            #expect(decrypted.output.contains("password: \(Self.canary)"))

            // keelson diff unwraps too: against an empty folder the Secret is added, its value masked.
            try dir.write("empty/.keep", "")
            let diff = try await ProcessRunner.run(keelson, ["diff", dir.path + "/empty", dir.path + "/app"], environment: env)
            #expect(diff.status == 1, "\(diff.errorOutput)")
            #expect(diff.output.contains("Secret") && !diff.output.contains(Self.canary), "\(diff.output)")

            // ~/.vault-token is sops' fallback, and Keelson's.
            try dir.write(".vault-token", bao.rootToken + "\n")
            let fromFile = try await ProcessRunner.run(
                keelson, ["secret", "decrypt", dir.path + "/app/db.yaml"], environment: Self.environment(bao, home: dir.path))
            #expect(fromFile.status == 0, "\(fromFile.errorOutput)")
            #expect(fromFile.output.contains("password: \(Self.canary)"))

            // A wrong token: exit 1, the key named, no value, no token.
            let wrongToken = "hvs.CANARY-wrong-token"
            let refused = try await ProcessRunner.run(
                keelson, ["render", dir.path + "/app"], environment: Self.environment(bao, token: wrongToken, home: dir.path + "/app"))
            #expect(refused.status == 1)
            #expect(refused.errorOutput.contains("transit/keys/sops"), "\(refused.errorOutput)")
            #expect(!refused.errorOutput.contains(wrongToken) && !refused.output.contains(Self.canary))
        }
    }

    // keelson secret encrypt, by flag and by a .sops.yaml hc_vault_transit_uri rule, writes files the real sops decrypts.
    @Test func keelsonEncryptsSopsDecrypts() async throws {
        let dir = try TemporaryDirectory(prefix: "vault-cli")
        defer { dir.remove() }
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            let env = Self.environment(bao, token: bao.rootToken, home: dir.path)
            let uri = bao.address + "/v1/transit/keys/sops"
            let plain = try dir.write("repo/secrets/db.yaml", Self.secret)
            try dir.write(
                "repo/.sops.yaml",
                "creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    hc_vault_transit_uri: \(uri)\n")
            let byFlag = try await ProcessRunner.run(keelson, ["secret", "encrypt", "--hc-vault-transit", uri, plain], environment: env)
            let byRule = try await ProcessRunner.run(keelson, ["secret", "encrypt", plain], environment: env)
            for (name, result) in [("flag.yaml", byFlag), ("rule.yaml", byRule)] {
                #expect(result.status == 0, "\(name): \(result.errorOutput)")
                #expect(!result.output.contains(Self.canary))
                #expect(result.output.contains("hc_vault:"))
                let file = try dir.write(name, result.stdout)
                let sops = try await ProcessRunner.run("sops", ["-d", file], environment: env)
                #expect(sops.status == 0, "\(name): \(sops.errorOutput)")
                #expect(sops.output.contains("password: \(Self.canary)"))
            }
            #expect(byRule.output.contains("kind: Secret"), "encrypted_regex from .sops.yaml leaves kind in clear")
        }
    }
}
