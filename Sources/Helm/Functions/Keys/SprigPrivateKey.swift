import Crypto
import Foundation
import GoTemplate
import SwiftASN1
import X509
import _CryptoExtras

/// A private key as Sprig's certificate functions hold it: generated, or parsed from PEM as `parsePrivateKeyPEM` does.
enum SprigPrivateKey {
    case rsa(_RSA.Signing.PrivateKey)
    case p256(P256.Signing.PrivateKey)
    case p384(P384.Signing.PrivateKey)
    case p521(P521.Signing.PrivateKey)
    case ed25519(Curve25519.Signing.PrivateKey)
    /// A DSA key (`DSA PRIVATE KEY`), which Go can parse but not sign with.
    case dsa(DSAKey)

    /// Sprig's `parsePrivateKeyPEM`, with its error texts.
    static func parse(_ text: String) throws(GoFunctionError) -> SprigPrivateKey {
        guard let block = PEMBlock.first(in: text) else { throw GoFunctionError("no PEM data in input") }
        if block.type == "PRIVATE KEY" { return try pkcs8(block.bytes) }
        guard block.type.hasSuffix(" PRIVATE KEY") else { throw GoFunctionError("no private key data in PEM block of type \(block.type)") }
        switch block.type.dropLast(12) {
        case "RSA":
            guard let key = try? _RSA.Signing.PrivateKey(derRepresentation: block.bytes) else {
                throw GoFunctionError("parsing RSA private key from PEM: x509: failed to parse private key")
            }
            return .rsa(key)
        case "EC":
            if let key = try? P256.Signing.PrivateKey(derRepresentation: block.bytes) { return .p256(key) }
            if let key = try? P384.Signing.PrivateKey(derRepresentation: block.bytes) { return .p384(key) }
            if let key = try? P521.Signing.PrivateKey(derRepresentation: block.bytes) { return .p521(key) }
            throw GoFunctionError("parsing EC private key from PEM: x509: failed to parse EC private key")
        case "DSA":
            guard let key = DSAKey(der: block.bytes) else {
                throw GoFunctionError("parsing DSA private key from PEM: asn1: structure error")
            }
            return .dsa(key)
        default:
            throw GoFunctionError("invalid private key type \(block.type)")
        }
    }

    /// `x509.ParsePKCS8PrivateKey`, dispatching on the algorithm's OID.
    private static func pkcs8(_ der: [UInt8]) throws(GoFunctionError) -> SprigPrivateKey {
        let algorithm: ASN1ObjectIdentifier?
        do {
            algorithm = try DER.sequence(DER.parse(der), identifier: .sequence) { nodes in
                _ = try Int(derEncoded: &nodes)
                let algorithm = try DER.sequence(of: ASN1Any.self, identifier: .sequence, nodes: &nodes).first.flatMap {
                    try? ASN1ObjectIdentifier(asn1Any: $0)
                }
                while nodes.next() != nil {}
                return algorithm
            }
        } catch {
            algorithm = nil
        }
        let failure = GoFunctionError("decoding PEM as PKCS#8: x509: failed to parse private key")
        switch algorithm {
        case [1, 2, 840, 113_549, 1, 1, 1]?:
            guard let key = try? _RSA.Signing.PrivateKey(derRepresentation: der) else { throw failure }
            return .rsa(key)
        case [1, 2, 840, 10_045, 2, 1]?:
            if let key = try? P256.Signing.PrivateKey(derRepresentation: der) { return .p256(key) }
            if let key = try? P384.Signing.PrivateKey(derRepresentation: der) { return .p384(key) }
            if let key = try? P521.Signing.PrivateKey(derRepresentation: der) { return .p521(key) }
            throw failure
        case [1, 3, 101, 112]?:
            guard der.count == 48, let key = try? Curve25519.Signing.PrivateKey(rawRepresentation: der.suffix(32)) else { throw failure }
            return .ed25519(key)
        case let oid?:
            throw GoFunctionError("decoding PEM as PKCS#8: x509: PKCS#8 wrapping contained private key with unknown algorithm: \(oid)")
        case nil:
            throw GoFunctionError("decoding PEM as PKCS#8: asn1: structure error")
        }
    }

    /// Sprig's `pemBlockForKey`: PKCS #1 for RSA, SEC 1 for ECDSA, Sprig's own ASN.1 for DSA, PKCS #8 otherwise.
    var pem: String {
        switch self {
        case .rsa(let key): PrivateKeyPEM.pem("RSA PRIVATE KEY", Array(key.derRepresentation))
        case .p256(let key): PrivateKeyPEM.ecdsa(raw: key.rawRepresentation, point: key.publicKey.x963Representation, curve: .p256)
        case .p384(let key): PrivateKeyPEM.ecdsa(raw: key.rawRepresentation, point: key.publicKey.x963Representation, curve: .p384)
        case .p521(let key): PrivateKeyPEM.ecdsa(raw: key.rawRepresentation, point: key.publicKey.x963Representation, curve: .p521)
        case .ed25519(let key): PrivateKeyPEM.ed25519(key)
        case .dsa(let key): PrivateKeyPEM.pem("DSA PRIVATE KEY", key.der)
        }
    }

    /// The public key a certificate for this key holds; Go cannot marshal a DSA public key.
    func publicKey() throws(GoFunctionError) -> Certificate.PublicKey {
        guard case .dsa = self else { return try signer().0.publicKey }
        throw GoFunctionError("error creating certificate: x509: unsupported public key type: *dsa.PublicKey")
    }

    /// The signing key with its ECDSA nonces drawn from `seed` (swift-crypto's would make every render differ).
    func seededSigner(seed: [UInt8]) throws(GoFunctionError) -> (Certificate.PrivateKey, Certificate.SignatureAlgorithm) {
        let (key, algorithm) = try signer()
        let seeded: SeededECDSAKey? =
            switch self {
            case .p256(let k):
                SeededECDSAKey(
                    raw: k.rawRepresentation, point: k.publicKey.x963Representation, curve: .p256, algorithm: algorithm, publicKey: key.publicKey,
                    seed: seed)
            case .p384(let k):
                SeededECDSAKey(
                    raw: k.rawRepresentation, point: k.publicKey.x963Representation, curve: .p384, algorithm: algorithm, publicKey: key.publicKey,
                    seed: seed)
            case .p521(let k):
                SeededECDSAKey(
                    raw: k.rawRepresentation, point: k.publicKey.x963Representation, curve: .p521, algorithm: algorithm, publicKey: key.publicKey,
                    seed: seed)
            default: nil
            }
        guard let seeded else { return (key, algorithm) }
        return (Certificate.PrivateKey(seeded), algorithm)
    }

    /// The key as swift-certificates signs with it, and the signature algorithm Go's `x509.CreateCertificate`
    /// picks for it; Go cannot sign with DSA.
    func signer() throws(GoFunctionError) -> (Certificate.PrivateKey, Certificate.SignatureAlgorithm) {
        switch self {
        case .rsa(let key): (Certificate.PrivateKey(key), .sha256WithRSAEncryption)
        case .p256(let key): (Certificate.PrivateKey(key), .ecdsaWithSHA256)
        case .p384(let key): (Certificate.PrivateKey(key), .ecdsaWithSHA384)
        case .p521(let key): (Certificate.PrivateKey(key), .ecdsaWithSHA512)
        case .ed25519(let key): (Certificate.PrivateKey(key), .ed25519)
        case .dsa: throw GoFunctionError("error creating certificate: x509: certificate private key does not implement crypto.Signer")
        }
    }
}
