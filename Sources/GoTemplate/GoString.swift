import Foundation

/// Go strings hold any bytes; Swift strings hold Unicode. A byte that is not part of valid UTF-8
/// (a binary file read with `.Files.Get`) is carried in a `String` as one scalar of
/// U+10FF80…U+10FFFF, the last 128 code points of Supplementary Private Use Area-B, one for each
/// byte 0x80…0xFF (ASCII bytes are always valid). Wherever Go sees a string's bytes (`len`,
/// `b64enc`, `sha256sum`, `quote`, `printf "%x"`), `bytes(_:)` turns the scalar back into its byte.
/// Bytes that encode one of these private-use code points themselves are carried byte by byte, so
/// they too come back as they were; text built in Swift with such a code point would read as that
/// byte (no script or symbol is assigned there).
public enum GoString {
    private static let rawByteBase: UInt32 = 0x10FF00

    /// The string Go would hold for `bytes`: valid UTF-8 as it is, every other byte carried.
    public static func decode(_ bytes: some Collection<UInt8>) -> String {
        // Valid UTF-8 is kept as it is, unless it may encode a carrier code point itself (F4 8F BE/BF).
        if !bytes.contains(0xF4), let text = String(validating: bytes, as: UTF8.self) { return text }
        var scalars = String.UnicodeScalarView()
        var parser = Unicode.UTF8.ForwardParser()
        var iterator = bytes.makeIterator()
        var rest = bytes[...]
        while true {
            switch parser.parseScalar(from: &iterator) {
            case .valid(let encoded):
                let scalar = Unicode.UTF8.decode(encoded)
                if rawByte(scalar) != nil {
                    // A carrier code point in the input is carried byte by byte, so it comes back as those bytes.
                    for byte in rest.prefix(encoded.count) { scalars.append(Unicode.Scalar(rawByteBase + UInt32(byte))!) }
                } else {
                    scalars.append(scalar)
                }
                rest = rest.dropFirst(encoded.count)
            case .error(let length):
                // Go reads an invalid sequence one byte at a time.
                for byte in rest.prefix(length) { scalars.append(Unicode.Scalar(rawByteBase + UInt32(byte))!) }
                rest = rest.dropFirst(length)
            case .emptyInput: return String(scalars)
            }
        }
    }

    /// The byte a scalar carries, or nil for an ordinary scalar.
    public static func rawByte(_ scalar: Unicode.Scalar) -> UInt8? {
        scalar.value >= rawByteBase + 0x80 ? UInt8(scalar.value - rawByteBase) : nil
    }

    /// Whether `text` carries a byte that is not UTF-8.
    public static func carriesRawBytes(_ text: String) -> Bool {
        // Every carried byte is encoded F4 8F BE xx or F4 8F BF xx; most strings have no F4 at all,
        // which memchr finds out at memory speed (this runs for every string `toYaml` writes).
        let mayCarry =
            text.utf8.withContiguousStorageIfAvailable { bytes in
                bytes.isEmpty ? false : memchr(bytes.baseAddress!, 0xF4, bytes.count) != nil
            } ?? text.utf8.contains(0xF4)
        guard mayCarry else { return false }
        return text.unicodeScalars.contains { rawByte($0) != nil }
    }

    /// `text` with every carried byte written U+FFFD, as Go's `encoding/json` and `[]rune(s)` read it.
    public static func replacingRawBytes(_ text: String) -> String {
        guard carriesRawBytes(text) else { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { rawByte($0) == nil ? $0 : "\u{FFFD}" }))
    }

    /// The bytes Go would see in `text`.
    public static func bytes(_ text: String) -> [UInt8] {
        guard carriesRawBytes(text) else { return Array(text.utf8) }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count)
        for scalar in text.unicodeScalars {
            if let byte = rawByte(scalar) { out.append(byte) } else { out.append(contentsOf: String(scalar).utf8) }
        }
        return out
    }
}
