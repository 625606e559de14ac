/// The Blowfish cipher state bcrypt's expensive key schedule works on.
///
/// The initial P-array and S-boxes are the hexadecimal digits of π; they are computed once (Machin's
/// formula in fixed point) instead of being spelled out as a thousand constants.
struct Blowfish {
    var p: [UInt32]
    var s: [UInt32]

    /// The state before any key: π's fractional digits, 18 P words then 4 × 256 S words.
    static let initial: Blowfish = {
        let words = PiDigits.fractionWords(18 + 1024)
        return Blowfish(p: Array(words[0..<18]), s: Array(words[18...]))
    }()

    @inline(__always) private func f(_ x: UInt32) -> UInt32 {
        let a = s[Int(x >> 24)]
        let b = s[256 + Int((x >> 16) & 0xFF)]
        let c = s[512 + Int((x >> 8) & 0xFF)]
        let d = s[768 + Int(x & 0xFF)]
        return ((a &+ b) ^ c) &+ d
    }

    /// Encrypts one 64-bit block given as two halves.
    func encrypt(_ left: UInt32, _ right: UInt32) -> (UInt32, UInt32) {
        var (l, r) = (left, right)
        for round in stride(from: 0, to: 16, by: 2) {
            l ^= p[round]
            r ^= f(l)
            r ^= p[round + 1]
            l ^= f(r)
        }
        return (r ^ p[17], l ^ p[16])
    }

    /// bcrypt's `ExpandKey` (with a salt) or Blowfish's key schedule (with an empty salt).
    mutating func expand(key: [UInt8], salt: [UInt8]) {
        var keyIndex = 0
        for i in 0..<18 { p[i] ^= Self.word(key, &keyIndex) }
        var saltIndex = 0
        var (l, r): (UInt32, UInt32) = (0, 0)
        for i in stride(from: 0, to: 18, by: 2) {
            if !salt.isEmpty {
                l ^= Self.word(salt, &saltIndex)
                r ^= Self.word(salt, &saltIndex)
            }
            (l, r) = encrypt(l, r)
            (p[i], p[i + 1]) = (l, r)
        }
        for i in stride(from: 0, to: 1024, by: 2) {
            if !salt.isEmpty {
                l ^= Self.word(salt, &saltIndex)
                r ^= Self.word(salt, &saltIndex)
            }
            (l, r) = encrypt(l, r)
            (s[i], s[i + 1]) = (l, r)
        }
    }

    /// The next four bytes of `data`, cyclically, as a big-endian word.
    private static func word(_ data: [UInt8], _ index: inout Int) -> UInt32 {
        var word: UInt32 = 0
        for _ in 0..<4 {
            word = word << 8 | UInt32(data[index])
            index = (index + 1) % data.count
        }
        return word
    }
}

/// π in fixed point, for Blowfish's constants.
enum PiDigits {
    /// The first `count` 32-bit words of π's fractional part.
    static func fractionWords(_ count: Int) -> [UInt32] {
        let limbs = count + 3
        var pi = arctan(5, limbs)
        multiply(&pi, 4)
        var other = arctan(239, limbs)
        subtract(&pi, &other)
        multiply(&pi, 4)
        return Array(pi[1...count])
    }

    /// arctan(1/x) with one integer limb and `limbs` fraction limbs, most significant first.
    private static func arctan(_ x: UInt32, _ limbs: Int) -> [UInt32] {
        var term = [UInt32](repeating: 0, count: limbs + 1)
        term[0] = 1
        divide(&term, x)
        var sum = term
        let square = x * x
        var k: UInt32 = 1
        while true {
            divide(&term, square)
            var part = term
            divide(&part, 2 * k + 1)
            if part.allSatisfy({ $0 == 0 }) { break }
            if k % 2 == 1 { subtract(&sum, &part) } else { add(&sum, &part) }
            k += 1
        }
        return sum
    }

