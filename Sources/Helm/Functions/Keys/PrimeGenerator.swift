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

    /// The first probable prime among `start + k · step` for k below 2¹³, or nil when there is none or the search
    /// leaves `bits` bits. The sieve marks each k for which a small prime divides the candidate.
    static func search(
        from start: BigUInt, step: BigUInt = 2, bits: Int, stream: inout KeyStream, accept: (BigUInt) -> Bool
    ) -> BigUInt? {
        let window = 1 << 13
        var sieved = [Bool](repeating: false, count: window)
        for prime in smallPrimes {
            let stepResidue = residue(step, prime)
            guard stepResidue != 0 else { continue }
            // k ≡ -start · step⁻¹ (mod prime), the inverse by Fermat's little theorem.
            let first = (prime - residue(start, prime)) % prime * power(stepResidue, prime - 2, prime) % prime
            for k in stride(from: first, to: window, by: prime) { sieved[k] = true }
        }
        for k in 0..<window where !sieved[k] {
            let candidate = start + step * BigUInt(k)
            if candidate.bitWidth > bits { return nil }
            if accept(candidate), isProbablePrime(candidate, stream: &stream) { return candidate }
        }
        return nil
    }

    /// `value mod divisor` word by word, without BigInt's division.
    static func residue(_ value: BigUInt, _ divisor: Int) -> Int {
        var remainder: UInt = 0
        for word in value.words.reversed() { remainder = UInt(divisor).dividingFullWidth((high: remainder, low: word)).remainder }
        return Int(remainder)
    }

    /// `base^exponent mod modulus` for a modulus below 2¹⁶.
    private static func power(_ base: Int, _ exponent: Int, _ modulus: Int) -> Int {
        var (result, base, exponent) = (1, base % modulus, exponent)
        while exponent > 0 {
            if exponent & 1 == 1 { result = result * base % modulus }
            base = base * base % modulus
            exponent >>= 1
        }
        return result
    }

    /// Miller-Rabin with base 2 and then random bases (FIPS 186-5 table B.1's rounds for the size).
    static func isProbablePrime(_ n: BigUInt, stream: inout KeyStream) -> Bool {
        let bits = n.bitWidth
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
