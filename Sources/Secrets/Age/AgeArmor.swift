/// The strict ASCII armor of age files: PEM-like, type `AGE ENCRYPTED FILE`, 64-column padded base64, no headers.
enum AgeArmor {
    static let beginLine = Array("-----BEGIN AGE ENCRYPTED FILE-----".utf8)
    static let endLine = Array("-----END AGE ENCRYPTED FILE-----".utf8)
    private static let whitespace: Set<UInt8> = [0x20, 0x09, 0x0A, 0x0B, 0x0C, 0x0D]

    /// Wraps binary age bytes in armor, ending with a newline.
    static func encode(_ bytes: [UInt8]) -> [UInt8] {
        let encoded = Base64.encode(bytes, padded: true)
        var out = beginLine + [UInt8(ascii: "\n")]
        out.reserveCapacity(encoded.count + encoded.count / AgeHeader.columnsPerLine + 80)
        var start = 0
        while start < encoded.count {
            let end = min(start + AgeHeader.columnsPerLine, encoded.count)
            out += encoded[start..<end] + [UInt8(ascii: "\n")]
            start = end
        }
        return out + endLine + [UInt8(ascii: "\n")]
    }

    /// Whether `bytes`, after leading whitespace, start like an armored file.
    static func looksArmored(_ bytes: [UInt8]) -> Bool {
        let start = bytes.firstIndex { !whitespace.contains($0) } ?? bytes.endIndex
        return bytes[start...].starts(with: Array("-----BEGIN".utf8))
    }

    /// Removes the armor, accepting only whitespace around it and LF or CRLF line ends inside it.
    static func decode(_ bytes: [UInt8]) throws(AgeError) -> [UInt8] {
        let start = bytes.firstIndex { !whitespace.contains($0) } ?? bytes.endIndex
        let end = (bytes.lastIndex { !whitespace.contains($0) } ?? (start - 1)) + 1
        guard start < end else { throw failure("input is empty") }
        var lines = bytes[start..<end].split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        for index in lines.indices where lines[index].last == UInt8(ascii: "\r") {
            lines[index] = lines[index].dropLast()
        }
        guard let first = lines.first, first.elementsEqual(beginLine) else {
            throw failure("first line is not \"-----BEGIN AGE ENCRYPTED FILE-----\"")
        }
        guard lines.count >= 2, let last = lines.last, last.elementsEqual(endLine) else {
            throw failure("last line is not \"-----END AGE ENCRYPTED FILE-----\" or is followed by data")
        }
        let body = lines[1..<(lines.count - 1)]
        var encoded: [UInt8] = []
        encoded.reserveCapacity(body.count * AgeHeader.columnsPerLine)
        for (offset, line) in body.enumerated() {
            let isLast = offset == body.count - 1
            guard isLast ? (1...AgeHeader.columnsPerLine).contains(line.count) : line.count == AgeHeader.columnsPerLine
            else {
                throw failure(
                    "armor line \(offset + 2) is not 64 columns "
                        + "(only the last line may be shorter, and never empty)")
            }
            encoded += line
        }
        guard let decoded = Base64.decode(encoded, padded: true) else {
            throw failure("armor body is not canonical padded base64")
        }
        return decoded
    }

    private static func failure(_ message: String) -> AgeError {
        AgeError(.armorFailure, message)
    }
}
