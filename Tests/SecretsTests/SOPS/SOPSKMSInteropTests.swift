import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Secrets

/// SOPS files whose data key is wrapped by an AWS KMS key on the real moto, exchanged with the
/// real `sops` (which reaches moto through `AWS_ENDPOINT_URL_KMS`) in both directions.
@Suite(.enabled(if: RealMoto.isAvailable && ProcessRunner.isAvailable("sops"), "needs moto_server, boto3 and sops (scripts/test installs them)"))
struct SOPSKMSInteropTests {
    static let canary = "CANARY-kms-\(UUID().uuidString)"
    static let plaintext = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: db\nstringData:\n  password: \(canary)\n"

    /// The environment sops runs with: moto's endpoint and an access key it accepts, nothing else of AWS's.
    static func environment(_ moto: RealMoto) -> [String: String] {
        var environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("AWS_") }
        environment["SOPS_DISABLE_VERSION_CHECK"] = "1"
        environment["AWS_ENDPOINT_URL_KMS"] = moto.endpoint
        environment["AWS_ACCESS_KEY_ID"] = moto.accessKey.id
        environment["AWS_SECRET_ACCESS_KEY"] = moto.accessKey.secret
        environment.removeValue(forKey: "SOPS_AGE_KEY_FILE")
        return environment
    }

    static func sops(_ arguments: [String], moto: RealMoto) async throws -> ProcessResult {
        try await ProcessRunner.run("sops", arguments, environment: environment(moto))
    }

    static func credentials(_ moto: RealMoto, secret: String? = nil) -> SOPSCredentials {
        SOPSCredentials(
            aws: AWSCredentials(accessKeyID: moto.accessKey.id, secretAccessKey: secret ?? moto.accessKey.secret),
            environment: ["AWS_ENDPOINT_URL_KMS": moto.endpoint])
    }

    // A file the real sops encrypted with --kms and an encryption context decrypts in Keelson once KMS unwrapped its data key.
    @Test(arguments: [SOPS.Format.yaml, .json, .dotenv])
    func sopsEncryptsKeelsonDecrypts(format: SOPS.Format) async throws {
        let directory = try TemporaryDirectory(prefix: "sops-kms")
        defer { directory.remove() }
        try await RealMoto.withRunning { moto in
            let arn = try await moto.createKMSKey()
            let files: [SOPS.Format: (String, String)] = [
                .yaml: ("secret.yaml", Self.plaintext), .json: ("secret.json", "{\"password\": \"\(Self.canary)\"}\n"),
                .dotenv: ("secret.env", "PASSWORD=\(Self.canary)\n"),
            ]
            let (name, text) = try #require(files[format])
            let file = try directory.write(name, text)
            let result = try await Self.sops(["encrypt", "--kms", arn, "--encryption-context", "app:db,team:a", file], moto: moto)
            try #require(result.status == 0, "sops failed: \(result.errorOutput)")
            let encrypted = Array(result.stdout)
            #expect(!result.output.contains(Self.canary))
            let wrapped = try SOPS.wrappedKeys(in: encrypted, format: format)
            #expect(wrapped.kms.map(\.key) == [SOPSKMSKey(arn: arn, context: ["app": "db", "team": "a"])])
            let keys = await SOPS.unwrap(wrapped, credentials: Self.credentials(moto))
            #expect(keys.failures.isEmpty, "\(keys.failures)")
            let plain = try SOPS.decryptValues(encrypted, format: format, keys: keys)
            let value = format == .yaml ? plain.first?["stringData"]?["password"] : plain.first?[format == .json ? "password" : "PASSWORD"]
            #expect(value == .string(Self.canary))
        }
    }

    // Keelson encrypts for KMS keys (the argument with a context, a .sops.yaml kms rule, a key_groups entry); the real sops decrypts each.
    @Test func keelsonEncryptsSopsDecrypts() async throws {
        let directory = try TemporaryDirectory(prefix: "sops-kms")
        defer { directory.remove() }
        try await RealMoto.withRunning { moto in
            let first = try await moto.createKMSKey()
            let second = try await moto.createKMSKey()
            let byArgument = try await SOPS.encrypt(
                Array(Self.plaintext.utf8), format: .yaml, recipients: [],
                kmsKeys: [try SOPSKMSKey(argument: first, context: try SOPSKMSKey.context("app:db"))], credentials: Self.credentials(moto),
                rules: SOPSEncryptionRules(selector: .encryptedRegex("^(data|stringData)$")))
            let config = try SOPSCreationRules.parse(
                Array(
                    """
                    creation_rules:
                      - path_regex: ^flat/
                        kms: \(first), \(second)
                      - path_regex: ^grouped/
                        key_groups:
                          - kms:
                              - arn: \(second)
                                context: {env: prod}
                    """.utf8))
            let byRule = try await SOPS.encrypt(
                Array(Self.plaintext.utf8), format: .yaml, path: "flat/db.yaml", config: config, credentials: Self.credentials(moto))
            let byGroup = try await SOPS.encrypt(
                Array(Self.plaintext.utf8), format: .yaml, path: "grouped/db.yaml", config: config, credentials: Self.credentials(moto))
            #expect(try SOPS.wrappedKeys(in: byRule, format: .yaml).kms.map(\.key.arn) == [first, second])
            #expect(try SOPS.wrappedKeys(in: byGroup, format: .yaml).kms.map(\.key.context) == [["env": "prod"]])
            for (name, encrypted) in [("argument.yaml", byArgument), ("rule.yaml", byRule), ("group.yaml", byGroup)] {
                let text = String(decoding: encrypted, as: UTF8.self)
                #expect(!text.contains(Self.canary) && text.contains("kms:"), "\(name)")
                let file = try directory.write(name, text)
                let result = try await Self.sops(["decrypt", file], moto: moto)
                #expect(result.status == 0, "\(name): \(result.errorOutput)")
                #expect(result.output.contains("password: \(Self.canary)"), "\(name)")
            }
        }
    }

    // Wrong credentials (moto checking signatures): decryption fails naming the file and the key ARN, never the secret key or a value.
    @Test func wrongCredentialsNameTheKeyNotTheSecret() async throws {
        try await RealMoto.withRunning(requiringCredentials: true) { moto in
            let arn = try await moto.createKMSKey()
            let encrypted = try await SOPS.encrypt(
                Array(Self.plaintext.utf8), format: .yaml, recipients: [], kmsKeys: [SOPSKMSKey(arn: arn)], credentials: Self.credentials(moto))
            let good = await SOPS.unwrap(try SOPS.wrappedKeys(in: encrypted, format: .yaml), credentials: Self.credentials(moto))
            #expect(try SOPS.decryptValues(encrypted, format: .yaml, keys: good).first?["stringData"]?["password"] == .string(Self.canary))

            let wrongSecret = "CANARY-wrong-secret-\(UUID().uuidString)"
            let keys = await SOPS.unwrap(try SOPS.wrappedKeys(in: encrypted, format: .yaml), credentials: Self.credentials(moto, secret: wrongSecret))
            #expect(keys.dataKeys.isEmpty)
            do {
                _ = try SOPS.decrypt(encrypted, format: .yaml, keys: keys, source: "db.enc.yaml")
                Issue.record("decrypted with a wrong secret key")
            } catch let error as SOPSError {
                #expect(error.code == .noMatchingKey)
                #expect(error.description.contains("db.enc.yaml") && error.description.contains(arn), "\(error)")
                #expect(error.description.contains("SignatureDoesNotMatch"), "\(error)")
                #expect(!error.description.contains(wrongSecret) && !error.description.contains(moto.accessKey.secret))
                #expect(!error.description.contains(Self.canary))
            }
            // Encrypting with them fails the same way.
            await #expect(throws: SOPSError.self) {
                _ = try await SOPS.encrypt(
                    Array(Self.plaintext.utf8), format: .yaml, recipients: [], kmsKeys: [SOPSKMSKey(arn: arn)],
                    credentials: Self.credentials(moto, secret: wrongSecret))
            }
        }
    }

    // A key that names a role to assume is refused on encrypt and decrypt, with the file named: Keelson does not call STS.
    @Test func assumeRoleIsRefused() async throws {
        try await RealMoto.withRunning { moto in
            let arn = try await moto.createKMSKey()
            let role = "arn:aws:iam::123456789012:role/sops"
            let withRole = try SOPSKMSKey(argument: arn + "+" + role)
            #expect(withRole.arn == arn && withRole.role == role)
            do {
                _ = try await SOPS.encrypt(
                    Array(Self.plaintext.utf8), format: .yaml, recipients: [], kmsKeys: [withRole], credentials: Self.credentials(moto),
                    source: "db.yaml")
                Issue.record("encrypted with a role")
            } catch let error as SOPSError {
                #expect(error.code == .unsupported && error.description.contains("db.yaml") && error.description.contains(role), "\(error)")
            }
            // A file sops wrote for a role: the entry carries `role`, added here to a file Keelson wrote.
            let encrypted = try await SOPS.encrypt(
                Array(Self.plaintext.utf8), format: .yaml, recipients: [], kmsKeys: [SOPSKMSKey(arn: arn)], credentials: Self.credentials(moto))
            let text = String(decoding: encrypted, as: UTF8.self)
            let regex = try NSRegularExpression(pattern: "arn: \(NSRegularExpression.escapedPattern(for: arn))\n( +)")
            let edited = regex.stringByReplacingMatches(
                in: text, range: NSRange(text.startIndex..., in: text), withTemplate: "arn: \(arn)\n$1role: \(role)\n$1")
            #expect(edited != text)
            let keys = await SOPS.unwrap(try SOPS.wrappedKeys(in: Array(edited.utf8), format: .yaml), credentials: Self.credentials(moto))
            do {
                _ = try SOPS.decrypt(Array(edited.utf8), format: .yaml, keys: keys, source: "db.enc.yaml")
                Issue.record("decrypted through a role")
            } catch let error as SOPSError {
                #expect(error.description.contains("db.enc.yaml") && error.description.contains("role"), "\(error)")
            }
        }
    }
}
