import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import KubeSandbox

/// A CRD's `additionalPrinterColumns` are what `kubectl get` prints for its objects, as on a
/// cluster: Name, then each column's JSONPath result as a cell of its type; a column with a
/// priority only under `-o wide`; a path that finds nothing gives an empty cell (printed blank).
@Suite("CRD printer columns with the real kubectl")
struct PrinterColumnTests {
    static let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: gadgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: gadgets, singular: gadget, kind: Gadget}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
            additionalPrinterColumns:
            - {name: Size, type: integer, jsonPath: .spec.size}
            - {name: Ready, type: string, jsonPath: '.status.conditions[?(@.type=="Ready")].status'}
            - {name: Shared, type: boolean, jsonPath: .spec.shared}
            - {name: Owner, type: string, jsonPath: ".metadata.labels['example.com/owner']", priority: 1}
            - {name: Age, type: date, jsonPath: .metadata.creationTimestamp}

        """

    static let gadgets = """
        apiVersion: example.com/v1
        kind: Gadget
        metadata:
          name: sprocket
          labels: {example.com/owner: team-a}
        spec: {size: 3, shared: true}
        ---
        apiVersion: example.com/v1
        kind: Gadget
        metadata: {name: widget}
        spec: {size: 5}

        """

    static let status = #"{"status":{"conditions":[{"type":"Synced","status":"True"},{"type":"Ready","status":"False"}]}}"#

    @Test("kubectl get prints the declared columns; -o wide adds the ones with a priority")
    func declaredColumns() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Self.crd)
            try await kubectl.ok(["wait", "--for=condition=Established", "crd/gadgets.example.com", "--timeout=30s"])
            try await kubectl.ok(["apply", "-f", "-"], stdin: Self.gadgets)
            try await kubectl.ok(["patch", "gadget", "sprocket", "--subresource=status", "--type=merge", "-p", Self.status])

            let plain = Self.rows(try await kubectl.ok(["get", "gadgets"]))
            #expect(plain.first == ["NAME", "SIZE", "READY", "SHARED", "AGE"])
            // widget has no Ready condition and no spec.shared: those cells are blank.
            #expect(plain.dropFirst().map { Array($0.dropLast()) } == [["sprocket", "3", "False", "true"], ["widget", "5"]])
            #expect(plain.dropFirst().allSatisfy { $0.last?.hasSuffix("s") == true }, "ages in seconds: \(plain)")

            let wide = Self.rows(try await kubectl.ok(["get", "gadgets", "-o", "wide"]))
            #expect(wide.first == ["NAME", "SIZE", "READY", "SHARED", "OWNER", "AGE"])
            #expect(wide.dropFirst().map { Array($0.dropLast()) } == [["sprocket", "3", "False", "true", "team-a"], ["widget", "5"]])
        }
    }

    @Test("a CRD without printer columns prints Name and Age")
    func defaultColumns() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.widgetCRD)
            try await kubectl.ok(["wait", "--for=condition=Established", "crd/widgets.example.com", "--timeout=30s"])
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.widget("w", size: 1))
            #expect(Self.rows(try await kubectl.ok(["get", "widgets"])).first == ["NAME", "AGE"])
        }
    }

    /// kubectl's table as rows of cells (no cell here contains a space).
    static func rows(_ output: String) -> [[String]] {
        output.split(separator: "\n").map { $0.split(separator: " ").map(String.init) }
    }
}

/// The JSONPath subset printer columns are written in.
@Suite("Printer column paths")
struct ColumnPathTests {
    static let object: JSONValue = [
        "metadata": ["labels": ["a.b/c": "x"]],
        "items": [["name": "one", "n": 1], ["name": "two", "n": 2]],
    ]

    @Test(
        "a path finds what the API server's JSONPath finds",
        arguments: [
            (".metadata.labels['a.b/c']", ["x"]), ("{.items[0].name}", ["one"]), (".items[-1].name", ["two"]),
            (".items[*].name", ["one", "two"]), (#".items[?(@.name=="two")].n"#, ["2"]), (".items[?(@.n==1)].name", ["one"]),
            (".missing.field", []), (".items[5]", []),
        ])
    func finds(path: String, expected: [String]) throws {
        let found = try #require(ColumnPath(path)).results(in: Self.object)
        #expect(found.map { $0.stringValue ?? JSONWriter.compact($0) } == expected)
    }

    @Test("recursive descent, bare words and unclosed brackets are not paths", arguments: ["..name", "name", ".items[0", ".items[?(@.n)]"])
    func refuses(path: String) {
        #expect(ColumnPath(path) == nil)
    }
}
