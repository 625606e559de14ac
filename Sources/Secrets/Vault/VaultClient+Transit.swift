import Foundation
import Manifests

extension VaultClient {
    /// The largest plaintext sent to transit; a SOPS data key is 32 bytes.
    public static let maxTransitPlaintext = 64 << 10

    /// Encrypts `plaintext` with the transit key `key`: a `vault:vN:…` ciphertext.
    public func transitEncrypt(mount: String = "transit", key: String, plaintext: [UInt8]) async throws(VaultError) -> String {
        guard plaintext.count <= Self.maxTransitPlaintext else {
            throw VaultError(
                .configuration, "the plaintext is \(plaintext.count) bytes, over \(Self.maxTransitPlaintext)", address: configuration.address,
                path: "/v1/\(mount)/encrypt/\(key)")
        }
        let encoded = Data(plaintext).base64EncodedString()
        let call = Call(.POST, [mount, "encrypt", key], body: ["plaintext": .string(encoded)], sensitive: [encoded])
        guard let ciphertext = try await send(call)?["data"]?["ciphertext"]?.stringValue, ciphertext.hasPrefix("vault:") else {
            throw malformed(call, "the answer has no data.ciphertext")
        }
        return ciphertext
    }

    /// Decrypts a `vault:vN:…` ciphertext made with the transit key `key`.
    public func transitDecrypt(mount: String = "transit", key: String, ciphertext: String) async throws(VaultError) -> [UInt8] {
        let path = "/v1/\(mount)/decrypt/\(key)"
        guard ciphertext.hasPrefix("vault:v"), ciphertext.utf8.count <= Self.maxTransitPlaintext * 2 else {
            throw VaultError(
                .configuration, "the ciphertext is not a vault:vN: transit ciphertext of a sane size", address: configuration.address, path: path)
        }
        let call = Call(.POST, [mount, "decrypt", key], body: ["ciphertext": .string(ciphertext)], sensitive: [ciphertext])
        guard let encoded = try await send(call)?["data"]?["plaintext"]?.stringValue, let plaintext = Data(base64Encoded: encoded) else {
            throw malformed(call, "the answer has no base64 data.plaintext")
        }
        return Array(plaintext)
    }
}
