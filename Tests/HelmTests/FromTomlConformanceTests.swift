import Foundation
import GoTemplate
import KeelsonTesting
import Testing

@testable import Helm

/// Helm's `fromToml` against the real helm: values of every TOML type, arrays of tables, and the decoder's errors.
@Suite struct FromTomlConformanceTests {
    /// One action a line; each prints as a YAML block so any text is valid YAML.
    static let lines = [
        #"{{ fromToml "a = 1\nb = 'x'\nc = [1, 2.5, true]\n[t]\nd = 1979-05-27T07:32:00Z\n" | toJson }}"#,
        #"{{ fromToml "x = " | toJson }}"#,
        #"{{ (fromToml "i = 42").i | typeOf }}"#,
        #"{{ (fromToml "f = 4.0").f | typeOf }} {{ (fromToml "f = 4.0").f }}"#,
        #"{{ fromToml "[[arr]]\nn = 1\n[[arr]]\nn = 2" | toJson }}"#,
        #"{{ (fromToml "[[arr]]\nn = 1").arr | typeOf }}"#,
        #"{{ fromToml "a = 1\na = 2" | toJson }}"#,
        #"{{ fromToml "s = \"\"\"\nmulti\nline\"\"\"\nh = 0xff\no = 0o17\nbb = 0b101\nu = 1_000\nk.l.m = 3\n\"q k\" = 1" | toJson }}"#,
        #"{{ fromToml "" | toJson }}"#,
        #"{{ (fromToml "a = [[1,2],[3]]").a | typeOf }}"#,
        #"{{ fromToml "a = {x = 1, y = \"z\"}" | toJson }}"#,
        #"{{ fromToml "a = 'unterminated" | toJson }}"#,
        #"{{ fromToml "[a]\n[a]" | toJson }}"#,
        #"{{ (fromToml "t = 1979-05-27T00:32:00.999999-07:00").t }}"#,
        #"{{ fromToml "e = 1e3\nf = -0.5\ng = +5\nlit = '''\nraw \\n'''\nesc = \"tab\\tq\\\"u\\u00e9\"" | toJson }}"#,
        ##"{{ fromToml "# comment\n[a.b]\nc = 1 # trailing\n[a]\nd = 2" | toJson }}"##,
        #"{{ fromToml "a = 1" }}"#,
        #"{{ (fromToml "d = 1979-05-27").d | typeOf }} {{ (fromToml "d = 1979-05-27").d }}"#,
        #"{{ (fromToml "t = 1979-05-27T07:32:00").t }} {{ (fromToml "t = 1979-05-27 07:32:00.5").t }}"#,
        #"{{ fromToml "d = 1979-05-27\nt = 1979-05-27T07:32:00" | toJson }}"#,
    ]

    static var template: String { lines.enumerated().map { "l\($0.offset): |-\n  \($0.element)" }.joined(separator: "\n") + "\n" }

    @Test func keelsonDecodesAsHelmDoes() async throws {
        let chart = try ChartFixture(["Chart.yaml": "apiVersion: v2\nname: toml\nversion: 0.1.0\n", "templates/t.yaml": Self.template])
        let helm = try await HelmReference.template("r", chart.path()).map(\.content).joined()
        let functions = HelmFunctions.sprig().merging(HelmSerialization.functions) { first, _ in first }
        var set = TemplateSet(functions: functions)
        try set.parse(name: "t.yaml", text: Self.template)
        let keelson = try set.execute(name: "t.yaml", data: .null)
        let expected = helm.split(separator: "\n").map(String.init)
        let actual = keelson.split(separator: "\n").map(String.init)
        #expect(expected.count == Self.lines.count * 2)
        for (index, pair) in zip(expected, actual).enumerated() where pair.0 != pair.1 {
            Issue.record("line \(index): helm \(pair.0)\nkeelson \(pair.1)")
        }
    }
}
