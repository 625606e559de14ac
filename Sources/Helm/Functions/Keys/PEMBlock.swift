import Foundation

/// One block of Go's `encoding/pem`: the first well-formed `-----BEGIN TYPE-----` … `-----END TYPE-----` in a text.
struct PEMBlock {
    /// The block's type (`RSA PRIVATE KEY`, `CERTIFICATE`).
    var type: String
    /// The decoded body.
    var bytes: [UInt8]

    /// The first block of `text`, skipping text before it and malformed blocks, as `pem.Decode` does; nil when none.
    static func first(in text: String) -> PEMBlock? {
        let lines = text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline).map { $0.trimmingCharacters(in: .whitespaces) }
        var index = 0
        while index < lines.count {
            defer { index += 1 }
            let line = lines[index]
            guard line.hasPrefix("-----BEGIN "), line.hasSuffix("-----"), line.count > 16 else { continue }
            let type = String(line.dropFirst(11).dropLast(5))
            guard let end = lines[(index + 1)...].firstIndex(where: { $0.hasPrefix("-----END ") }) else { return nil }
            guard lines[end] == "-----END \(type)-----" else { continue }
            let body = lines[(index + 1)..<end].filter { !$0.contains(":") }.joined()
            guard let bytes = Data(base64Encoded: body) else { continue }
            return PEMBlock(type: type, bytes: Array(bytes))
        }
        return nil
    }
}
