import BigInt
import _CryptoExtras

/// RSA keys as Go's `rsa.GenerateKey` makes them (two primes, e = 65537), drawn from a ``KeyStream`` so that the
/// same seed gives the same key.
enum RSAKeyGenerator {
    /// Go's public exponent.
    static let exponent = BigUInt(65537)

    /// A `bits`-bit key.
    static func generate(bits: Int, stream: inout KeyStream) throws -> _RSA.Signing.PrivateKey {
        let coprime: (BigUInt) -> Bool = { prime in (prime - 1) % exponent != 0 }
        while true {
            let p = PrimeGenerator.prime(bits: bits - bits / 2, stream: &stream, accept: coprime)
            let q = PrimeGenerator.prime(bits: bits / 2, stream: &stream, accept: coprime)
            guard p != q else { continue }
            let n = p * q
            let lambda = (p - 1) / (p - 1).greatestCommonDivisor(with: q - 1) * (q - 1)
            guard let d = exponent.inverse(lambda) else { continue }
            let (first, second) = p > q ? (p, q) : (q, p)
            return try _RSA.Signing.PrivateKey(
                n: n.serialize(), e: exponent.serialize(), d: d.serialize(), p: first.serialize(), q: second.serialize())
        }
    }
}
