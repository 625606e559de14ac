import Crypto
import Foundation

/// The PEM encodings Go's `crypto/x509` gives private keys: SEC 1 for ECDSA, PKCS #8 for Ed25519.
enum PrivateKeyPEM {
    /// `x509.MarshalECPrivateKey` of a P-256 key, as an `EC PRIVATE KEY` block.
    static func ecdsa(_ key: P256.Signing.PrivateKey) -> String {
        let curve: [UInt8] = [0x06, 0x08, 0x2A, 0x86, 0x48, 0xCE, 0x3D, 0x03, 0x01, 0x07]
        let body =
            [0x02, 0x01, 0x01] + tlv(0x04, Array(key.rawRepresentation)) + tlv(0xA0, curve)
            + tlv(0xA1, tlv(0x03, [0x00] + Array(key.publicKey.x963Representation)))
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
