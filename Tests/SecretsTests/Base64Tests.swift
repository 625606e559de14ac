import Testing

@testable import Secrets

/// Strict base64: exactly one accepted spelling per byte string.
struct Base64Tests {
    // Unpadded (age header) and padded (armor) decoding accept only canonical text.
    @Test(
        arguments: [
            ("", false, [UInt8]()),  // empty is valid
            ("Zg", false, Array("f".utf8)),  // two characters carry one byte
            ("Zm8", false, Array("fo".utf8)),  // three characters carry two bytes
            ("Zm9v", false, Array("foo".utf8)),  // a whole group
            ("Zh", false, nil),  // non-zero trailing bits: another spelling of "f"
            ("Zm9", false, nil),  // non-zero trailing bits: another spelling of "fo"
            ("Z", false, nil),  // one character cannot carry a byte
            ("Zg==", false, nil),  // padding where none is allowed
            ("Zm9v\n", false, nil),  // newlines are not skipped
            ("Zm 9v", false, nil),  // nor spaces
            ("Zm9-", false, nil),  // URL alphabet
            ("Zg==", true, Array("f".utf8)),  // padded form
            ("Zm8=", true, Array("fo".utf8)),  // one padding character
            ("Zg", true, nil),  // padding is required in armor
            ("Zg=", true, nil),  // partial padding
            ("Zh==", true, nil),  // non-canonical under padding too
            ("Z===", true, nil),  // three padding characters
            ("Zg==Zg==", true, nil),  // padding in the middle
        ] as [(String, Bool, [UInt8]?)])
    func decodesOnlyCanonical(_ text: String, _ padded: Bool, _ expected: [UInt8]?) {
        #expect(Base64.decode(Array(text.utf8), padded: padded) == expected)
    }

    // Encoding then decoding returns the bytes, for every length modulo 3, padded or not.
    @Test(arguments: 0..<7, [false, true])
    func roundTrips(_ length: Int, _ padded: Bool) {
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: $0 &* 97 &+ 13) }
        let text = Base64.encode(bytes, padded: padded)
        #expect(text.count % 4 == 0 || !padded)
        #expect(Base64.decode(text, padded: padded) == bytes)
    }
}
