import Crypto
import Foundation
import GoTemplate

extension HelmFunctions {
    /// Sprig's encodings and checksums.
    static func encodings() -> [String: GoFunction] {
        [
            "b64enc": .stringToString { Data(GoString.bytes($0)).base64EncodedString() },
            "b64dec": .stringToString { text in
                GoBase.decode(text, alphabet: GoBase.base64, bitsPerSymbol: 6).map { GoString.decode($0) }
                    ?? "illegal base64 data at input byte \(GoBase.firstInvalid(text, alphabet: GoBase.base64, group: 4))"
            },
            "b32enc": .stringToString { GoBase.encode32(GoString.bytes($0)) },
            "b32dec": .stringToString { text in
                GoBase.decode(text, alphabet: GoBase.base32, bitsPerSymbol: 5).map { GoString.decode($0) }
                    ?? "illegal base32 data at input byte \(GoBase.firstInvalid(text, alphabet: GoBase.base32, group: 8))"
            },
            "sha1sum": .stringToString { hex(Insecure.SHA1.hash(data: GoString.bytes($0))) },
            "sha256sum": .stringToString { hex(SHA256.hash(data: GoString.bytes($0))) },
            "sha512sum": .stringToString { hex(SHA512.hash(data: GoString.bytes($0))) },
            "adler32sum": .stringToString { text in
                var (a, b): (UInt32, UInt32) = (1, 0)
                for byte in GoString.bytes(text) {
                    a = (a + UInt32(byte)) % 65521
                    b = (b + a) % 65521
                }
                return String(b << 16 | a)
            },
        ]
    }

    /// Lower-case hexadecimal of a digest.
    static func hex<D: Sequence>(_ digest: D) -> String where D.Element == UInt8 {
        digest.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined()
    }
}

/// Go's strict, padded standard base64 and base32 decoding.
enum GoBase {
    static let base64 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    static let base32 = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ234567".utf8)

    /// The decoded bytes, or nil when the text is not canonical padded input (newlines are skipped, as Go does).
    static func decode(_ text: String, alphabet: [UInt8], bitsPerSymbol: Int) -> [UInt8]? {
        let symbols = Array(text.utf8).filter { $0 != 0x0A && $0 != 0x0D }
        let group = bitsPerSymbol == 6 ? 4 : 8
        guard symbols.count % group == 0 else { return nil }
        var out: [UInt8] = []
        var buffer = 0
        var bits = 0
        var padding = false
        for symbol in symbols {
            if symbol == 0x3D {
                padding = true
                continue
            }
            guard !padding, let value = alphabet.firstIndex(of: symbol) else { return nil }
            buffer = buffer << bitsPerSymbol | value
            bits += bitsPerSymbol
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: buffer >> bits))
                buffer &= (1 << bits) - 1
            }
        }
        return out
    }

    /// Where Go reports the first illegal byte: the first character outside the alphabet, else the last group.
    static func firstInvalid(_ text: String, alphabet: [UInt8], group: Int) -> Int {
        let bytes = Array(text.utf8)
        if let index = bytes.firstIndex(where: { !alphabet.contains($0) && $0 != 0x3D && $0 != 0x0A && $0 != 0x0D }) { return index }
        if let pad = bytes.firstIndex(of: 0x3D), bytes[pad...].contains(where: { $0 != 0x3D }) { return pad }
        return bytes.count - bytes.count % group
    }

    /// Padded standard base32.
    static func encode32(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        for start in stride(from: 0, to: bytes.count, by: 5) {
            let chunk = Array(bytes[start..<min(start + 5, bytes.count)])
            var value: UInt64 = 0
            for index in 0..<5 { value = value << 8 | UInt64(index < chunk.count ? chunk[index] : 0) }
            let symbols = [0, 2, 4, 5, 7, 8][chunk.count]
            for index in 0..<8 {
                out.append(index < symbols ? base32[Int((value >> UInt64(35 - index * 5)) & 31)] : 0x3D)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
