import BigInt
import Crypto
import Foundation
import SwiftASN1
import X509

/// An ECDSA key that signs certificates with ``DeterministicECDSA``, for swift-certificates.
struct SeededECDSAKey: CustomPrivateKey {
    static let defaultPEMDiscriminator = "EC PRIVATE KEY"

    let publicKey: Certificate.PublicKey
    let defaultSignatureAlgorithm: Certificate.SignatureAlgorithm
    private let curve: DeterministicECDSA.Curve
    private let scalar: [UInt8]
    private let seed: [UInt8]

    /// The key of scalar `raw` on `curve`, whose public point must be `point` (X9.63); nil when the arithmetic
    /// does not reproduce it.
    init?(
        raw: Data, point: Data, curve: DeterministicECDSA.Curve, algorithm: Certificate.SignatureAlgorithm, publicKey: Certificate.PublicKey,
        seed: [UInt8]
    ) {
        let signer = DeterministicECDSA(curve: curve, scalar: BigUInt(raw))
        guard let (x, y) = signer.publicPoint() else { return nil }
        let width = (point.count - 1) / 2
        func padded(_ value: BigUInt) -> [UInt8] {
            let bytes = Array(value.serialize())
            return [UInt8](repeating: 0, count: max(0, width - bytes.count)) + bytes
        }
        guard [0x04] + padded(x) + padded(y) == Array(point) else { return nil }
        (self.publicKey, defaultSignatureAlgorithm, self.curve, scalar, self.seed) = (publicKey, algorithm, curve, Array(raw), seed)
    }

    var supportedSignatureAlgorithms: [Certificate.SignatureAlgorithm] { [defaultSignatureAlgorithm] }

    func signSynchronously(bytes: some DataProtocol, signatureAlgorithm: Certificate.SignatureAlgorithm) throws -> Certificate.Signature {
        let digest: [UInt8] =
            switch signatureAlgorithm {
            case .ecdsaWithSHA384: Array(SHA384.hash(data: bytes))
            case .ecdsaWithSHA512: Array(SHA512.hash(data: bytes))
            default: Array(SHA256.hash(data: bytes))
            }
        let signature = DeterministicECDSA(curve: curve, scalar: BigUInt(Data(scalar))).sign(digest: digest, seed: seed)
        return try Certificate.Signature(signatureAlgorithm: signatureAlgorithm, signatureBytes: ASN1BitString(bytes: signature[...]))
    }

    func signAsynchronously(
        bytes: some DataProtocol & Sendable, signatureAlgorithm: Certificate.SignatureAlgorithm
    ) async throws -> Certificate.Signature {
        try signSynchronously(bytes: bytes, signatureAlgorithm: signatureAlgorithm)
    }

    func serialize(into coder: inout DER.Serializer) throws {
        throw ASN1Error.invalidASN1Object(reason: "a seeded ECDSA key only signs")
    }

    static func == (a: Self, b: Self) -> Bool { a.scalar == b.scalar && a.seed == b.seed }
    func hash(into hasher: inout Hasher) { hasher.combine(scalar) }
}
