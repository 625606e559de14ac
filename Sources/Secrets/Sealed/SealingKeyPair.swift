import Crypto
import Foundation
import SwiftASN1
import X509
import _CryptoExtras

/// A sealing key and its self-signed certificate, as kept in a `kubernetes.io/tls` Secret
/// (`tls.key`, `tls.crt`) the way Bitnami's controller keeps them, so its key backups import as they are.
public struct SealingKeyPair: Sendable {
    /// The private key.
    public let privateKey: SealingPrivateKey
    /// The certificate, PEM: what `keelson secret cert` prints and sealing uses.
    public let certificatePEM: String
    /// When the certificate starts being valid: the newest key seals.
    public let notBefore: Date

    /// The common name of generated certificates, Bitnami's default.
    public static let commonName = "sealed-secret"

    /// A pair read from PEM; the certificate must carry the private key's public key.
    public init(privateKeyPEM: String, certificatePEM: String, source: String? = nil) throws(SealedSecretsError) {
        privateKey = try SealingPrivateKey(pemRepresentation: privateKeyPEM, source: source)
        let first = SealingPublicKey.firstPEMBlock(certificatePEM)
        let publicKey = try SealingPublicKey(certificatePEM: first, source: source)
        guard publicKey == privateKey.publicKey else {
            throw SealedSecretsError(.invalidKey, "the certificate does not belong to the private key", source: source)
        }
        do { notBefore = try Certificate(pemEncoded: first).notValidBefore } catch {
            throw SealedSecretsError(.invalidKey, "not a PEM certificate", source: source)
        }
        self.certificatePEM = certificatePEM
    }

    /// A fresh `bits`-bit key and a certificate valid from `now` for `validity` (Bitnami: ten years).
    public static func generate(
        bits: Int = 4096, now: Date = Date(), validity: TimeInterval = 10 * 365 * 86400, commonName: String = commonName
    ) throws(SealedSecretsError) -> SealingKeyPair {
        let key = try SealingPrivateKey.generate(bits: bits)
        do {
            let name = try DistinguishedName { CommonName(commonName) }
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.signing.publicKey), notValidBefore: now,
                notValidAfter: now.addingTimeInterval(validity), issuer: name, subject: name, signatureAlgorithm: .sha256WithRSAEncryption,
                extensions: try Certificate.Extensions {
                    Critical(BasicConstraints.isCertificateAuthority(maxPathLength: nil))
                    Critical(KeyUsage(digitalSignature: true, keyEncipherment: true, keyCertSign: true))
                }, issuerPrivateKey: .init(key.signing))
            return try SealingKeyPair(privateKeyPEM: key.pemRepresentation, certificatePEM: try certificate.serializeAsPEM().pemString + "\n")
        } catch let error as SealedSecretsError {
            throw error
        } catch {
            throw SealedSecretsError(.invalidKey, "cannot sign a certificate for the new key")
        }
    }
}
