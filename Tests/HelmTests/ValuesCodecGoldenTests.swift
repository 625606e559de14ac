import Foundation
import GoTemplate
import Testing

@testable import Helm

/// Output of the serialization functions, byte for byte, against a corpus captured from the real
/// helm 4.2.3 (`Fixtures/values/codec-golden.json`: each input is a values-file snippet, each output
/// what `helm template` printed for `FUNCTION .Values.case`).
@Suite struct ValuesCodecGoldenTests {
    struct Case: Decodable, CustomTestStringConvertible {
        var input: String
        var toYaml: String?
        var toYamlPretty: String?
        var toJson: String?
        var toPrettyJson: String?
        var toRawJson: String?
        var testDescription: String { input }
    }

    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/values/codec-golden.json")
        return (try? JSONDecoder().decode([Case].self, from: Data(contentsOf: url))) ?? []
    }()

    @Test func corpusIsLoaded() {
        #expect(Self.cases.count >= 60)
    }

    // Every case reads the snippet as a values file does, then prints it with each function.
    @Test(arguments: cases) func printsAsHelm(_ golden: Case) throws {
        let values = try HelmYAML.loadValues("c: \(golden.input)\n")
        guard let toYaml = golden.toYaml else {
            // Helm's coalescing drops a null; the reader must have produced one.
            #expect(values["c"].map { if case .null = $0 { true } else { false } } ?? true)
            return
        }
        let value = try #require(values["c"])
        let functions = HelmSerialization.functions
        let context = NoContext()
        for (name, expected) in [
            ("toYaml", toYaml), ("toYamlPretty", golden.toYamlPretty), ("toJson", golden.toJson),
            ("toPrettyJson", golden.toPrettyJson), ("toRawJson", golden.toRawJson),
        ] {
            let output = try functions[name]!.body([value], context)
            #expect(output.stringValue == expected, "\(name)")
        }
    }
}

/// A function context for functions that never call back into the template.
struct NoContext: FunctionContext {
    func execute(template name: String, data: Value) throws -> String { "" }
    func render(text: String, data: Value) throws -> String { "" }
    var templateName: String { "" }
}

extension Value {
    var stringValue: String? { if case .string(let text) = self { text } else { nil } }
}

/// `toToml` against the text helm 4.2.3 printed for `Fixtures/values/toml-input.yaml`.
@Suite struct ValuesTOMLTests {
    @Test func printsAsHelm() throws {
        let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures/values")
        let input = try String(contentsOf: folder.appendingPathComponent("toml-input.yaml"), encoding: .utf8)
        let expected = try String(contentsOf: folder.appendingPathComponent("toml-expected.toml"), encoding: .utf8)
        let values = Value.map(try HelmYAML.loadValues(input))
        #expect(try HelmSerialization.functions["toToml"]!.body([values], NoContext()).stringValue == expected)
    }
}
