/// Strict standard-alphabet base64: canonical encodings only, so an encoded value has exactly one spelling.
enum Base64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
    private static let reverse: [Int8] = {
        var table = [Int8](repeating: -1, count: 256)
        for (index, char) in alphabet.enumerated() { table[Int(char)] = Int8(index) }
        return table
    }()

    /// Encodes `bytes`, with `=` padding when `padded` is true.
    static func encode(_ bytes: some Collection<UInt8>, padded: Bool) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity((bytes.count + 2) / 3 * 4)
        var iterator = bytes.makeIterator()
        while let first = iterator.next() {
            let second = iterator.next()
            let third = second == nil ? nil : iterator.next()
            let group = UInt32(first) << 16 | UInt32(second ?? 0) << 8 | UInt32(third ?? 0)
            let count = second == nil ? 2 : (third == nil ? 3 : 4)
            for index in 0..<4 {
                if index < count {
                    output.append(alphabet[Int((group >> UInt32(18 - 6 * index)) & 63)])
                } else if padded {
                    output.append(UInt8(ascii: "="))
                }
            }
        }
        return output
    }

    /// Encodes `bytes` as a string, with `=` padding when `padded` is true.
    static func encodeString(_ bytes: some Collection<UInt8>, padded: Bool) -> String {
        String(decoding: encode(bytes, padded: padded), as: UTF8.self)
    }

    /// Decodes canonical base64, or returns nil for any other input (bad characters, padding, trailing bits).
    static func decode(_ text: some Collection<UInt8>, padded: Bool) -> [UInt8]? {
        var chars = Array(text)
        if padded {
            guard chars.count % 4 == 0 else { return nil }
            var padding = 0
            while padding < 2, chars.last == UInt8(ascii: "=") {
                chars.removeLast()
                padding += 1
            }
        }
        guard chars.count % 4 != 1 else { return nil }
        var output: [UInt8] = []
        output.reserveCapacity(chars.count * 3 / 4)
        var accumulator: UInt32 = 0
        var bits = 0
        for char in chars {
            let value = reverse[Int(char)]
            guard value >= 0 else { return nil }
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                output.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Leftover bits must be zero, otherwise two spellings would decode to the same bytes.
        guard accumulator == 0 else { return nil }
        return output
    }
}
