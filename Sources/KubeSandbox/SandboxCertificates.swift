import Crypto
import Foundation
import HummingbirdTLS
import SwiftASN1
import X509

/// The PKI of a TLS sandbox: a CA, a server certificate for its address, and a client certificate.
///
/// The server requires a client certificate signed by the CA; the kubeconfig it writes carries
/// the CA and the client certificate and key, so kubectl authenticates the way it does with kind.
public struct SandboxCertificates: Sendable, Hashable {
    /// The CA certificate, PEM.
    public var caPEM: String
    /// The server certificate, PEM.
    public var serverCertificatePEM: String
    /// The server key, PEM.
    public var serverKeyPEM: String
    /// The client certificate (CN `keelson-admin`, O `system:masters`), PEM.
    public var clientCertificatePEM: String
    /// The client key, PEM.
    public var clientKeyPEM: String

    /// Generates fresh P-256 keys and certificates valid for a year, for `host` and `localhost`.
    public static func generate(host: String, now: Date = Date()) throws -> SandboxCertificates {
        let caKey = P256.Signing.PrivateKey()
        let caName = try DistinguishedName { CommonName("keelson-sandbox-ca") }
        let notBefore = now.addingTimeInterval(-3600)
        let notAfter = now.addingTimeInterval(365 * 86400)
        let ca = try Certificate(
            version: .v3, serialNumber: .init(), publicKey: .init(caKey.publicKey), notValidBefore: notBefore,
            notValidAfter: notAfter, issuer: caName, subject: caName, signatureAlgorithm: .ecdsaWithSHA256,
            extensions: try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                Critical(KeyUsage(digitalSignature: true, keyCertSign: true))
            }, issuerPrivateKey: .init(caKey))

        var names: [GeneralName] = [.dnsName("localhost")]
        let octets = host.split(separator: ".").compactMap { UInt8($0) }
        if octets.count == 4 { names.append(.ipAddress(ASN1OctetString(contentBytes: ArraySlice(octets)))) } else { names.append(.dnsName(host)) }
        func leaf(_ key: P256.Signing.PrivateKey, subject: DistinguishedName, usage: ExtendedKeyUsage.Usage, san: Bool) throws -> Certificate {
            try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey), notValidBefore: notBefore,
                notValidAfter: notAfter, issuer: caName, subject: subject, signatureAlgorithm: .ecdsaWithSHA256,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.notCertificateAuthority)
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true))
                    try ExtendedKeyUsage([usage])
                    if san { SubjectAlternativeNames(names) }
                }, issuerPrivateKey: .init(caKey))
        }
        let serverKey = P256.Signing.PrivateKey()
        let server = try leaf(serverKey, subject: try DistinguishedName { CommonName("keelson-sandbox") }, usage: .serverAuth, san: true)
        let clientKey = P256.Signing.PrivateKey()
        let clientName = try DistinguishedName {
            OrganizationName("system:masters")
            CommonName("keelson-admin")
        }
        let client = try leaf(clientKey, subject: clientName, usage: .clientAuth, san: false)
        return SandboxCertificates(
            caPEM: try ca.serializeAsPEM().pemString, serverCertificatePEM: try server.serializeAsPEM().pemString,
            serverKeyPEM: serverKey.pemRepresentation, clientCertificatePEM: try client.serializeAsPEM().pemString,
            clientKeyPEM: clientKey.pemRepresentation)
    }

    /// The server's TLS configuration: its certificate, a required client certificate from the
    /// CA, and TLS 1.2 or later (what the API server accepts; 1.0 and 1.1 are deprecated by RFC 8996).
    func serverTLSConfiguration() throws -> TLSConfiguration {
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: [.certificate(try NIOSSLCertificate(bytes: Array(serverCertificatePEM.utf8), format: .pem))],
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: Array(serverKeyPEM.utf8), format: .pem)))
        configuration.minimumTLSVersion = .tlsv12
        configuration.certificateVerification = .noHostnameVerification
        configuration.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(caPEM.utf8), format: .pem)])
        return configuration
    }
}
