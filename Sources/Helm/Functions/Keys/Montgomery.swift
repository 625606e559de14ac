import BigInt

/// Modular exponentiation modulo an odd number in Montgomery form, on 64-bit words.
///
/// BigInt's `power(_:modulus:)` divides after every product, which makes a 1024-bit exponentiation take half a
/// second in a debug build; Montgomery multiplication needs no division and keeps key generation usable there.
struct Montgomery {
    private let modulus: [UInt64]
    private let inverse: UInt64
    private let rSquared: [UInt64]

    /// Arithmetic modulo `modulus`, which must be odd.
    init(_ modulus: BigUInt) {
        precondition(modulus.words[0] & 1 == 1, "Montgomery arithmetic needs an odd modulus")
        self.modulus = Self.words(modulus, count: modulus.words.count)
        var inverse: UInt64 = 1
        for _ in 0..<6 { inverse = inverse &* (2 &- self.modulus[0] &* inverse) }
        self.inverse = 0 &- inverse
        rSquared = Self.rSquared(self.modulus, modulus)
    }

    /// `base` to the power `exponent`, modulo the modulus.
    func power(_ base: BigUInt, _ exponent: BigUInt) -> BigUInt {
        let count = modulus.count
        var scratch = [UInt64](repeating: 0, count: count + 2)
        var one = [UInt64](repeating: 0, count: count)
        one[0] = 1
        let reduced = base % BigUInt(words: modulus.map { UInt($0) })
        let montgomeryBase = multiply(Self.words(reduced, count: count), rSquared, &scratch)
        // A fixed 4-bit window: base⁰…base¹⁵ once, then one product per four squarings.
        var powers = [multiply(one, rSquared, &scratch), montgomeryBase]
        for _ in 2..<16 { powers.append(multiply(powers[powers.count - 1], montgomeryBase, &scratch)) }
        var result = powers[0]
        let windows = (exponent.bitWidth + 3) / 4
        for window in stride(from: windows - 1, through: 0, by: -1) {
            for _ in 0..<4 { result = multiply(result, result, &scratch) }
            var digit = 0
            for bit in 0..<4 where exponent[bitAt: window * 4 + bit] { digit |= 1 << bit }
            if digit != 0 { result = multiply(result, powers[digit], &scratch) }
        }
        return BigUInt(words: multiply(result, one, &scratch).map { UInt($0) })
    }

    /// `a · b · R⁻¹ mod n` (coarsely integrated operand scanning), on raw buffers: array accesses with their
    /// checks would make it several times slower in a debug build.
    private func multiply(_ a: [UInt64], _ b: [UInt64], _ scratch: inout [UInt64]) -> [UInt64] {
        let count = modulus.count
        let n0 = inverse
        var result = [UInt64](repeating: 0, count: count)
        a.withUnsafeBufferPointer { a in
            b.withUnsafeBufferPointer { b in
                modulus.withUnsafeBufferPointer { n in
                    scratch.withUnsafeMutableBufferPointer { t in
                        result.withUnsafeMutableBufferPointer { out in
                            Self.multiply(a, b, n, n0, t, out)
                        }
                    }
                }
            }
        }
        return result
    }

    /// The product on raw pointers, with the multiply-adds written out and `while` loops: a debug build neither
    /// inlines calls, nor drops buffer bounds checks, nor optimizes range iterators, and this loop runs a million
    /// times per exponentiation.
    private static func multiply(
        _ a: UnsafeBufferPointer<UInt64>, _ b: UnsafeBufferPointer<UInt64>, _ n: UnsafeBufferPointer<UInt64>, _ n0: UInt64,
        _ scratch: UnsafeMutableBufferPointer<UInt64>, _ out: UnsafeMutableBufferPointer<UInt64>
    ) {
        let count = n.count
        let (a, b, n, t, out) = (a.baseAddress!, b.baseAddress!, n.baseAddress!, scratch.baseAddress!, out.baseAddress!)
        t.update(repeating: 0, count: count + 2)
        for i in 0..<count {
            var carry: UInt64 = 0
            let ai = a[i]
            var j = 0
            while j < count {
                let (high, low) = ai.multipliedFullWidth(by: b[j])
                let (sum1, overflow1) = low.addingReportingOverflow(t[j])
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                t[j] = sum2
                carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
                j += 1
            }
            let (top, overflow) = t[count].addingReportingOverflow(carry)
            t[count] = top
            t[count + 1] = overflow ? 1 : 0
            let m = t[0] &* n0
            let (high0, low0) = m.multipliedFullWidth(by: n[0])
            carry = high0 &+ (low0.addingReportingOverflow(t[0]).overflow ? 1 : 0)
            j = 1
            while j < count {
                let (high, low) = m.multipliedFullWidth(by: n[j])
                let (sum1, overflow1) = low.addingReportingOverflow(t[j])
                let (sum2, overflow2) = sum1.addingReportingOverflow(carry)
                t[j - 1] = sum2
                carry = high &+ (overflow1 ? 1 : 0) &+ (overflow2 ? 1 : 0)
                j += 1
            }
            let (sum, overflow2) = t[count].addingReportingOverflow(carry)
            t[count - 1] = sum
            t[count] = t[count + 1] &+ (overflow2 ? 1 : 0)
        }
        var below = t[count] == 0
        if below {
            below = false
            for index in stride(from: count - 1, through: 0, by: -1) where t[index] != n[index] {
                below = t[index] < n[index]
                break
            }
        }
        var borrow = false
        for j in 0..<count {
            guard !below else {
                out[j] = t[j]
                continue
            }
            let (difference, borrow1) = t[j].subtractingReportingOverflow(n[j])
            let (final, borrow2) = difference.subtractingReportingOverflow(borrow ? 1 : 0)
            out[j] = final
            borrow = borrow1 || borrow2
        }
    }

    /// R² mod n for R = 2^(64·count): R mod n doubled 64·count times, which is much cheaper than BigInt's
    /// division when the modulus has its top bit set (all primes here do).
    private static func rSquared(_ n: [UInt64], _ modulus: BigUInt) -> [UInt64] {
        let count = n.count
        guard n[count - 1] >> 63 == 1 else { return words((BigUInt(1) << (128 * count)) % modulus, count: count) }
        var x = words((BigUInt(1) << (64 * count)) - modulus, count: count)
        for _ in 0..<(64 * count) {
            var carry: UInt64 = 0
            for index in 0..<count {
                let next = x[index] >> 63
                x[index] = x[index] << 1 | carry
                carry = next
            }
            var below = carry == 0
            if below {
                below = false
                for index in stride(from: count - 1, through: 0, by: -1) where x[index] != n[index] {
                    below = x[index] < n[index]
                    break
                }
            }
            guard !below else { continue }
            var borrow = false
            for index in 0..<count {
                let (difference, borrow1) = x[index].subtractingReportingOverflow(n[index])
                let (final, borrow2) = difference.subtractingReportingOverflow(borrow ? 1 : 0)
                x[index] = final
                borrow = borrow1 || borrow2
            }
        }
        return x
    }

    /// The little-endian words of `value`, zero-padded to `count`.
    private static func words(_ value: BigUInt, count: Int) -> [UInt64] {
        var words = value.words.map { UInt64($0) }
        words += [UInt64](repeating: 0, count: max(0, count - words.count))
        return words
    }
}
