import Foundation
import GoTemplate
import KeelsonTesting
import Testing

@testable import Helm

/// The real helm 4.2.3 renders `.Values` of an empty chart given `-f` files and `--set` flags;
/// Keelson's merge and codecs must print the same bytes.
@Suite struct ValuesConformanceTests {
    static let template = """
        # JSON {{ toJson .Values | b64enc }}
        # YAML {{ toYaml .Values | b64enc }}
        # PRETTY {{ toYamlPretty .Values | b64enc }}
        # RAW {{ toRawJson .Values | b64enc }}
        # TOML {{ toToml .Values | b64enc }}

        """

    static let first = """
        replicas: 1
        big: 1000000
        ratio: 1.5
        hex: 0x1F
        octal: 0777
        flags: {y: y, n: no, on: on, off: off, t: True}
        stamp: 2002-12-14
        sexagesimal: 1:20
        empty: ~
        text: "aaaa bbbb cccc dddd eeee ffff gggg hhhh iiii jjjj kkkk llll mmmm nnnn oooo pppp qqqq rrrr ssss"
        script: |
          #!/bin/sh
          echo "<hello & bye>"
        list: [1, "2", three, {four: 4}]
        base: &base {image: nginx, tag: "1.25"}
        app:
          <<: *base
          tag: latest
        ---
        ratio: 2.5
        nested: {keep: true}

        """

    static let second = """
        replicas: 3
        nested: {add: [a, b]}
        list: null

        """

    @Test func matchesHelmTemplate() async throws {
        let directory = try TemporaryDirectory(prefix: "values-conformance")
        defer { directory.remove() }
        try directory.write("chart/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
        try directory.write("chart/values.yaml", "")
        try directory.write("chart/templates/out.yaml", Self.template)
        let firstPath = try directory.write("one.yaml", Self.first)
        let secondPath = try directory.write("two.yaml", Self.second)
        let filePath = try directory.write("file.txt", "from a file\n")
        let options = HelmValueOptions(
            files: [firstPath, secondPath],
            set: ["other[1].b=2,extra.x=true", #"dotted\.key=007"#, "replicas=5"],
            setString: ["ratio=3"],
            setJSON: [#"json={"a":[1,2.5]}"#],
            setLiteral: ["lit=a,b"],
            setFile: ["file=\(filePath)"])
        var arguments = ["template", "rel", directory.path + "/chart"]
        for path in options.files { arguments += ["-f", path] }
        for line in options.set { arguments += ["--set", line] }
        for line in options.setString { arguments += ["--set-string", line] }
        for line in options.setJSON { arguments += ["--set-json", line] }
        for line in options.setLiteral { arguments += ["--set-literal", line] }
        for line in options.setFile { arguments += ["--set-file", line] }
        let result = try await HelmReference.run(arguments)
        try #require(result.status == 0, "\(result.errorOutput)")
        var printed: [String: String] = [:]
        for line in result.output.split(separator: "\n") where line.hasPrefix("# ") {
            let parts = line.dropFirst(2).split(separator: " ", maxSplits: 1)
            guard parts.count == 2, let data = Data(base64Encoded: String(parts[1])) else { continue }
            printed[String(parts[0])] = String(decoding: data, as: UTF8.self)
        }
        let values = Value.map(try options.merged { path in try String(contentsOfFile: path, encoding: .utf8) })
        let functions = HelmSerialization.functions
        let context = NoContext()
        #expect(try functions["toJson"]!.body([values], context).stringValue == printed["JSON"])
        #expect(try functions["toYaml"]!.body([values], context).stringValue == printed["YAML"])
        #expect(try functions["toYamlPretty"]!.body([values], context).stringValue == printed["PRETTY"])
        #expect(try functions["toRawJson"]!.body([values], context).stringValue == printed["RAW"])
        #expect(try functions["toToml"]!.body([values], context).stringValue == printed["TOML"])
    }
}
