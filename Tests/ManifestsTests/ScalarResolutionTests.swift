import Testing

@testable import Manifests

/// Plain scalars resolve as kustomize v5 reads them (go-yaml v3 rules, then JSON).
@Suite struct ScalarResolutionTests {
    static let cases: [(String, JSONValue)] = [
        ("yes", "yes"),  // YAML 1.1 booleans stay strings
        ("on", "on"),
        ("True", true),  // only three spellings of each boolean
        ("tRUE", "tRUE"),
        ("0123", 83),  // a leading zero is octal
        ("08", 8.0),  // not octal, but a float
        ("0o17", 15),
        ("0x1F", 31),
        ("-0x1F", -31),
        ("0b101", 5),
        ("1_000", 1000),  // underscores are dropped
        ("1e3", 1000.0),
        (".5", 0.5),
        ("1.", 1.0),
        ("1e400", "1e400"),  // out of range: a string
        ("9223372036854775807", .number(JSONNumber(Int64.max))),
        ("9223372036854775808", .number(JSONNumber(UInt64(9_223_372_036_854_775_808)))),  // exact beyond Int64
        ("18446744073709551615", .number(JSONNumber(UInt64.max))),
        ("-9223372036854775809", -9.223372036854776e18),  // beyond every integer type: a float
        ("0xFFFFFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFFF"),  // a hex that fits nothing is a string
        ("~", nil),
        ("Null", nil),
        ("nUll", "nUll"),
        ("", nil),
        ("2001-12-14", "2001-12-14T00:00:00Z"),  // timestamps become RFC 3339 strings
        ("2001-12-14t21:59:43.10-05:00", "2001-12-14T21:59:43.1-05:00"),
        ("2001-12-14 21:59:43.10", "2001-12-14T21:59:43.1Z"),
        ("2001-12-14T21:59:43+00:00", "2001-12-14T21:59:43Z"),
        ("2001-02-29", "2001-02-29"),  // not a date: a string
        ("1:20", "1:20"),  // no sexagesimal numbers
        ("1.2.3", "1.2.3"),
        ("1.20", 1.2),
        ("+12", 12),
        ("+-1", "+-1"),
    ]

    @Test(arguments: cases)
    func resolves(_ text: String, _ expected: JSONValue) throws {
        let value = try ScalarResolver.resolve(text).get()
        #expect(value == expected)
        // Integers and floats are told apart, although 1 == 1.0 numerically.
        if case .number(let n) = expected, case .number(let m) = value {
            #expect(n.isFloatingPoint == m.isFloatingPoint, "\(text) has the wrong number type")
        }
    }

    @Test(arguments: [".inf", "-.Inf", ".NaN"])
    func nonFiniteFloatsAreRefused(_ text: String) {
        #expect(ScalarResolver.resolve(text) == .failure(.nonFinite))
    }

    @Test func tagsConstrainResolution() {
        #expect(ScalarResolver.resolve("123", tag: .string) == .success("123"))
        #expect(ScalarResolver.resolve("1", tag: .float) == .success(.number(JSONNumber(1.0))))
        #expect(ScalarResolver.resolve("1.5", tag: .int) == .failure(.mismatch(found: "!!float")))
        #expect(ScalarResolver.resolve("aGk=", tag: .binary) == .success("hi"))
    }
}
