import Testing

@testable import Secrets

/// Bech32 as BIP 173 defines it, without the 90-character limit (age keys are longer).
struct Bech32Tests {
    // BIP 173's valid Bech32 strings decode, and re-encode to their lower-case spelling.
    @Test(arguments: [
        "A12UEL5L",  // upper case is valid
        "a12uel5l",  // the same in lower case
        "an83characterlonghumanreadablepartthatcontainsthenumber1andtheexcludedcharactersbio1tt5tgs",  // '1' inside the HRP
        "abcdef1qpzry9x8gf2tvdw0s3jn54khce6mua7lmqqqxw",  // every data character
        "11qqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqqc8247j",  // HRP "1", long data
        "split1checkupstagehandshakeupstreamerranterredcaperred2y9e3w",  // ordinary words
        "?1ezyfcl",  // punctuation in the HRP
    ])
    func validStringsRoundTrip(_ string: String) throws {
        let (hrp, data) = try Bech32.decode(string)
        #expect(Bech32.encode(hrp: hrp, data: data) == string.lowercased())
    }

    // BIP 173's invalid strings, each for the reason given, are refused as invalid keys.
    @Test(arguments: [
        "\u{20}1nwldj5",  // HRP character out of range
        "\u{7F}1axkwrx",  // HRP character out of range
        "pzry9x0s0muk",  // no separator
        "1pzry9x0s0muk",  // empty HRP
        "x1b4n0q5v",  // invalid data character
        "li1dgmt3",  // checksum too short
        "de1lg7wt\u{FF}",  // invalid character in checksum
        "A1G7SGD8",  // checksum computed over the upper-case HRP
        "10a06t8",  // empty HRP
        "1qzzfhee",  // empty HRP
        "a12UEL5L",  // mixed case
        "a12uel5m",  // one character of the checksum changed
    ])
    func invalidStringsAreRefused(_ string: String) {
        #expect(throws: AgeError.self) { try Bech32.decode(string) }
    }

    // Leftover bits after the last whole byte must be zero, so each key has one spelling.
    // Both strings carry valid checksums (computed independently); only their padding bits differ.
    @Test(arguments: [
        ("age1luyvfgxs", [UInt8(0xff)]),  // groups 11111 11100: padding bits 00
        ("age1ll2lu7g0", nil),  // groups 11111 11111: padding bits 11
    ])
    func paddingBitsMustBeZero(_ string: String, _ expected: [UInt8]?) {
        #expect((try? Bech32.decode(string))?.data == expected)
    }
}
