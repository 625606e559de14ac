import BigInt
import Foundation

/// DSA keys as Sprig's `genPrivateKey "dsa"` makes them (FIPS 186 L = 2048, N = 256 parameters, the smallest
/// generator h^((p-1)/q) from h = 2), drawn from a ``KeyStream`` so that the same seed gives the same key.
enum DSAKeyGenerator {
    /// A key with fresh parameters.
    static func generate(stream: inout KeyStream) -> DSAKey {
        let q = PrimeGenerator.prime(bits: 256, stream: &stream)
        let step = q << 1
        var p: BigUInt?
        while p == nil {
            var start = BigUInt(Data(stream.bytes(256)))
            start |= BigUInt(1) << 2047
            start = start - start % step + 1
            p = PrimeGenerator.search(from: start, step: step, bits: 2048, stream: &stream) { _ in true }
        }
        let prime = p!
        let arithmetic = Montgomery(prime)
        var h = BigUInt(2)
        var g = arithmetic.power(h, (prime - 1) / q)
        while g == 1 {
            h += 1
            g = arithmetic.power(h, (prime - 1) / q)
        }
        var x = BigUInt(0)
        while x == 0 || x >= q { x = BigUInt(Data(stream.bytes(32))) }
        return DSAKey(p: prime, q: q, g: g, y: arithmetic.power(g, x), x: x)
    }
}
