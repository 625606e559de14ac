import Foundation
import KeelsonTesting
import Testing

/// `keelson secret` round trips with the real `sops`.
@Suite struct SecretCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    static let canary = "CANARY-secret-cli-91c2"

    @Test(.enabled(if: ProcessRunner.isAvailable("sops"), "sops is not installed; scripts/test installs it"))
    func keygenEncryptThenSopsDecrypts() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let keygen = try await ProcessRunner.run(keelson, ["secret", "keygen", "-o", dir.path + "/key.txt"])
        #expect(keygen.status == 0)
        let recipient = try #require(keygen.errorOutput.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        #expect(recipient.hasPrefix("age1"))
        let mode = try FileManager.default.attributesOfItem(atPath: dir.path + "/key.txt")[.posixPermissions] as? Int
        #expect(mode == 0o600)
        // Never overwrites a key.
        #expect(try await ProcessRunner.run(keelson, ["secret", "keygen", "-o", dir.path + "/key.txt"]).status == 1)

        try dir.write(
            "app/.sops.yaml", "creation_rules:\n- path_regex: secrets/.*\\.yaml$\n  encrypted_regex: ^(data|stringData)$\n  age: \(recipient)\n")
        try dir.write("app/secrets/db.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: \(Self.canary)\n")
        let encrypted = try await ProcessRunner.run(keelson, ["secret", "encrypt", dir.path + "/app/secrets/db.yaml"])
        #expect(encrypted.status == 0, "\(encrypted.errorOutput)")
        #expect(!encrypted.output.contains(Self.canary))
        #expect(encrypted.output.contains("kind: Secret"), "encrypted_regex from .sops.yaml leaves kind in clear")
        try dir.write("app/secrets/db.enc.yaml", encrypted.stdout)

        var environment = ProcessInfo.processInfo.environment
        environment["SOPS_AGE_KEY_FILE"] = dir.path + "/key.txt"
        environment["SOPS_DISABLE_VERSION_CHECK"] = "1"
        let sops = try await ProcessRunner.run("sops", ["-d", dir.path + "/app/secrets/db.enc.yaml"], environment: environment)
        #expect(sops.status == 0, "\(sops.errorOutput)")
        #expect(sops.output.contains("password: \(Self.canary)"))

        let ours = try await ProcessRunner.run(
            keelson, ["secret", "decrypt", "--identity", dir.path + "/key.txt", dir.path + "/app/secrets/db.enc.yaml"])
        #expect(ours.status == 0)
        #expect(ours.output.contains("password: \(Self.canary)"))
    }

    @Test func wrongIdentityFailsWithoutPlaintext() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try await ProcessRunner.run(keelson, ["secret", "keygen", "-o", dir.path + "/right.txt"])
        let other = try await ProcessRunner.run(keelson, ["secret", "keygen", "-o", dir.path + "/wrong.txt"])
        let right = try String(contentsOfFile: dir.path + "/right.txt", encoding: .utf8)
        let recipient = try #require(right.split(separator: "\n").first { $0.hasPrefix("# public key: ") }?.dropFirst(14))
        #expect(other.status == 0)
        try dir.write("s.json", "{\"token\": \"\(Self.canary)\"}")
        let encrypted = try await ProcessRunner.run(keelson, ["secret", "encrypt", "--age", String(recipient), dir.path + "/s.json"])
        try dir.write("s.enc.json", encrypted.stdout)
        let result = try await ProcessRunner.run(keelson, ["secret", "decrypt", "--identity", dir.path + "/wrong.txt", dir.path + "/s.enc.json"])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(!result.errorOutput.contains(Self.canary))
        #expect(!result.errorOutput.contains("AGE-SECRET-KEY"))
    }

    @Test func sharedTestVectorDecrypts() async throws {
        var directory = Fixtures.packageRoot()
        var shared: String?
        for _ in 0..<4 {
            directory = (directory as NSString).deletingLastPathComponent
            if FileManager.default.fileExists(atPath: directory + "/shared/testdata/sops") { shared = directory + "/shared/testdata/sops" }
        }
        let sops = try #require(ProcessInfo.processInfo.environment["KEELSON_SHARED"].map { $0 + "/testdata/sops" } ?? shared)
        let result = try await ProcessRunner.run(keelson, ["secret", "decrypt", "--identity", sops + "/age.key", sops + "/secret.enc.yaml"])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.output.contains("key: value"))
    }

    @Test func encryptedFilesAreDecryptedInMemoryAndMaskedInDiffs() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let keygen = try await ProcessRunner.run(keelson, ["secret", "keygen", "-o", dir.path + "/key.txt"])
        let recipient = try #require(keygen.errorOutput.split(separator: " ").last.map { $0.trimmingCharacters(in: .whitespacesAndNewlines) })
        try dir.write("plain/db.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: \(Self.canary)\n")
        let encrypted = try await ProcessRunner.run(keelson, ["secret", "encrypt", "--age", recipient, dir.path + "/plain/db.yaml"])
        try dir.write("new/db.yaml", encrypted.stdout)
        try dir.write("old/db.yaml", "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData:\n  password: old-value\n")

        // Without an identity the encrypted file is refused, never rendered as is.
        let refused = try await ProcessRunner.run(keelson, ["render", dir.path + "/new"])
        #expect(refused.status == 1)
        #expect(refused.errorOutput.contains("db.yaml: sops no matching key"))

        let rendered = try await ProcessRunner.run(keelson, ["render", dir.path + "/new", "--decrypt-identity", dir.path + "/key.txt"])
        #expect(rendered.status == 0)
        #expect(rendered.output.contains("password: \(Self.canary)"))

        let diff = try await ProcessRunner.run(keelson, ["diff", dir.path + "/old", dir.path + "/new", "--decrypt-identity", dir.path + "/key.txt"])
        #expect(diff.status == 1)
        #expect(diff.output.contains("=== Secret/db (changed)"))
        #expect(!(diff.output + diff.errorOutput).contains(Self.canary))
    }
}
