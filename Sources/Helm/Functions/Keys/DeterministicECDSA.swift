import BigInt
import Crypto
import Foundation
import SwiftASN1
import X509

/// ECDSA signing with the nonce drawn from the render's random source (mixed with the key and the message, so two
/// messages never share a nonce): swift-crypto draws its nonces from the system, which would make a certificate
/// signed by an ECDSA CA key differ on every render.
struct DeterministicECDSA {
    /// A NIST prime curve (a = -3) in short Weierstrass form.
    struct Curve: Sendable {
        let p: BigUInt, n: BigUInt, gx: BigUInt, gy: BigUInt

        static let p256 = Curve(
            p: "FFFFFFFF00000001000000000000000000000000FFFFFFFFFFFFFFFFFFFFFFFF",
            n: "FFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551",
            gx: "6B17D1F2E12C4247F8BCE6E563A440F277037D812DEB33A0F4A13945D898C296",
            gy: "4FE342E2FE1A7F9B8EE7EB4A7C0F9E162BCE33576B315ECECBB6406837BF51F5")
        static let p384 = Curve(
            p: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFEFFFFFFFF0000000000000000FFFFFFFF",
            n: "FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFC7634D81F4372DDF581A0DB248B0A77AECEC196ACCC52973",
            gx: "AA87CA22BE8B05378EB1C71EF320AD746E1D3B628BA79B9859F741E082542A385502F25DBF55296C3A545E3872760AB7",
            gy: "3617DE4A96262C6F5D9E98BF9292DC29F8F41DBD289A147CE9DA3113B5F0B8C00A60B1CE1D7E819D7A431D7C90EA0E5F")
        static let p521 = Curve(
            p: "1" + String(repeating: "F", count: 130),
            n: "1FFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFFA51868783BF2F966B7FCC0148F709A5D03BB5C9B8899C47AEBB6FB71E91386409",
            gx: "C6858E06B70404E9CD9E3ECB662395B4429C648139053FB521F828AF606B4D3DBAA14B5E77EFE75928FE1DC127A2FFA8DE3348B3C1856A429BF97E7E31C2E5BD66",
            gy: "11839296A789A3BC0045C8A5FB42C7D1BD998F54449579B446817AFBD17273E662C97EE72995EF42640C550B9013FAD0761353C7086A272C24088BE94769FD16650")

        init(p: String, n: String, gx: String, gy: String) {
            (self.p, self.n, self.gx, self.gy) = (BigUInt(p, radix: 16)!, BigUInt(n, radix: 16)!, BigUInt(gx, radix: 16)!, BigUInt(gy, radix: 16)!)
        }
    }

    /// A point in Jacobian coordinates; Z = 0 is the point at infinity.
    private struct Point {
        var x: BigUInt, y: BigUInt, z: BigUInt
    }

    let curve: Curve
    let scalar: BigUInt

    /// `scalar · G` as affine coordinates, to check the curve against the key's public point.
    func publicPoint() -> (BigUInt, BigUInt)? { affine(multiply(scalar)) }

    /// The DER `ECDSA-Sig-Value` of `digest` with a nonce from `seed`, the scalar and the digest.
    func sign(digest: [UInt8], seed: [UInt8]) -> [UInt8] {
        let bits = curve.n.bitWidth
        var z = BigUInt(Data(digest))
        if digest.count * 8 > bits { z >>= digest.count * 8 - bits }
        let key = SymmetricKey(data: seed + Array(scalar.serialize()) + digest)
        var counter: UInt32 = 0
        while true {
            defer { counter += 1 }
            let block = Array(HMAC<SHA512>.authenticationCode(for: withUnsafeBytes(of: counter.bigEndian, Array.init), using: key))
            let extra = Array(HMAC<SHA512>.authenticationCode(for: withUnsafeBytes(of: (counter | 1 << 31).bigEndian, Array.init), using: key))
            let k = BigUInt(Data(block + extra)) % curve.n
            guard k != 0, let (x, _) = affine(multiply(k)) else { continue }
            let r = x % curve.n
            guard r != 0, let inverse = k.inverse(curve.n) else { continue }
            let s = inverse * ((z + r * scalar) % curve.n) % curve.n
            guard s != 0 else { continue }
            return PrivateKeyPEM.tlv(0x30, Self.integer(r) + Self.integer(s))
        }
    }

    private static func integer(_ value: BigUInt) -> [UInt8] {
        var bytes = Array(value.serialize())
        if bytes.isEmpty || bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
        return PrivateKeyPEM.tlv(0x02, bytes)
    }

    private func affine(_ point: Point) -> (BigUInt, BigUInt)? {
        guard point.z != 0, let inverse = point.z.inverse(curve.p) else { return nil }
        let inverse2 = inverse * inverse % curve.p
        return (point.x * inverse2 % curve.p, point.y * (inverse2 * inverse % curve.p) % curve.p)
    }

    private func multiply(_ k: BigUInt) -> Point {
        let generator = Point(x: curve.gx, y: curve.gy, z: 1)
        var result = Point(x: 1, y: 1, z: 0)
        for bit in stride(from: k.bitWidth - 1, through: 0, by: -1) {
            result = double(result)
            if k[bitAt: bit] { result = add(result, generator) }
        }
        return result
    }

    private func sub(_ a: BigUInt, _ b: BigUInt) -> BigUInt { a >= b ? a - b : a + curve.p - b }

    /// Doubling for a = -3 (dbl-2001-b).
    private func double(_ point: Point) -> Point {
        let p = curve.p
        guard point.z != 0, point.y != 0 else { return Point(x: 1, y: 1, z: 0) }
        let delta = point.z * point.z % p
        let gamma = point.y * point.y % p
        let beta = point.x * gamma % p
        let alpha = 3 * (sub(point.x, delta) * ((point.x + delta) % p) % p) % p
        let x = sub(alpha * alpha % p, 8 * beta % p)
        let z = sub(sub((point.y + point.z) * (point.y + point.z) % p, gamma), delta)
        let y = sub(alpha * sub(4 * beta % p, x) % p, 8 * (gamma * gamma % p) % p)
        return Point(x: x, y: y, z: z)
    }

    /// General addition (add-2007-bl).
    private func add(_ a: Point, _ b: Point) -> Point {
        let p = curve.p
        if a.z == 0 { return b }
        if b.z == 0 { return a }
        let z1z1 = a.z * a.z % p
        let z2z2 = b.z * b.z % p
        let u1 = a.x * z2z2 % p
        let u2 = b.x * z1z1 % p
        let s1 = a.y * b.z % p * z2z2 % p
        let s2 = b.y * a.z % p * z1z1 % p
        let h = sub(u2, u1)
        let r = 2 * sub(s2, s1) % p
        if h == 0 { return r == 0 ? double(a) : Point(x: 1, y: 1, z: 0) }
        let i = 4 * (h * h % p) % p
        let j = h * i % p
        let v = u1 * i % p
        let x = sub(sub(r * r % p, j), 2 * v % p)
        let y = sub(r * sub(v, x) % p, 2 * (s1 * j % p) % p)
        let z = sub(sub((a.z + b.z) * (a.z + b.z) % p, z1z1), z2z2) * h % p
        return Point(x: x, y: y, z: z)
    }
}
