import KeelsonTesting
import Manifests
import Testing

/// `SimpleYAMLEvents` against libyaml itself: whatever it reads must be valid YAML with the
/// very events libyaml gives; whatever it cannot vouch for it leaves to libyaml.
@Suite struct SimpleYAMLEventsTests {
    /// Every event of a source, scalars with their text and whether they are plain, tags and anchors.
    private static func events(_ source: inout some YAMLEventSource) throws -> [String] {
        var events: [String] = []
        while true {
            let kind = try source.next()
            var event = "\(kind)"
            if kind == .scalar { event += " \(source.scalarValue)" + (source.isPlainScalar ? "" : " quoted") }
            if source.hasExplicitTag { event += " tagged" }
            if let tag = source.tag { event += " tag=\(tag)" }
            if let anchor = source.anchor { event += " anchor=\(anchor)" }
            events.append(event)
            if kind == .streamEnd { return events }
        }
    }

    /// libyaml's events, or nil when libyaml refuses the text.
    private static func libyaml(_ text: String) -> [String]? {
        var parser = YAMLEventParser(Array(text.utf8))
        return try? events(&parser)
    }

    /// The subset reader's events, or nil when it leaves the text to libyaml.
    private static func simple(_ text: String) -> [String]? {
        Array(text.utf8).withUnsafeBufferPointer { bytes in
            guard var source = SimpleYAMLEvents(bytes) else { return nil }
            return try? events(&source)
        }
    }

    /// What charts render: each of these is read without libyaml, with libyaml's events.
    static let rendered = [
        "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n  labels:\n    app.kubernetes.io/name: web\ndata:\n  a: \"1\"\n",
        "kind: Deployment\nspec:\n  template:\n    spec:\n      containers:\n      - name: web\n        image: \"nginx:1.27\"\n"
            + "        ports:\n        - {name: http, containerPort: 8080}\n        env:\n          - name: A\n            value: 'it''s'\n",
        "# Source: chart/templates/a.yaml\nkind: Service\nmetadata:\n  name: a # trailing comment\n  annotations:\n"
            + "    \"helm.sh/hook\": pre-install\n    checksum/config: 0a1b#2c\nspec:\n  ports: []\n  selector: {}\n",
        "items:\n- - a\n  - b\n-\n- c:\n  - d\n  e: [1, [2, {f: g}], \"h\\\"i\"]\nnull:\nlast: ~\n",
        "  indented:\n    root: true\n\n\n",
        "# only a comment\n\n",
        "",
        "data:\n  app.conf: |\n    a: 1\n\n    # not a comment\n      deeper\n  b: |-\n    x\n\n\nnext: y\nlist:\n- |\n  item\n",
        "a: |\n\n  after a blank line\n  \n  x",
        "args:\n- -Xmx1g\n- --flag=a b {c} [d]\n- \"escaped \\\\ \\n \\t\"\nkey: value with 'quotes' and \"doubles\"\n",
    ]

    @Test(arguments: rendered)
    func readsWhatChartsRenderAsLibyamlDoes(text: String) throws {
        let expected = try #require(Self.libyaml(text))
        #expect(Self.simple(text) == expected)
    }

    /// Valid YAML outside the subset, and errors: all left to libyaml.
    static let leftToLibyaml = [
        "a: &x 1\nb: *x\n", "a: !!str 1\n", "a: |+\n  text\n", "a: |2\n  text\n", "a: >-\n  text\n", "a: |\n  \n  x\n", "a: |\nb: c\n",
        "a: multi\n  line\n", "a:\n\tb: 1\n",
        "a: caf\u{E9}\n", "a: b\r\n", "a: {b: c,\n  d: e}\n", "? a\n: b\n", "a: b\n---\nc: d\n", "%YAML 1.1\n---\na: b\n",
        "a: \"\\x41\"\n", "a: \"\\/\"\n", "a : b\n", "{a: b}\n", "[a]\n", "scalar\n", "a: [b,]\n",
        // Errors.
        "a: b: c\n", "a: b\n  c: d\n", "- a\nb: c\n", "a:\n    b: 1\n  c: 2\n", "a: 'open\n", "a: [b\n", "a: - b\n", "a: b\n c\n",
    ]

    @Test(arguments: leftToLibyaml)
    func leavesTheRestToLibyaml(text: String) {
        #expect(Self.simple(text) == nil)
    }

