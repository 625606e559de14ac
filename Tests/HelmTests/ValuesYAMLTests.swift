import GoTemplate
import Testing

@testable import Helm

/// Values files read as Helm 4 reads them (expectations observed with the real helm 4.2.3).
@Suite struct ValuesYAMLTests {
    // Every number is a float64; YAML 1.1 words are booleans; timestamps stay strings.
    @Test(arguments: [
        ("1", Value.float(1)), ("0x1F", .float(31)), ("0777", .float(511)), ("0o17", .float(15)), ("1_000", .float(1000)),
        ("9223372036854775807", .float(9_223_372_036_854_775_807)), ("1e3", .float(1000)), (".5", .float(0.5)), ("+12", .float(12)),
        ("y", .bool(true)), ("Y", .bool(true)), ("yes", .bool(true)), ("on", .bool(true)), ("n", .bool(false)), ("off", .bool(false)),
        ("TRUE", .bool(true)), ("tRuE", .string("tRuE")), ("~", .null), ("Null", .null), ("", .null),
        ("2001-12-14t21:59:43.10-05:00", .string("2001-12-14t21:59:43.10-05:00")), ("2002-12-14", .string("2002-12-14")),
        ("1:20", .string("1:20")), ("!!binary aGVsbG8=", .string("hello")), ("!!str 12", .string("12")), ("!!float 3", .float(3)),
        ("!!int \"12\"", .float(12)), ("\"1\"", .string("1")), ("'0x1'", .string("0x1")),
        ("123456789012345678901234567890", .float(1.2345678901234568e+29)), ("1e999", .string("1e999")), ("08", .float(8)),
    ])
    func typesScalars(_ text: String, _ expected: Value) throws {
        let values = try HelmYAML.loadValues("x: \(text)\n")
        #expect(values["x"].map(describe) == describe(expected))
    }

    // Keys become strings the way sigs.k8s.io/yaml converts them.
    @Test func convertsKeys() throws {
        let values = try HelmYAML.loadValues("y: 1\nn: 2\non: 3\n1: 4\n1.5: 5\n0x1F: 6\n1e3: 7\n-0.0: 8\n1.0: 9\n0.1: 10\n1e20: 11\n")
        #expect(Set(values.keys) == ["true", "false", "1", "1.5", "31", "1000", "-0", "0.1", "1e+20"])
    }

    // go-yaml v2 applies a merge where it stands: later keys win, and of a merged list the first map wins.
    @Test func mergesKeysInOrder() throws {
        let values = try HelmYAML.loadValues("b: &b {x: 1, k: 2}\nm: {x: 0, <<: *b, k: 3}\nl: {<<: [*b, {x: 9, z: 1}]}\n")
        #expect(describe(values["m"]!) == describe(.map(["x": .float(1), "k": .float(3)])))
        #expect(describe(values["l"]!) == describe(.map(["x": .float(1), "k": .float(2), "z": .float(1)])))
    }

