import Crypto
import Foundation

/// The age STREAM payload: a 16-byte nonce, then 64 KiB ChaCha20-Poly1305 chunks with counter nonces.
enum AgeStream {
    static let chunkSize = 64 * 1024
    static let tagSize = 16
    static let nonceSize = 16

    /// Encrypts `plaintext` under a fresh nonce; the result starts with the nonce.
    static func seal(_ plaintext: [UInt8], fileKey: SymmetricKey) -> [UInt8] {
        let nonce = randomBytes(nonceSize)
        let key = payloadKey(fileKey: fileKey, nonce: nonce)
        let chunkCount = max(1, (plaintext.count + chunkSize - 1) / chunkSize)
        var out = nonce
        out.reserveCapacity(nonceSize + plaintext.count + chunkCount * tagSize)
        for index in 0..<chunkCount {
            let start = index * chunkSize
            let chunk = plaintext[start..<min(start + chunkSize, plaintext.count)]
            let box: ChaChaPoly.SealedBox
            do {
                box = try ChaChaPoly.seal(
                    chunk, using: key,
                    nonce: chunkNonce(UInt64(index), last: index == chunkCount - 1))
            } catch {
                // Sealing fails only on a malformed nonce or key, which this file constructs itself.
                preconditionFailure("ChaCha20-Poly1305 seal failed: \(error)")
            }
            out += box.ciphertext
            out += box.tag
        }
        return out
    }

    /// Decrypts a payload (nonce and chunks), returning nothing unless every chunk authenticates.
    static func open(_ payload: ArraySlice<UInt8>, fileKey: SymmetricKey) throws(AgeError) -> [UInt8] {
        guard payload.count >= nonceSize else {
            throw AgeError(.headerFailure, "payload nonce is missing or shorter than 16 bytes")
        }
        let nonceEnd = payload.startIndex + nonceSize
        let key = payloadKey(fileKey: fileKey, nonce: payload[payload.startIndex..<nonceEnd])
        guard nonceEnd < payload.endIndex else { throw failure("payload has no chunks") }
        let sealedChunk = chunkSize + tagSize
        var plaintext: [UInt8] = []
        plaintext.reserveCapacity(payload.count)
        var offset = nonceEnd
        var counter: UInt64 = 0
        while true {
            let remaining = payload.endIndex - offset
            // Only the final chunk may be shorter than a full one, so a full chunk followed by more data is not last.
            let isLast = remaining <= sealedChunk
            let length = isLast ? remaining : sealedChunk
            guard length >= tagSize else { throw failure("chunk \(counter) is shorter than its tag") }
            if isLast, length == tagSize, counter > 0 {
                throw failure("final chunk is empty but the payload is not")
            }
            let chunk = payload[offset..<(offset + length)]
            do {
                let box = try ChaChaPoly.SealedBox(
                    nonce: chunkNonce(counter, last: isLast),
                    ciphertext: chunk.dropLast(tagSize),
                    tag: chunk.suffix(tagSize))
                plaintext += try ChaChaPoly.open(box, using: key)
            } catch {
                let hint = isLast ? " (truncated, tampered or followed by trailing data)" : ""
                throw failure("chunk \(counter) failed authentication\(hint)", cause: error)
            }
            if isLast { return plaintext }
            offset += length
            counter += 1
        }
    }

    private static func payloadKey(fileKey: SymmetricKey, nonce: some DataProtocol) -> SymmetricKey {
        HKDF<SHA256>.deriveKey(
            inputKeyMaterial: fileKey, salt: nonce,
            info: Array("payload".utf8), outputByteCount: 32)
    }

    /// The 12-byte chunk nonce: an 11-byte big-endian counter and a last-chunk flag.
    private static func chunkNonce(_ counter: UInt64, last: Bool) -> ChaChaPoly.Nonce {
        var bytes = [UInt8](repeating: 0, count: 12)
        for index in 0..<8 {
            bytes[10 - index] = UInt8(truncatingIfNeeded: counter >> UInt64(8 * index))
        }
        bytes[11] = last ? 1 : 0
        // A 12-byte buffer is always a valid ChaCha20-Poly1305 nonce.
        return try! ChaChaPoly.Nonce(data: bytes)
    }

    private static func failure(_ message: String, cause: (any Error & Sendable)? = nil) -> AgeError {
        AgeError(.payloadFailure, message, cause: cause)
    }
}

/// `count` bytes from the system's cryptographically secure generator.
func randomBytes(_ count: Int) -> [UInt8] {
    var generator = SystemRandomNumberGenerator()
    return (0..<count).map { _ in generator.next() }
}