    private static func divide(_ number: inout [UInt32], _ divisor: UInt32) {
        var remainder: UInt64 = 0
        for i in number.indices {
            let current = remainder << 32 | UInt64(number[i])
            number[i] = UInt32(current / UInt64(divisor))
            remainder = current % UInt64(divisor)
        }
    }

    private static func multiply(_ number: inout [UInt32], _ factor: UInt32) {
        var carry: UInt64 = 0
        for i in number.indices.reversed() {
            let current = UInt64(number[i]) * UInt64(factor) + carry
            number[i] = UInt32(truncatingIfNeeded: current)
            carry = current >> 32
        }
    }

    private static func add(_ number: inout [UInt32], _ other: inout [UInt32]) {
        var carry: UInt64 = 0
        for i in number.indices.reversed() {
            let current = UInt64(number[i]) + UInt64(other[i]) + carry
            number[i] = UInt32(truncatingIfNeeded: current)
            carry = current >> 32
        }
    }

    private static func subtract(_ number: inout [UInt32], _ other: inout [UInt32]) {
        var borrow: Int64 = 0
        for i in number.indices.reversed() {
            var current = Int64(number[i]) - Int64(other[i]) - borrow
            borrow = current < 0 ? 1 : 0
            if current < 0 { current += 1 << 32 }
            number[i] = UInt32(current)
        }
    }
}

/// OpenBSD's bcrypt (`$2a$`), as Go's `x/crypto/bcrypt` produces it.
enum Bcrypt {
    private static let alphabet = Array("./ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789".utf8)

    /// The hash of `password` with `salt` (16 bytes) at `cost`.
    static func hash(_ password: [UInt8], salt: [UInt8], cost: Int) -> String {
        let key = Array((password + [0]).prefix(72))
        var state = Blowfish.initial
        state.expand(key: key, salt: salt)
        for _ in 0..<(1 << cost) {
            state.expand(key: key, salt: [])
            state.expand(key: salt, salt: [])
        }
        var text: [UInt32] = [0x4F72_7068, 0x6561_6E42, 0x6568_6F6C, 0x6465_7253, 0x6372_7944, 0x6F75_6274]
        for _ in 0..<64 {
            for i in stride(from: 0, to: 6, by: 2) { (text[i], text[i + 1]) = state.encrypt(text[i], text[i + 1]) }
        }
        let bytes = text.flatMap { word in (0..<4).map { UInt8(truncatingIfNeeded: word >> (24 - 8 * $0)) } }
        let costText = cost < 10 ? "0\(cost)" : "\(cost)"
        return "$2a$" + costText + "$" + encode(salt) + encode(Array(bytes.prefix(23)))
    }

    /// bcrypt's unpadded base64 with its own alphabet.
    static func encode(_ bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        var index = 0
        while index < bytes.count {
            let b0 = bytes[index]
            let b1 = index + 1 < bytes.count ? bytes[index + 1] : 0
            let b2 = index + 2 < bytes.count ? bytes[index + 2] : 0
            out.append(alphabet[Int(b0 >> 2)])
            out.append(alphabet[Int((b0 & 0x03) << 4 | b1 >> 4)])
            if index + 1 < bytes.count { out.append(alphabet[Int((b1 & 0x0F) << 2 | b2 >> 6)]) }
            if index + 2 < bytes.count { out.append(alphabet[Int(b2 & 0x3F)]) }
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// bcrypt's base64 decoding (for salts given in tests).
    static func decode(_ text: String) -> [UInt8] {
        let values = text.utf8.map { UInt32(alphabet.firstIndex(of: $0) ?? 0) }
        var out: [UInt8] = []
        var index = 0
        while index < values.count {
            let chunk = values[index..<min(index + 4, values.count)]
            var buffer: UInt32 = 0
            for value in chunk { buffer = buffer << 6 | value }
            buffer <<= UInt32(6 * (4 - chunk.count))
            for byte in 0..<(chunk.count - 1) { out.append(UInt8(truncatingIfNeeded: buffer >> (16 - 8 * byte))) }
            index += 4
        }
        return out
    }
}
