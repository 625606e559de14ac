import Foundation
import KeelsonTesting
import Testing

/// `keelson secret encrypt|decrypt` and `keelson render` with AWS KMS keys on the real moto
/// (checking signatures), against the real `sops`, with credentials from the standard AWS
/// variables and the endpoint from `AWS_ENDPOINT_URL_KMS`, as sops reads them.
@Suite(.enabled(if: RealMoto.isAvailable && ProcessRunner.isAvailable("sops"), "needs moto_server, boto3 and sops (scripts/test installs them)"))
struct SecretKMSCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    static let canary = "CANARY-kms-cli-\(UUID().uuidString)"
    static let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: db, namespace: default}\nstringData:\n  password: \(canary)\n"

    static func environment(_ moto: RealMoto, secret: String? = nil) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["SOPS_DISABLE_VERSION_CHECK"] = "1"
        environment["AWS_ENDPOINT_URL_KMS"] = moto.endpoint
        environment["AWS_ACCESS_KEY_ID"] = moto.accessKey.id
        environment["AWS_SECRET_ACCESS_KEY"] = secret ?? moto.accessKey.secret
        environment.removeValue(forKey: "SOPS_AGE_KEY_FILE")
        return environment
    }

    // sops encrypts with --kms; keelson render and secret decrypt read it; wrong credentials fail naming the ARN, not the secret.
    @Test func sopsEncryptsKeelsonRendersAndDecrypts() async throws {
        let dir = try TemporaryDirectory(prefix: "kms-cli")
        defer { dir.remove() }
        try await RealMoto.withRunning(requiringCredentials: true) { moto in
            let arn = try await moto.createKMSKey()
            let env = Self.environment(moto)
            let plain = try dir.write("app/db.yaml", Self.secret)
            let sops = try await ProcessRunner.run(
                "sops", ["encrypt", "--kms", arn, "--encryption-context", "app:db", "--encrypted-regex", "^(data|stringData)$", plain],
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

            let wrongSecret = "CANARY-wrong-secret-\(UUID().uuidString)"
            for arguments in [["render", dir.path + "/app"], ["secret", "decrypt", dir.path + "/app/db.yaml"]] {
                let refused = try await ProcessRunner.run(keelson, arguments, environment: Self.environment(moto, secret: wrongSecret))
                #expect(refused.status == 1, "\(arguments)")
                #expect(refused.errorOutput.contains(arn) && refused.errorOutput.contains("db.yaml"), "\(refused.errorOutput)")
                #expect(!refused.errorOutput.contains(wrongSecret) && !refused.output.contains(Self.canary))
                #expect(!refused.errorOutput.contains(moto.accessKey.secret))
            }
        }
    }

    // keelson secret encrypt, by --kms and by a .sops.yaml kms rule, writes files the real sops decrypts.
    @Test func keelsonEncryptsSopsDecrypts() async throws {
        let dir = try TemporaryDirectory(prefix: "kms-cli")
        defer { dir.remove() }
        try await RealMoto.withRunning(requiringCredentials: true) { moto in
            let arn = try await moto.createKMSKey()
            let env = Self.environment(moto)
            let plain = try dir.write("repo/secrets/db.yaml", Self.secret)
            try dir.write(
                "repo/.sops.yaml", "creation_rules:\n  - path_regex: secrets/.*\\.yaml$\n    encrypted_regex: ^(data|stringData)$\n    kms: \(arn)\n")
            let byFlag = try await ProcessRunner.run(
                keelson, ["secret", "encrypt", "--kms", arn, "--encryption-context", "app:db,team:a", plain], environment: env)
            let byRule = try await ProcessRunner.run(keelson, ["secret", "encrypt", plain], environment: env)
            for (name, result) in [("flag.yaml", byFlag), ("rule.yaml", byRule)] {
                #expect(result.status == 0, "\(name): \(result.errorOutput)")
                #expect(!result.output.contains(Self.canary))
                #expect(result.output.contains("kms:") && result.output.contains(arn))
                let file = try dir.write(name, result.stdout)
                let sops = try await ProcessRunner.run("sops", ["-d", file], environment: env)
                #expect(sops.status == 0, "\(name): \(sops.errorOutput)")
                #expect(sops.output.contains("password: \(Self.canary)"))
            }
            #expect(byFlag.output.contains("team: a"), "the encryption context is written")
            #expect(byRule.output.contains("kind: Secret"), "encrypted_regex from .sops.yaml leaves kind in clear")
            let role = try await ProcessRunner.run(
                keelson, ["secret", "encrypt", "--kms", arn + "+arn:aws:iam::123456789012:role/sops", plain], environment: env)
            #expect(role.status != 0 && role.errorOutput.contains("role"), "\(role.errorOutput)")
        }
    }
}