    // Nested aliases that would expand to billions of nodes fail instead of filling memory.
    @Test func aliasExpansionIsBounded() {
        var text = "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n"
        for level in 1...9 {
            text += "a\(level): &a\(level) [" + Array(repeating: "*a\(level - 1)", count: 10).joined(separator: ", ") + "]\n"
        }
        #expect {
            try HelmYAML.loadValues(text)
        } throws: { error in
            (error as? HelmYAMLError)?.message.contains("excessive aliasing") == true
        }
    }

    // The bound counts each node once, however deep: a large file without aliases stays under it.
    @Test func deepLargeFilesAreNotAliasing() throws {
        let text = "a:\n b:\n  c:\n   d:\n    e:\n     l:\n" + String(repeating: "     - x\n", count: 200_000)
        var node = Value.map(try HelmYAML.loadValues(text))
        for key in ["a", "b", "c", "d", "e", "l"] {
            guard let inner = node.mapEntries?[key] else {
                Issue.record("no \(key)")
                return
            }
            node = inner
        }
        guard case .list(let items, _) = node else {
            Issue.record("l is not a list")
            return
        }
        #expect(items.count == 200_000)
    }

    // The quick test in front of the table of YAML 1.1 words lets every word of it through.
    @Test func everyTableWordResolves() {
        for (word, value) in GoYAMLValue.table {
            #expect(String(describing: GoYAMLValue.resolvePlain(word)) == String(describing: value), "\(word)")
        }
    }

    // Helm 4 merges every document of a values file; null replaces, maps merge.
    @Test func mergesDocuments() throws {
        let values = try HelmYAML.loadValues("a: {x: 1, k: 2}\n---\na: {x: 3}\nb: 1\n---\nb: null\n---\n")
        #expect(describe(.map(values)) == describe(.map(["a": .map(["x": .float(3), "k": .float(2)]), "b": .null])))
    }

    // A separator may end in white space of any kind or a comment (helm 4.2.3 reads this file as {a: 1, b: 2, c: 3}).
    @Test func separatorsEndInWhiteSpaceOrComment() throws {
        let values = try HelmYAML.loadValues("a: 1\n---\r\nb: 2\n--- # x\r\nc: 3")
        #expect(describe(.map(values)) == describe(.map(["a": .float(1), "b": .float(2), "c": .float(3)])))
    }

    // Error texts as `helm template -f v.yaml` prints them after "failed to parse v.yaml: ".
    @Test(arguments: [
        ("a: \"x\n", "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: found unexpected end of stream"),
        ("a:\n  b: 1\n c: 2\n", "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 2: did not find expected key"),
        ("a: [1, 2\n", "cannot unmarshal yaml document: error converting YAML to JSON: yaml: line 1: did not find expected ',' or ']'"),
        ("a: {b: 1}}\n", "cannot unmarshal yaml document: error converting YAML to JSON: yaml: did not find expected key"),
        ("a: *nope\n", "cannot unmarshal yaml document: error converting YAML to JSON: yaml: unknown anchor 'nope' referenced"),
        ("a: .inf\n", "cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported value: +Inf"),
        ("a: .nan\n", "cannot unmarshal yaml document: error converting YAML to JSON: json: unsupported value: NaN"),
        (
            "- 1\n",
            "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
        ),
        (
            "\"a\"\n",
            "cannot unmarshal yaml document: error unmarshaling JSON: while decoding JSON: json: cannot unmarshal string into Go value of type map[string]interface {}"
        ),
        ("a: 1\n--- x\n", "error reading yaml document: invalid Yaml document separator: x"),
    ])
    func failsAsHelm(_ text: String, _ message: String) {
        #expect(throws: HelmYAMLError(message: message)) { try HelmYAML.loadValues(text) }
    }

    // fromYaml keeps the error in an "Error" key; fromYamlArray as the only item.
    @Test func fromYamlReportsErrorsInline() throws {
        let functions = HelmSerialization.functions
        let map = try functions["fromYaml"]!.body([.string("- 1")], NoContext())
        #expect(
            describe(map)
                == describe(
                    .map([
                        "Error": .string(
                            "error unmarshaling JSON: while decoding JSON: json: cannot unmarshal array into Go value of type map[string]interface {}"
                        )
                    ])))
        let list = try functions["fromYamlArray"]!.body([.string("a: 1")], NoContext())
        #expect(
            describe(list)
                == describe(
                    .list([
                        .string("error unmarshaling JSON: while decoding JSON: json: cannot unmarshal object into Go value of type []interface {}")
                    ])))
        let first = try functions["fromYaml"]!.body([.string("a: 1\n---\nb: 2\n")], NoContext())
        #expect(describe(first) == describe(.map(["a": .float(1)])))
    }

    // fromJson: Go's encoding/json errors and float64 numbers.
    @Test(arguments: [
        ("{\"a\": 1}", "{\"a\":1}"),
        ("{\"a\": 1", "{\"Error\":\"unexpected end of JSON input\"}"),
        ("{a: 1}", "{\"Error\":\"invalid character 'a' looking for beginning of object key string\"}"),
        ("[1]", "{\"Error\":\"json: cannot unmarshal array into Go value of type map[string]interface {}\"}"),
        ("{\"a\": tru}", "{\"Error\":\"invalid character '}' in literal true (expecting 'e')\"}"),
        ("{\"a\": 1} x", "{\"Error\":\"invalid character 'x' after top-level value\"}"),
        ("null", "null"),
        ("", "{\"Error\":\"unexpected end of JSON input\"}"),
    ])
    func fromJson(_ text: String, _ expected: String) throws {
        let map = try HelmSerialization.functions["fromJson"]!.body([.string(text)], NoContext())
        #expect(try GoJSON.encode(map) == expected)
    }
}

extension HelmYAMLError: Equatable {
    public static func == (lhs: HelmYAMLError, rhs: HelmYAMLError) -> Bool { lhs.message == rhs.message }
}

/// A comparable rendering of a value: its Go type and JSON text.
func describe(_ value: Value) -> String {
    "\(value.goType) " + ((try? GoJSON.encode(value)) ?? value.formatted)
}
