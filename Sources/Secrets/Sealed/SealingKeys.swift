import BigInt
import Crypto
import Foundation
import X509
import _CryptoExtras

/// The public half of a sealing key, read from the controller's certificate: what `kubeseal
/// --cert` and `keelson secret seal --cert` encrypt to.
public struct SealingPublicKey: Sendable, Hashable {
    let modulus: BigUInt
    let exponent: BigUInt
    /// The modulus length in bytes (512 for RSA-4096).
    public let modulusLength: Int
    /// The SHA-256 of the key's SubjectPublicKeyInfo, hex: names the key in logs without showing it.
    public let fingerprint: String
    /// When the certificate the key was read from expires (`nil` for a key read without one).
    public let notValidAfter: Date?

    /// The key of a PEM certificate (the first one, when the file holds a chain).
    public init(certificatePEM: String, source: String? = nil) throws(SealedSecretsError) {
        guard certificatePEM.utf8.count <= Self.maximumPEMBytes else {
            throw SealedSecretsError(.inputTooLarge, "the certificate is larger than 64 KiB", source: source)
        }
        let certificate: Certificate
        do { certificate = try Certificate(pemEncoded: Self.firstPEMBlock(certificatePEM)) } catch {
            throw SealedSecretsError(.invalidKey, "not a PEM certificate", source: source)
        }
        guard let rsa = _RSA.Signing.PublicKey(certificate.publicKey) else {
            throw SealedSecretsError(.invalidKey, "the certificate's key is not RSA", source: source)
        }
        try self.init(rsa, notValidAfter: certificate.notValidAfter, source: source)
    }

    init(_ key: _RSA.Signing.PublicKey, notValidAfter: Date? = nil, source: String?) throws(SealedSecretsError) {
        let primitives: _RSA.Signing.PublicKey.Primitives
        do { primitives = try key.getKeyPrimitives() } catch {
            throw SealedSecretsError(.invalidKey, "cannot read the RSA key", source: source)
        }
        guard key.keySizeInBits >= 2048 else { throw SealedSecretsError(.invalidKey, "the RSA key is shorter than 2048 bits", source: source) }
        modulus = BigUInt(primitives.modulus)
        exponent = BigUInt(primitives.publicExponent)
        modulusLength = (key.keySizeInBits + 7) / 8
        self.notValidAfter = notValidAfter
        fingerprint = SHA256.hash(data: key.derRepresentation).map { String(format: "%02x", $0) }.joined()
    }

    /// Refuses a key whose certificate expired before `now`, as `kubeseal` refuses to seal with one.
    public func checkNotExpired(now: Date = Date(), source: String? = nil) throws(SealedSecretsError) {
        guard let notValidAfter, notValidAfter < now else { return }
        throw SealedSecretsError(.invalidKey, "the certificate expired on \(notValidAfter.formatted(.iso8601))", source: source)
    }

    /// The raw RSA public operation on an encoded message (the padding is the caller's).
    func rawEncrypt(_ encoded: [UInt8]) -> [UInt8] {
        let result = BigUInt(Data(encoded)).power(exponent, modulus: modulus).serialize()
        return [UInt8](repeating: 0, count: modulusLength - result.count) + result
    }

    static let maximumPEMBytes = 64 * 1024

    /// Keys are equal when their RSA numbers are, whatever certificate they came from.
    public static func == (lhs: SealingPublicKey, rhs: SealingPublicKey) -> Bool {
        lhs.modulus == rhs.modulus && lhs.exponent == rhs.exponent
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(modulus)
        hasher.combine(exponent)
    }

    /// The first `-----BEGIN …-----`…`-----END …-----` block of a PEM text.
    static func firstPEMBlock(_ text: String) -> String {
        guard let begin = text.range(of: "-----BEGIN "), let end = text.range(of: "-----END ", range: begin.upperBound..<text.endIndex),
            let close = text.range(of: "-----", range: end.upperBound..<text.endIndex)
        else { return text }
        return String(text[begin.lowerBound..<close.upperBound])
    }
}

/// The private half of a sealing key: decrypts the session keys of sealed values. Built from the
/// `tls.key` of a key Secret (PKCS#1 or PKCS#8 PEM), as Bitnami's controller writes it.
public struct SealingPrivateKey: Sendable {
    /// The raw RSA private operation: BoringSSL's `RSA_sign_raw` (blinded, CRT) behind the
    /// blind-signature API, the only unpadded private operation swift-crypto exposes.
    let raw: _RSA.BlindSigning.PrivateKey<SHA384>
    let signing: _RSA.Signing.PrivateKey
    /// The matching public key.
    public let publicKey: SealingPublicKey

    /// A key read from PEM; `source` names the Secret or file in errors.
    public init(pemRepresentation pem: String, source: String? = nil) throws(SealedSecretsError) {
        guard pem.utf8.count <= SealingPublicKey.maximumPEMBytes else {
            throw SealedSecretsError(.inputTooLarge, "the private key is larger than 64 KiB", source: source)
        }
        let block = SealingPublicKey.firstPEMBlock(pem)
        do {
            signing = try _RSA.Signing.PrivateKey(pemRepresentation: block)
            raw = try _RSA.BlindSigning.PrivateKey(pemRepresentation: block)
        } catch {
            throw SealedSecretsError(.invalidKey, "not a PEM RSA private key of at least 2048 bits", source: source)
        }
        publicKey = try SealingPublicKey(signing.publicKey, source: source)
    }

    /// A fresh key of `bits` bits (Bitnami's default is 4096).
    public static func generate(bits: Int = 4096) throws(SealedSecretsError) -> SealingPrivateKey {
        do {
            let key = try _RSA.Signing.PrivateKey(keySize: .init(bitCount: bits))
            return try SealingPrivateKey(pemRepresentation: key.pemRepresentation)
        } catch {
            throw SealedSecretsError(.invalidKey, "cannot generate a \(bits)-bit RSA key")
        }
    }

    /// The key as PKCS#1 PEM (`RSA PRIVATE KEY`), the form Bitnami's controller stores.
    public var pemRepresentation: String { signing.pemRepresentation }

    /// The raw RSA private operation on a `modulusLength`-byte block; `nil` when the block is not below the modulus.
    func rawDecrypt(_ block: [UInt8]) -> [UInt8]? {
        guard block.count == publicKey.modulusLength else { return nil }
        return try? Array(raw.blindSignature(for: block).rawRepresentation)
    }
}
