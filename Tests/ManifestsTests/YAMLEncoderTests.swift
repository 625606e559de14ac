import Testing

@testable import Manifests

@Suite struct YAMLEncoderTests {
    /// Strings whose bare form would read as something else, in Keelson's reader or a YAML 1.1
    /// reader such as kubectl's, are quoted; ordinary words stay bare.
    @Test(arguments: [
        ("yes", true), ("on", true), ("y", true), ("NO", true), ("true", true), ("null", true), ("~", true),
        ("0123", true), ("1.0", true), ("1e3", true), ("1:20", true), ("0b1", true), (".5", true), ("1_000", true),
        ("2001-12-14", true), ("", true), (" lead", true), ("trail ", true), ("a: b", true), ("a #b", true),
        ("#x", true), ("-x", true), ("*x", true), ("&x", true), ("!x", true), ("[x", true), ("{x", true), ("<<", true),
        ("hello", false), ("nginx:1.25", false), ("a-b_c.d", false), ("http://x/y?z=1", false), ("v1.2.3", false),
        ("Hello World", false), ("ünïcödé", false),
    ])
    func quotesWhenNeeded(_ text: String, _ quoted: Bool) throws {
        let yaml = YAMLEncoder.encode(["k": .string(text)])
        #expect(yaml.hasPrefix("k: \"") == quoted, "\(text) → \(yaml)")
        let back = try YAMLDecoder().decode(yaml, file: "t")
        #expect(back.first?.value["k"] == .string(text))
    }

    @Test(arguments: [
        "line1\nline2\n", "no trailing newline\nat end", "two trailing\n\n", "  leading spaces\nx\n", "\nleading blank\n",
        "trailing space \nnext\n", "tab\tinside\nx\n", "cr\r\nlf\n", "bell\u{07}\n",
    ])
    func multiLineStringsRoundTrip(_ text: String) throws {
        let value: JSONValue = ["a": ["b": .string(text)], "list": [.string(text)]]
        let yaml = YAMLEncoder.encode(value)
        #expect(try YAMLDecoder().decode(yaml, file: "t").first?.value == value, "\(yaml)")
    }

    @Test func layoutMatchesKubectl() {
        let value: JSONValue = [
            "apiVersion": "v1", "kind": "Pod", "metadata": ["name": "p", "labels": [:]],
            "spec": ["containers": [["name": "c", "args": ["a", "b"], "ports": [["containerPort": 80]]]], "volumes": []],
        ]
        #expect(
            YAMLEncoder.encode(value) == """
                apiVersion: v1
                kind: Pod
                metadata:
                  name: p
                  labels: {}
                spec:
                  containers:
                  - name: c
                    args:
                    - a
                    - b
                    ports:
                    - containerPort: 80
                  volumes: []

                """)
    }

    @Test func documentsAreSeparated() {
        #expect(YAMLEncoder.encodeDocuments([["a": 1], ["b": 2.5]]) == "a: 1\n---\nb: 2.5\n")
    }
}