    /// Thousands of documents from fragments chosen to sit on the subset's edges, valid and not:
    /// every one the subset reader reads, libyaml reads with the same events.
    @Test func neverDisagreesWithLibyaml() throws {
        let keys = [
            "a", "kind", "metadata", "name", "annotations", "helm.sh/hook", "app.kubernetes.io/name", "\"quoted key\"", "'single'", "<<",
            "8080", "a b", "-x", "k:v", "\"e\\\"k\"", "x#y", "_", ".dot", "a/b-c",
        ]
        // Values the subset reads, then values on or past its edges.
        let plainValues = [
            "Pod", "x", "1", "-1", "true", "~", "", "a #c", "a#b", "'s'", "'it''s'", "\"d\"", "\"e\\\"q\"", "{a: b}", "{a: b, c: [1, 2]}", "[]",
            "{}", "a [b] {c}", "x   ", "http://a:b", "[a, {b: c}]", "value with spaces", "{ a: b }", "[ 1 ,2 ]", "\"a\" # c", "[a] #c",
            "-Xmx", "--", "{\"k\": v}", "{'k': v}", "''", "\"\"", "a, b", "50%", "x!", "a'b", "[-1, -x]", "|", "|-", "| # c",
            "[--metrics=:9090, a:b]", "[--a, -1, -b-]", "{url: http://x:80/y}",
        ]
        let edgeValues = [
            "a: b", "\"\\x41\"", "\"\\/\"", "[a, b,]", "{a: }", "{a:b}", "&anc x", "*anc", "!tag x", "|", ">", "@x", "`x", "%x", "x: y",
            "- x", "-", "? x", ":x", "[a]b", "\"open", "'open", "{url: http://x}", "a\tb", "caf\u{E9}", "'a' b", "\"a\"#c", "a:", "{a: b}}",
            "[[a]]", "[-]", "[- a]", "{a: b} c", "[a, ? b]", "x #", "#x", "a ,b", "{a: [b}", "\"\\\"", "|+", "|2", ">-", "|#x", "|-2",
            "[a:, b]", "[a:]", "{a: b:}", "[a:,b]", "{a: :b}", "[a :b]", "[a:[b]]", "{a: b:{c}}", "[a:?]", "[:a]", "[-]", "[-,a]", "[- ]", "[-[a]]",
            "[--]",
        ]
        var generator = SeededGenerator(state: 0x5EED)
        var accepted = 0
        var refusedValid = 0
        for round in 0..<40_000 {
            // Every fourth document leans on literal block scalars and the lines that may follow them.
            let literalValues = ["|", "|-", "x", "a: b", "# c", "", "- y", "|+"]
            let values = round % 4 == 3 ? literalValues : round % 2 == 0 ? plainValues : plainValues + edgeValues
            var text = ""
            var indent = 0
            for _ in 0..<(1 + Int.random(in: 0..<8, using: &generator)) {
                // Mostly the indentation YAML wants, sometimes off by one or two.
                switch Int.random(in: 0..<10, using: &generator) {
                case 0: indent = max(0, indent - 2)
                case 1: indent += 2
                case 2: indent = Int.random(in: 0..<7, using: &generator)
                case 3: indent = 0
                default: break
                }
                let key = keys[Int.random(in: 0..<keys.count, using: &generator)]
                let value = values[Int.random(in: 0..<values.count, using: &generator)]
                let line: String
                switch Int.random(in: 0..<12, using: &generator) {
                case 0, 1, 2: line = "\(key): \(value)"
                case 3, 4: line = "\(key):"
                case 5: line = "- \(value)"
                case 6, 7: line = "- \(key): \(value)"
                case 8: line = Int.random(in: 0..<2, using: &generator) == 0 ? "-" : "- - \(value)"
                case 9: line = "# \(value)"
                case 10: line = ""
                default: line = value
                }
                text += String(repeating: " ", count: indent) + line + "\n"
            }
            guard let simple = Self.simple(text) else {
                if Self.libyaml(text) != nil { refusedValid += 1 }
                continue
            }
            accepted += 1
            let libyaml = Self.libyaml(text)
            #expect(libyaml == simple, "\(text.debugDescription)")
            if libyaml != simple { return }
        }
        // Both ways taken often, or the corpus tests little.
        #expect(accepted > 5_000)
        #expect(refusedValid > 1_000)
    }
}
