import Crypto
import Foundation

/// The PEM encodings Go's `crypto/x509` gives private keys: SEC 1 for ECDSA, PKCS #8 for Ed25519.
enum PrivateKeyPEM {
    /// The named curves Go marshals, by their DER-encoded OID.
    enum Curve {
        case p256, p384, p521

        var oid: [UInt8] {
            switch self {
            case .p256: [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
            case .p384: [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x22]
            case .p521: [0x06, 0x05, 0x2B, 0x81, 0x04, 0x00, 0x23]
            }
        }
    }

    /// `x509.MarshalECPrivateKey` of a P-256 key, as an `EC PRIVATE KEY` block.
    static func ecdsa(_ key: P256.Signing.PrivateKey) -> String {
        ecdsa(raw: key.rawRepresentation, point: key.publicKey.x963Representation, curve: .p256)
    }

    /// `x509.MarshalECPrivateKey` of a key given by its scalar and uncompressed public point.
    static func ecdsa(raw: Data, point: Data, curve: Curve) -> String {
        let body = [0x02, 0x01, 0x01] + tlv(0x04, Array(raw)) + tlv(0xA0, curve.oid) + tlv(0xA1, tlv(0x03, [0x00] + Array(point)))
        return pem("EC PRIVATE KEY", tlv(0x30, body))
    }

    /// `x509.MarshalPKCS8PrivateKey` of an Ed25519 key, as a `PRIVATE KEY` block.
    static func ed25519(_ key: Curve25519.Signing.PrivateKey) -> String {
        let algorithm = tlv(0x30, [0x06, 0x03, 0x2B, 0x65, 0x70])
        let body = [0x02, 0x01, 0x00] + algorithm + tlv(0x04, tlv(0x04, Array(key.rawRepresentation)))
        return pem("PRIVATE KEY", tlv(0x30, body))
    }

    /// A DER tag-length-value.
    static func tlv(_ tag: UInt8, _ content: [UInt8]) -> [UInt8] {
        let count = content.count
        if count < 0x80 { return [tag, UInt8(count)] + content }
        var length: [UInt8] = []
        var rest = count
        while rest > 0 {
            length.insert(UInt8(rest & 0xFF), at: 0)
            rest >>= 8
        }
        return [tag, 0x80 | UInt8(length.count)] + length + content
    }

    /// A PEM block with Go's 64-column lines and trailing newline.
    static func pem(_ type: String, _ der: [UInt8]) -> String {
        let base64 = Array(Data(der).base64EncodedString())
        let lines = stride(from: 0, to: base64.count, by: 64).map { String(base64[$0..<min($0 + 64, base64.count)]) }
        return "-----BEGIN \(type)-----\n" + lines.joined(separator: "\n") + "\n-----END \(type)-----\n"
    }
}
