import BigInt
import Foundation

/// Random probable primes drawn from a ``KeyStream``: a random odd start with its top two bits set, then the next
/// number past the small-prime sieve that passes Miller-Rabin.
enum PrimeGenerator {
    /// The odd primes below 2¹⁶, for the sieve.
    static let smallPrimes: [Int] = {
        var composite = [Bool](repeating: false, count: 1 << 16)
        var primes: [Int] = []
        for n in 3..<composite.count where !composite[n] {
            if n % 2 == 0 { continue }
            primes.append(n)
            for multiple in stride(from: n * n, to: composite.count, by: 2 * n) { composite[multiple] = true }
        }
        return primes
    }()

    /// A probable prime of exactly `bits` bits (top two bits set, so two of them multiply to `2 · bits` bits)
    /// for which `accept` holds.
    static func prime(bits: Int, stream: inout KeyStream, accept: (BigUInt) -> Bool = { _ in true }) -> BigUInt {
        while true {
            var start = BigUInt(Data(stream.bytes((bits + 7) / 8)))
            start &= (BigUInt(1) << bits) - 1
            start |= BigUInt(3) << (bits - 2)
            start |= 1
            if let prime = search(from: start, bits: bits, stream: &stream, accept: accept) { return prime }
        }
    }

    /// The first probable prime among `start + 2k` below `start + 2¹⁴`, or nil when there is none or the search
    /// leaves `bits` bits.
    static func search(from start: BigUInt, bits: Int, stream: inout KeyStream, accept: (BigUInt) -> Bool) -> BigUInt? {
        let window = 1 << 14
        var sieved = [Bool](repeating: false, count: window)
        let words = Array(start.words.reversed())
        for prime in smallPrimes {
            let divisor = UInt(prime)
            var remainder: UInt = 0
            for word in words { remainder = divisor.dividingFullWidth((high: remainder, low: word)).remainder }
            let residue = Int(remainder)
            for offset in stride(from: (prime - residue) % prime, to: window, by: prime) { sieved[offset] = true }
        }
        for offset in stride(from: 0, to: window, by: 2) where !sieved[offset] {
            let candidate = start + BigUInt(offset)
            if candidate.bitWidth - candidate.leadingZeroBitCount > bits { return nil }
            if accept(candidate), isProbablePrime(candidate, stream: &stream) { return candidate }
        }
        return nil
    }

    /// Miller-Rabin with base 2 and then random bases (FIPS 186-5 table B.1's rounds for the size).
    static func isProbablePrime(_ n: BigUInt, stream: inout KeyStream) -> Bool {
        let bits = n.bitWidth - n.leadingZeroBitCount
        let rounds = bits >= 1536 ? 4 : bits >= 1024 ? 5 : bits >= 512 ? 8 : 27
        let arithmetic = Montgomery(n)
        let nMinusOne = n - 1
        let twos = nMinusOne.trailingZeroBitCount
        let odd = nMinusOne >> twos
        for round in 0..<rounds {
            let base = round == 0 ? BigUInt(2) : BigUInt(Data(stream.bytes((bits + 7) / 8))) % (n - 3) + 2
            var x = arithmetic.power(base, odd)
            if x == 1 || x == nMinusOne { continue }
            var witness = true
            for _ in 1..<max(twos, 1) {
                x = x * x % n
                if x == nMinusOne {
                    witness = false
                    break
                }
            }
            if witness { return false }
        }
        return true
    }
}
