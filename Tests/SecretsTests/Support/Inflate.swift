/// A small zlib (RFC 1950) / DEFLATE (RFC 1951) decoder for the CCTV vectors marked `compressed: zlib`.
///
/// Test-only: Foundation on Linux has no zlib API, and a package for one would be a dependency of the
/// whole project. Correctness is checked by the vectors themselves (payload SHA-256 and Adler-32).
enum Inflate {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private static let lengthBase = [
        3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31,
        35, 43, 51, 59, 67, 83, 99, 115, 131, 163, 195, 227, 258,
    ]
    private static let lengthExtra = [
        0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2,
        3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0,
    ]
    private static let distanceBase = [
        1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385,
        513, 769, 1025, 1537, 2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577,
    ]
    private static let distanceExtra = [
        0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7,
        8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13, 13,
    ]
    private static let codeLengthOrder = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15]

    /// Decompresses a zlib stream and checks its Adler-32.
    static func zlib(_ data: [UInt8]) throws -> [UInt8] {
        guard data.count >= 6, data[0] & 0x0f == 8, (Int(data[0]) << 8 | Int(data[1])) % 31 == 0,
            data[1] & 0x20 == 0
        else { throw Failure(description: "not a zlib stream") }
        var bits = BitReader(bytes: data, offset: 2)
        let output = try inflate(&bits)
        let trailer = bits.alignedOffset
        guard trailer + 4 <= data.count else { throw Failure(description: "missing Adler-32") }
        let expected = data[trailer..<trailer + 4].reduce(UInt32(0)) { $0 << 8 | UInt32($1) }
        guard adler32(output) == expected else { throw Failure(description: "Adler-32 mismatch") }
        return output
    }

    private static func inflate(_ bits: inout BitReader) throws -> [UInt8] {
        var out: [UInt8] = []
        var final = false
        while !final {
            final = try bits.read(1) == 1
            switch try bits.read(2) {
            case 0:
                let start = bits.alignedOffset
                guard start + 4 <= bits.bytes.count else { throw Failure(description: "truncated stored block") }
                let length = Int(bits.bytes[start]) | Int(bits.bytes[start + 1]) << 8
                let complement = Int(bits.bytes[start + 2]) | Int(bits.bytes[start + 3]) << 8
                guard length == ~complement & 0xffff, start + 4 + length <= bits.bytes.count else {
                    throw Failure(description: "bad stored block")
                }
                out += bits.bytes[(start + 4)..<(start + 4 + length)]
                bits = BitReader(bytes: bits.bytes, offset: start + 4 + length)
            case 1:
                let literals = Huffman(
                    lengths: Array(repeating: 8, count: 144) + Array(repeating: 9, count: 112)
                        + Array(repeating: 7, count: 24) + Array(repeating: 8, count: 8))
                try decodeBlock(&bits, literals: literals, distances: Huffman(lengths: Array(repeating: 5, count: 30)), into: &out)
            case 2:
                let (literals, distances) = try dynamicTables(&bits)
                try decodeBlock(&bits, literals: literals, distances: distances, into: &out)
            default:
                throw Failure(description: "reserved block type")
            }
        }
        return out
    }

    private static func dynamicTables(_ bits: inout BitReader) throws -> (Huffman, Huffman) {
        let literalCount = try bits.read(5) + 257
        let distanceCount = try bits.read(5) + 1
        let codeLengthCount = try bits.read(4) + 4
        var codeLengths = [Int](repeating: 0, count: 19)
        for index in 0..<codeLengthCount {
            codeLengths[codeLengthOrder[index]] = try bits.read(3)
        }
        let codeLengthCode = Huffman(lengths: codeLengths)
        var lengths: [Int] = []
        while lengths.count < literalCount + distanceCount {
            let symbol = try codeLengthCode.decode(&bits)
            switch symbol {
            case 0...15: lengths.append(symbol)
            case 16:
                guard let previous = lengths.last else { throw Failure(description: "repeat with no previous length") }
                lengths += Array(repeating: previous, count: 3 + (try bits.read(2)))
            case 17: lengths += Array(repeating: 0, count: 3 + (try bits.read(3)))
            default: lengths += Array(repeating: 0, count: 11 + (try bits.read(7)))
            }
        }
        guard lengths.count == literalCount + distanceCount else { throw Failure(description: "too many code lengths") }
        return (Huffman(lengths: Array(lengths[..<literalCount])), Huffman(lengths: Array(lengths[literalCount...])))
    }

    private static func decodeBlock(_ bits: inout BitReader, literals: Huffman, distances: Huffman, into out: inout [UInt8]) throws {
        while true {
            let symbol = try literals.decode(&bits)
            if symbol < 256 {
                out.append(UInt8(symbol))
                continue
            }
            if symbol == 256 { return }
            let lengthIndex = symbol - 257
            guard lengthIndex < lengthBase.count else { throw Failure(description: "bad length symbol") }
            let length = lengthBase[lengthIndex] + (try bits.read(lengthExtra[lengthIndex]))
            let distanceIndex = try distances.decode(&bits)
            guard distanceIndex < distanceBase.count else { throw Failure(description: "bad distance symbol") }
            let distance = distanceBase[distanceIndex] + (try bits.read(distanceExtra[distanceIndex]))
            guard distance <= out.count else { throw Failure(description: "distance before start of output") }
            for _ in 0..<length { out.append(out[out.count - distance]) }
        }
    }

    private static func adler32(_ bytes: [UInt8]) -> UInt32 {
        var a: UInt32 = 1
        var b: UInt32 = 0
        for byte in bytes {
            a = (a + UInt32(byte)) % 65521
            b = (b + a) % 65521
        }
        return b << 16 | a
    }

    /// Reads DEFLATE's least-significant-bit-first bit stream.
    struct BitReader {
        let bytes: [UInt8]
        private var offset: Int
        private var bit = 0

        init(bytes: [UInt8], offset: Int) {
            self.bytes = bytes
            self.offset = offset
        }

        /// The next byte boundary, where stored blocks and the trailer start.
        var alignedOffset: Int { bit == 0 ? offset : offset + 1 }

        mutating func read(_ count: Int) throws -> Int {
            var value = 0
            for index in 0..<count {
                guard offset < bytes.count else { throw Failure(description: "unexpected end of data") }
                value |= Int((bytes[offset] >> UInt8(bit)) & 1) << index
                bit += 1
                if bit == 8 { bit = 0; offset += 1 }
            }
            return value
        }
    }

    /// A canonical Huffman code decoded one bit at a time: counts per length, symbols in code order.
    struct Huffman {
        private var counts = [Int](repeating: 0, count: 16)
        private var symbols: [Int] = []

        init(lengths: [Int]) {
            for length in lengths where length > 0 { counts[length] += 1 }
            for length in 1..<16 {
                for (symbol, symbolLength) in lengths.enumerated() where symbolLength == length {
                    symbols.append(symbol)
                }
            }
        }

        func decode(_ bits: inout BitReader) throws -> Int {
            var code = 0
            var first = 0
            var index = 0
            for length in 1..<16 {
                code |= try bits.read(1)
                let count = counts[length]
                if code - first < count { return symbols[index + code - first] }
                index += count
                first = (first + count) << 1
                code <<= 1
            }
            throw Failure(description: "invalid Huffman code")
        }
    }
}
