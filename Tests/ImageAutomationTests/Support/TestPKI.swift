import Crypto
import Foundation
import SwiftASN1
import X509

/// Key material made per test run: a CA with a server certificate for 127.0.0.1 (for a TLS
/// registry), and a self-signed token-signing certificate with a JWT signer (for token auth).
struct TestPKI: Sendable {
    let caPEM: String
    let serverCertificatePEM: String
    let serverKeyPEM: String
    let tokenCertificatePEM: String
    private let tokenCertificateDER: [UInt8]
    /// The signing key's raw bytes (the key type itself is not `Sendable`).
    private let tokenKeyBytes: Data

    static let shared: TestPKI = try! TestPKI()

    private init() throws {
        let now = Date().addingTimeInterval(-3600)
        let later = now.addingTimeInterval(86400 * 2)
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("keelson-registry-test-ca") }
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey), notValidBefore: now, notValidAfter: later,
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(caKey))
        let serverKey = P256.Signing.PrivateKey()
        let server = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(serverKey.publicKey), notValidBefore: now, notValidAfter: later,
            issuer: caName, subject: try DistinguishedName { CommonName("127.0.0.1") }, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth])
                SubjectAlternativeNames([.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])), .dnsName("localhost")])
            },
            issuerPrivateKey: .init(caKey))
        let tokenKey = P256.Signing.PrivateKey()
        tokenKeyBytes = tokenKey.rawRepresentation
        let tokenName = try DistinguishedName { CommonName("keelson-token-issuer") }
        let token = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(tokenKey.publicKey), notValidBefore: now, notValidAfter: later,
            issuer: tokenName, subject: tokenName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions { Critical(KeyUsage(digitalSignature: true, keyCertSign: true)) },
            issuerPrivateKey: .init(tokenKey))
        var serializer = DER.Serializer()
        try serializer.serialize(token)
        tokenCertificateDER = serializer.serializedBytes
        caPEM = try ca.serializeAsPEM().pemString
        serverCertificatePEM = try server.serializeAsPEM().pemString
        serverKeyPEM = serverKey.pemRepresentation
        tokenCertificatePEM = try token.serializeAsPEM().pemString
    }

    /// A registry token (ES256 JWT with the signing certificate in `x5c`) granting `actions` on `repository`.
    func token(issuer: String, service: String, repository: String, actions: [String]) throws -> String {
        let header: [String: Any] = ["alg": "ES256", "typ": "JWT", "x5c": [Data(tokenCertificateDER).base64EncodedString()]]
        let now = Int(Date().timeIntervalSince1970)
        let claims: [String: Any] = [
            "iss": issuer, "sub": "robot", "aud": service, "exp": now + 300, "nbf": now - 60, "iat": now - 60, "jti": UUID().uuidString,
            "access": [["type": "repository", "name": repository, "actions": actions]],
        ]
        let input =
            try Self.base64URL(JSONSerialization.data(withJSONObject: header)) + "." + Self.base64URL(JSONSerialization.data(withJSONObject: claims))
        let signature = try P256.Signing.PrivateKey(rawRepresentation: tokenKeyBytes).signature(for: Data(input.utf8)).rawRepresentation
        return input + "." + Self.base64URL(signature)
    }

    private static func base64URL(_ data: Data) -> String {
        data.base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
