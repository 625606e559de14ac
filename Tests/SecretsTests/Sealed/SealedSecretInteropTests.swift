import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Secrets

/// Keelson against kubesealpy, which seals and unseals in Bitnami's format: each opens what the
/// other sealed, for every scope, with a certificate Keelson generated.
@Suite(.enabled(if: KubesealPy.isAvailable, "python3 cannot import kubesealpy"))
struct SealedSecretInteropTests {
    // A SealedSecret kubesealpy sealed with Keelson's certificate unseals in Keelson, under its scope.
    @Test(arguments: SealingScope.allCases)
    func kubesealpySealsKeelsonUnseals(scope: SealingScope) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let certificate = try folder.write("cert.pem", SealedTestKeys.first.certificatePEM)
        let json = try await KubesealPy.seal(
            certificatePath: certificate, namespace: "shop", name: "db", scope: scope.rawValue, data: ["password": "s3cret-canary", "user": "admin"])
        let sealed = try #require(try Manifest.decode(Array(json.utf8), file: "sealed.json").first)
        let secret = try SealedSecretUnsealer(keys: [SealedTestKeys.second.privateKey, SealedTestKeys.first.privateKey]).unseal(sealed)
        #expect(secret.object["data"]?["password"]?.stringValue == Data("s3cret-canary".utf8).base64EncodedString())
        #expect(secret.object["data"]?["user"]?.stringValue == Data("admin".utf8).base64EncodedString())
    }

    // A SealedSecret Keelson sealed unseals in kubesealpy with the private key Keelson generated.
    @Test(arguments: SealingScope.allCases)
    func keelsonSealsKubesealpyUnseals(scope: SealingScope) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try folder.write("key.pem", SealedTestKeys.first.privateKey.pemRepresentation)
        let secret = SealedValueCipherTests.secret(name: "db", namespace: "shop", values: ["password": "s3cret-canary"])
        let sealed = try SealedSecretSealer(key: try SealingPublicKey(certificatePEM: SealedTestKeys.first.certificatePEM)).seal(secret, scope: scope)
        let values = try await KubesealPy.unseal(JSONWriter.compact(sealed.value), keyPaths: [key])
        #expect(values == ["password": "s3cret-canary"])
    }

    // kubesealpy refuses what Keelson sealed strictly once it is renamed: the label binds the name on both sides.
    @Test func kubesealpyRefusesRenamedStrict() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let key = try folder.write("key.pem", SealedTestKeys.first.privateKey.pemRepresentation)
        let secret = SealedValueCipherTests.secret(name: "db", namespace: "shop", values: ["password": "s3cret-canary"])
        var sealed = try SealedSecretSealer(key: SealedTestKeys.first.privateKey.publicKey).seal(secret)
        sealed.setMetadata("name", "renamed")
        let failure = await #expect(throws: KubesealPy.Failure.self) {
            try await KubesealPy.unseal(JSONWriter.compact(sealed.value), keyPaths: [key])
        }
        // A decryption failure, not any other failure of the Python side (a missing module, a parse error).
        let stderr = failure?.description ?? ""
        #expect(stderr.contains("NoMatchingKeyError") && stderr.contains("could decrypt the data"), "\(stderr)")
    }

    // A 4096-bit key (Bitnami's size; made by Python's cryptography, which is fast) opens values
    // sealed by kubesealpy; ten values unseal within a generous bound even in a debug build.
    @Test func rsa4096() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let script = """
            from cryptography.hazmat.primitives.asymmetric import rsa
            from cryptography.hazmat.primitives import serialization
            key = rsa.generate_private_key(public_exponent=65537, key_size=4096)
            print(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.TraditionalOpenSSL, serialization.NoEncryption()).decode())
            """
        let pem = try await ProcessRunner.run("python3", ["-c", script]).output
        let key = try SealingPrivateKey(pemRepresentation: pem)
        #expect(key.publicKey.modulusLength == 512)
        let label = SealingScope.strict.label(namespace: "shop", name: "db")
        let sealed = try (0..<10).map { index in try SealedValueCipher.seal(Array("value-\(index)".utf8), to: key.publicKey, label: label) }
        let clock = ContinuousClock()
        var opened: [[UInt8]] = []
        let elapsed = try clock.measure {
            for value in sealed { opened.append(try SealedValueCipher.unseal(value, with: [key], label: label)) }
        }
        #expect(opened == (0..<10).map { Array("value-\($0)".utf8) })
        print("unsealing 10 values with a 4096-bit key took \(elapsed)")
        #expect(elapsed < .seconds(20))
    }
}
