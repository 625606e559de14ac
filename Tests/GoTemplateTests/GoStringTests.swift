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
            #expect(GoString.carriesRawBytes(text) == (String(validating: bytes, as: UTF8.self) == nil))
        }
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
