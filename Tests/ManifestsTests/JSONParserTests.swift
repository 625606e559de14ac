import Testing

@testable import Manifests

@Suite struct JSONParserTests {
    @Test func keepsOrderAndExactIntegers() throws {
        let value = try JSONParser.parse(#"{"z": 1, "a": 18446744073709551615, "m": -9223372036854775808, "f": 1.5e3, "s": "\u00e9\ud83d\ude00"}"#)
        #expect(value.objectValue?.keys.elements == ["z", "a", "m", "f", "s"])
        #expect(value["a"] == .number(JSONNumber(UInt64.max)))
        #expect(value["m"]?.intValue == Int64.min)
        #expect(value["f"] == 1500.0)
        #expect(value["s"] == "é😀")
    }

    @Test(arguments: [
        ("{\"a\": 1,}", 1, 9),  // trailing comma
        ("{\"a\": 1, \"a\": 2}", 1, 10),  // duplicate key, pointing at the second
        ("[1, 2", 1, 6),  // unterminated
        ("{\n  \"a\": tru\n}", 2, 8),  // bad literal
        ("01", 1, 1),  // leading zero
        ("\"tab\there\"", 1, 5),  // raw control character
        ("1e999", 1, 1),  // out of range
        ("[] x", 1, 4),  // trailing text
    ])
    func errorsNameLineAndColumn(_ text: String, _ line: Int, _ column: Int) {
        do {
            _ = try JSONParser.parse(text, file: "f.json")
            Issue.record("accepted \(text)")
        } catch {
            #expect(error.location == SourceLocation(file: "f.json", line: line, column: column), "\(error)")
        }
    }

    // Pins: objects and arrays end the same way (one pair of helpers): empty with white space
    // inside, and a missing separator names the container's own closer.
    @Test func containersEndAlike() throws {
        #expect(try JSONParser.parse("{ }") == .object([:]))
        #expect(try JSONParser.parse("[\n]") == .array([]))
        #expect(try JSONParser.parse(#"{"a": [1, {"b": []}] }"#)["a"]?.arrayValue?.count == 2)
        for (text, message, column) in [(#"{"a": 1 "b": 2}"#, "expected ',' or '}'", 9), ("[1 2]", "expected ',' or ']'", 4)] {
            do {
                _ = try JSONParser.parse(text, file: "f.json")
                Issue.record("accepted \(text)")
            } catch {
                #expect(error.message == message && error.location.column == column, "\(error)")
            }
        }
    }

    @Test func deepNestingIsRefused() {
        let deep = String(repeating: "[", count: 5000) + String(repeating: "]", count: 5000)
        #expect(throws: ManifestError.self) { try JSONParser.parse(deep) }
    }

    @Test(arguments: [
        #"{"a":[1,2.5,true,null,"x\n\"y\""],"b":{}}"#,
        #"{"unicode":"é\u0001","big":18446744073709551615,"neg":-1,"e":1e-07}"#,
    ])
    func writerRoundTrips(_ text: String) throws {
        let value = try JSONParser.parse(text)
        #expect(try JSONParser.parse(JSONWriter.compact(value)) == value)
        #expect(try JSONParser.parse(JSONWriter.pretty(value)) == value)
    }
}
