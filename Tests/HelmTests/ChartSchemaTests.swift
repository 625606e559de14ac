import Foundation
import GoTemplate
import KeelsonTesting
import Testing

@testable import Helm

/// values.schema.json validation: the same failures as the real helm, as sets of lines (Helm's
/// order follows Go map iteration and changes from run to run).
@Suite struct ChartSchemaTests {
    static let schema = """
        {"type":"object","required":["name","port"],"additionalProperties":false,
         "properties":{"name":{"type":"string","minLength":3,"pattern":"^[a-z]+$"},
         "port":{"type":"integer","minimum":1,"maximum":65535},
         "mode":{"enum":["a","b"]},"c":{"const":5},"d":{"const":"x"},"e":{"enum":[1,"two",null]},
         "list":{"type":"array","items":{"type":"string"},"minItems":2,"maxItems":3,"uniqueItems":true},
         "obj":{"type":"object","patternProperties":{"^x":{"type":"number"}},"additionalProperties":{"type":"boolean"},"maxProperties":2},
         "num":{"type":["number","null"],"exclusiveMinimum":0,"multipleOf":0.5},
         "text":{"maxLength":1},
         "ref":{"$ref":"#/definitions/r"},
         "any":{"anyOf":[{"type":"string"},{"type":"boolean"}]},
         "one":{"oneOf":[{"type":"number"},{"minimum":0}]},
         "all":{"allOf":[{"type":"string"},{"minLength":2}]},
         "not":{"not":{"type":"number"}},
         "deep":{"properties":{"inner":{"required":["k"]}}}},
         "definitions":{"r":{"type":"string"}}}
        """

    static let failing = """
        name: ab1
        port: 0
        mode: c
        c: 4
        d: y
        e: 3
        list: [a, a, b, c]
        obj: {x: s, w: 1, z: true}
        num: 0.7
        text: ab
        ref: 1
        any: 1
        one: 5
        all: 5
        not: 1
        deep: {inner: {}}
        extra: 1
        """

    func compare(_ files: [String: String], user: String) async throws {
        var files = files
        files["user.yaml"] = user
        let fixture = try ChartFixture(files)
        defer { fixture.directory.remove() }
        let helm = try await HelmRun.template(fixture.path("p"), ["-f", fixture.path("user.yaml")])
        var ours: String?
        do {
            _ = try ChartValues.prepare(chart: try fixture.load("p"), user: try ChartYAML.values(user))
        } catch let error as ChartError {
            ours = error.message
        }
        let helmLines = Set((helm.error ?? "").split(separator: "\n").map(String.init))
        let ourLines = Set((ours ?? "").split(separator: "\n").map(String.init))
        #expect(ourLines == helmLines)
        #expect(ours?.hasPrefix("values don't meet the specifications of the schema(s) in the following chart(s):\np:\n") == true)
    }

    // Every keyword's message, nested groups (`validation failed`, `'allOf' failed`), and the
    // top-level location '' for required and additionalProperties.
    @Test func failuresMatchHelm() async throws {
        try await compare(
            chartFiles("p", "apiVersion: v2\nname: p\nversion: 1.0.0\n", extra: ["values.schema.json": Self.schema]), user: Self.failing)
    }

    // Draft 7 asserts `format` (2020-12, the default, does not); an enum with a table fails as
    // `'enum' failed`; if/then applies the branch.
    @Test func draft7FormatsAndEnumsMatchHelm() async throws {
        let schema = """
            {"$schema":"http://json-schema.org/draft-07/schema#","properties":{"mail":{"format":"email"},"ip":{"format":"ipv4"},
             "e":{"enum":[{"k":1},"s"]},"cond":{"if":{"type":"string"},"then":{"minLength":3}}}}
            """
        try await compare(
            chartFiles("p", "apiVersion: v2\nname: p\nversion: 1.0.0\n", extra: ["values.schema.json": schema]),
            user: "mail: nope\nip: 1.2.3\ne: 3\ncond: ab\n")
    }

    // A subchart's schema checks the subchart's scoped values, globals included; the parent's
    // and the subchart's failures are listed under their own names.
    @Test func subchartSchemasAreCheckedToo() async throws {
        let files = chartFiles(
            "p", "apiVersion: v2\nname: p\nversion: 1.0.0\n",
            extra: ["values.schema.json": "{\"required\":[\"top\"]}"]
        ).merging(
            chartFiles(
                "p/charts/sub", "apiVersion: v2\nname: sub\nversion: 1.0.0\n", values: "size: 1\n",
                extra: ["values.schema.json": "{\"properties\":{\"size\":{\"maximum\":2},\"global\":{\"required\":[\"region\"]}}}"])
        ) { a, _ in a }
        try await compare(files, user: "sub:\n  size: 3\n")
    }

    // Values that pass: no error from either.
    @Test func validValuesPass() async throws {
        var files = chartFiles("p", "apiVersion: v2\nname: p\nversion: 1.0.0\n", extra: ["values.schema.json": Self.schema])
        files["user.yaml"] = "name: abc\nport: 80\n"
        let fixture = try ChartFixture(files)
        defer { fixture.directory.remove() }
        let helm = try await HelmRun.template(fixture.path("p"), ["-f", fixture.path("user.yaml")])
        #expect(helm.error == nil)
        _ = try ChartValues.prepare(chart: try fixture.load("p"), user: try ChartYAML.values("name: abc\nport: 80\n"))
    }

    // A remote $ref is refused with a clear error, never fetched.
    @Test func remoteReferencesAreRefused() throws {
        let files = chartFiles(
            "p", "apiVersion: v2\nname: p\nversion: 1.0.0\n",
            extra: ["values.schema.json": "{\"properties\":{\"r\":{\"$ref\":\"https://example.invalid/x.json\"}}}"])
        let fixture = try ChartFixture(files)
        defer { fixture.directory.remove() }
        #expect(throws: ChartError.self) { try ChartValues.prepare(chart: try fixture.load("p"), user: ["r": .float(1)]) }
        do {
            _ = try ChartValues.prepare(chart: try fixture.load("p"), user: [:])
            Issue.record("a remote $ref must fail")
        } catch let error as ChartError {
            #expect(error.message.contains("p:\nfailing loading \"https://example.invalid/x.json\": remote schema references are not allowed"))
        }
    }
}
