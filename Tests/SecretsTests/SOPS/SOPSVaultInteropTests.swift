import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Secrets

/// SOPS files whose data key is wrapped by a Vault transit key on the real OpenBao, exchanged
/// with the real `sops` in both directions.
@Suite(
    .enabled(if: RealOpenBao.isAvailable && ProcessRunner.isAvailable("sops"), "needs OpenBao's bao and sops (scripts/test installs both)"))
struct SOPSVaultInteropTests {
    static let canary = "CANARY-transit-\(UUID().uuidString)"
    static let plaintext = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: \(canary)\n"

    /// Runs sops against `bao` with its root token, as a user with VAULT_ADDR/VAULT_TOKEN would.
    static func sops(_ arguments: [String], bao: RealOpenBao, directory: String? = nil) async throws -> ProcessResult {
        var environment = ProcessInfo.processInfo.environment
        environment["SOPS_DISABLE_VERSION_CHECK"] = "1"
        environment["VAULT_ADDR"] = bao.address
        environment["VAULT_TOKEN"] = bao.rootToken
        environment.removeValue(forKey: "SOPS_AGE_KEY_FILE")
        return try await ProcessRunner.run("sops", arguments, directory: directory, environment: environment)
    }

    static func credentials(_ bao: RealOpenBao) -> SOPSCredentials { SOPSCredentials(vault: VaultCredentials(auth: .token(bao.rootToken))) }

    // A file the real sops encrypted with --hc-vault-transit decrypts in Keelson, once Vault unwrapped its data key.
    @Test(arguments: [SOPS.Format.yaml, .json, .dotenv])
    func sopsEncryptsKeelsonDecrypts(format: SOPS.Format) async throws {
        let directory = try TemporaryDirectory(prefix: "sops-vault")
        defer { directory.remove() }
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            let files: [SOPS.Format: (String, String)] = [
                .yaml: ("secret.yaml", Self.plaintext), .json: ("secret.json", "{\"password\": \"\(Self.canary)\"}\n"),
                .dotenv: ("secret.env", "PASSWORD=\(Self.canary)\n"),
            ]
            let (name, text) = try #require(files[format])
            let file = try directory.write(name, text)
            let result = try await Self.sops(["encrypt", "--hc-vault-transit", bao.address + "/v1/transit/keys/sops", file], bao: bao)
            try #require(result.status == 0, "sops failed: \(result.errorOutput)")
            let encrypted = Array(result.stdout)
            #expect(!result.output.contains(Self.canary))
            let wrapped = try SOPS.wrappedKeys(in: encrypted, format: format)
            #expect(wrapped.vault.map(\.key) == [SOPSVaultTransitKey(address: bao.address, enginePath: "transit", keyName: "sops")])
            let keys = await SOPS.unwrap(wrapped, credentials: Self.credentials(bao))
            let plain = try SOPS.decryptValues(encrypted, format: format, keys: keys)
            let value = format == .yaml ? plain.first?["stringData"]?["password"] : plain.first?[format == .json ? "password" : "PASSWORD"]
            #expect(value == .string(Self.canary))
        }
    }

    // Keelson encrypts for a transit key (the flag and a .sops.yaml rule); the real sops decrypts both.
    @Test func keelsonEncryptsSopsDecrypts() async throws {
        let directory = try TemporaryDirectory(prefix: "sops-vault")
        defer { directory.remove() }
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            try await bao.enableTransit(mount: "team/transit", key: "apps")
            let uri = bao.address + "/v1/transit/keys/sops"
            let byFlag = try await SOPS.encrypt(
                Array(Self.plaintext.utf8), format: .yaml, recipients: [], vaultKeys: [try SOPSVaultTransitKey(uri: uri)],
                credentials: Self.credentials(bao), rules: SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$")))
            let config = try SOPSCreationRules.parse(
                Array(
                    """
                    creation_rules:
                      - path_regex: other/.*
                        age: age1qyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqszqgpqyqs3290gq
                      - path_regex: apps/.*\\.yaml$
                        encrypted_regex: ^(data|stringData)$
                        hc_vault_transit_uri: \(bao.address)/v1/team/transit/keys/apps
                    """.utf8))
            let byRule = try await SOPS.encrypt(
                Array(Self.plaintext.utf8), format: .yaml, path: "apps/db.yaml", config: config, credentials: Self.credentials(bao))
            #expect(String(decoding: byRule, as: UTF8.self).contains("engine_path: team/transit"))
            for (name, encrypted) in [("flag.yaml", byFlag), ("rule.yaml", byRule)] {
                let text = String(decoding: encrypted, as: UTF8.self)
                #expect(!text.contains(Self.canary))
                #expect(text.contains("kind: Secret"))  // outside encrypted_regex
                let file = try directory.write(name, text)
                let result = try await Self.sops(["decrypt", file], bao: bao)
                try #require(result.status == 0, "sops could not decrypt \(name): \(result.errorOutput)")
                let decoded = try YAMLDecoder().decode(Array(result.stdout), file: name).first?.value
                #expect(decoded?["stringData"]?["password"] == .string(Self.canary))
            }
        }
    }

    // Without a working credential, decryption fails naming the key's URI and Vault's refusal, never the token or a value.
    @Test func wrongTokenNamesTheKeyNotTheToken() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            let uri = bao.address + "/v1/transit/keys/sops"
            let encrypted = try await SOPS.encrypt(
                Array(Self.plaintext.utf8), format: .yaml, recipients: [], vaultKeys: [try SOPSVaultTransitKey(uri: uri)],
                credentials: Self.credentials(bao))
            let token = "hvs.CANARY-wrong-\(UUID().uuidString)"
            let keys = await SOPS.unwrap(
                try SOPS.wrappedKeys(in: encrypted, format: .yaml), credentials: SOPSCredentials(vault: VaultCredentials(auth: .token(token))))
            #expect(keys.dataKeys.isEmpty)
            do {
                _ = try SOPS.decrypt(encrypted, format: .yaml, keys: keys, source: "db.enc.yaml")
                Issue.record("decrypted without a valid token")
            } catch let error as SOPSError {
                #expect(error.code == .noMatchingKey)
                #expect(error.description.contains(uri) && error.description.contains("permission denied"))
                #expect(error.description.contains("db.enc.yaml"))
                #expect(!error.description.contains(token) && !error.description.contains(Self.canary))
                #expect(!error.description.contains(bao.rootToken))
            }
        }
    }
}

/// sops' `--hc-vault-transit` URI form.
struct SOPSVaultTransitKeyTests {
    // The engine may be nested; the port is kept; the /v1 prefix and /keys/ are required.
    @Test(arguments: [
        ("https://vault.example:8200/v1/transit/keys/sops", "https://vault.example:8200", "transit", "sops"),
        ("http://127.0.0.1:8200/v1/team/transit/keys/app", "http://127.0.0.1:8200", "team/transit", "app"),
        ("https://vault.example/v1/sops/keys/first/", "https://vault.example", "sops", "first"),
    ])
    func parses(uri: String, address: String, engine: String, key: String) throws {
        let parsed = try SOPSVaultTransitKey(uri: uri)
        #expect(parsed == SOPSVaultTransitKey(address: address, enginePath: engine, keyName: key))
    }

    // A proxy prefix, a missing /keys/ or no scheme is refused, as sops refuses them.
    @Test(arguments: ["https://vault.example/proxy/v1/transit/keys/k", "https://vault.example/v1/transit/k", "vault.example/v1/transit/keys/k"])
    func refuses(uri: String) {
        #expect(throws: SOPSError.self) { _ = try SOPSVaultTransitKey(uri: uri) }
    }
}
