import BigInt
import Foundation
import SwiftASN1

/// A DSA private key in the ASN.1 form Sprig writes (`DSAKeyFormat`: version 0, P, Q, G, Y, X).
struct DSAKey {
    var p: BigUInt, q: BigUInt, g: BigUInt, y: BigUInt, x: BigUInt

    /// The key of a `DSA PRIVATE KEY` body, or nil when it is not that structure.
    init?(der: [UInt8]) {
        guard
            let numbers = try? DER.sequence(
                DER.parse(der), identifier: .sequence,
                { nodes in
                    var numbers: [BigUInt] = []
                    while let node = nodes.next() {
                        guard case .primitive(let bytes) = node.content, node.identifier == .integer else {
                            throw ASN1Error.invalidASN1Object(reason: "DSA")
                        }
                        numbers.append(BigUInt(Data(bytes)))
                    }
                    return numbers
                }), numbers.count == 6
        else { return nil }
        (p, q, g, y, x) = (numbers[1], numbers[2], numbers[3], numbers[4], numbers[5])
    }

    init(p: BigUInt, q: BigUInt, g: BigUInt, y: BigUInt, x: BigUInt) {
        (self.p, self.q, self.g, self.y, self.x) = (p, q, g, y, x)
    }

    /// `asn1.Marshal` of Sprig's `DSAKeyFormat`.
    var der: [UInt8] {
        let integers = [BigUInt(0), p, q, g, y, x].map { number -> [UInt8] in
            var bytes = Array(number.serialize())
            if bytes.isEmpty || bytes[0] & 0x80 != 0 { bytes.insert(0, at: 0) }
            return PrivateKeyPEM.tlv(0x02, bytes)
        }
        return PrivateKeyPEM.tlv(0x30, integers.flatMap { $0 })
    }
}
