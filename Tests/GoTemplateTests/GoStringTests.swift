import GoTemplate
import Testing

/// Go strings hold any bytes: a file that is not UTF-8 keeps its bytes through a `String`.
@Suite struct GoStringTests {
    @Test func anyBytesComeBackAsThey() {
        var generator = SystemRandomNumberGenerator()
        for length in 0..<400 {
            // Mostly high bytes, so that broken, truncated and valid sequences all occur.
            let bytes = (0..<length).map { _ in UInt8.random(in: 0x60...0xFF, using: &generator) }
            let text = GoString.decode(bytes)
            #expect(GoString.bytes(text) == bytes)
            let carrier = String(validating: bytes, as: UTF8.self)?.unicodeScalars.contains { GoString.rawByte($0) != nil } ?? false
            #expect(GoString.carriesRawBytes(text) == (String(validating: bytes, as: UTF8.self) == nil || carrier))
        }
    }

    /// Valid UTF-8 that encodes one of the carrier code points (U+10FFA1 is F4 8F BE A1) comes back
    /// as its bytes: a random run of the test above once drew it.
    @Test func bytesThatEncodeACarrierComeBackAsThey() {
        let bytes: [UInt8] = [0x61, 0xF4, 0x8F, 0xBE, 0xA1, 0x62]
        let text = GoString.decode(bytes)
        #expect(GoString.bytes(text) == bytes)
        #expect(GoString.carriesRawBytes(text))
    }

    @Test func validTextIsUnchanged() {
        let text = "café ☃ 𝄞"
        #expect(GoString.decode(Array(text.utf8)) == text)
    }

    @Test func goQuotesACarriedByteAsItsByte() {
        let text = GoString.decode([0x63, 0x61, 0x66, 0xE9, 0x0A])
        #expect(GoQuote.quote(text) == #""caf\xe9\n""#)
        #expect(GoString.replacingRawBytes(text) == "caf\u{FFFD}\n")
    }
}
