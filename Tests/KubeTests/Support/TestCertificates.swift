import Crypto
import Foundation
import NIOSSL
import SwiftASN1
import X509

/// A CA, a server certificate for 127.0.0.1 and a client certificate, generated once per test
/// run so TLS with client certificates is exercised without checked-in keys.
struct TestCertificates: Sendable {
    let caPEM: String
    let serverCertificatePEM: String
    let serverKeyPEM: String
    let clientCertificatePEM: String
    let clientKeyPEM: String

    static let shared: TestCertificates = try! TestCertificates()

    init() throws {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("keelson-test-ca") }
        let now = Date().addingTimeInterval(-3600)
        let later = now.addingTimeInterval(86400 * 2)
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey), notValidBefore: now, notValidAfter: later,
            issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(keyCertSign: true))
            },
            issuerPrivateKey: .init(caKey))
        func leaf(_ name: String, usage: ExtendedKeyUsage.Usage, san: [GeneralName]) throws -> (String, String) {
            let key = P256.Signing.PrivateKey()
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: now, notValidAfter: later,
                issuer: caName, subject: try DistinguishedName { CommonName(name) }, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true))
                    try ExtendedKeyUsage([usage])
                    if !san.isEmpty { SubjectAlternativeNames(san) }
                },
                issuerPrivateKey: .init(caKey))
            return (try certificate.serializeAsPEM().pemString, key.pemRepresentation)
        }
        caPEM = try ca.serializeAsPEM().pemString
        (serverCertificatePEM, serverKeyPEM) = try leaf(
            "127.0.0.1", usage: .serverAuth, san: [.ipAddress(ASN1OctetString(contentBytes: [127, 0, 0, 1])), .dnsName("localhost")])
        (clientCertificatePEM, clientKeyPEM) = try leaf("keelson-client", usage: .clientAuth, san: [])
    }

    /// A server configuration that requires a client certificate signed by the CA.
    func serverTLS() throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(Array(serverCertificatePEM.utf8)).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)))
        tls.certificateVerification = .noHostnameVerification
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(Array(caPEM.utf8)))
        return tls
    }
}
