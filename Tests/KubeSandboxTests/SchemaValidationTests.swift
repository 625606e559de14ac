import Foundation
import KeelsonTesting
import Testing

/// A CRD's `openAPIV3Schema` enforced on its objects, through kubectl as on a cluster: undeclared
/// fields pruned (refused under kubectl's default strict validation), defaults filled,
/// constraints checked with the API server's messages.
@Suite("CRD schema validation")
struct SchemaValidationTests {
    static let crd = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          scope: Namespaced
          names: {plural: widgets, singular: widget, kind: Widget}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec:
                    type: object
                    required: [image]
                    properties:
                      image: {type: string, minLength: 1}
                      size: {type: string, enum: [small, large]}
                      replicas: {type: integer, minimum: 1, maximum: 10}
                      mode: {type: string, default: fast}
                      port: {x-kubernetes-int-or-string: true}
                      labels: {type: object, additionalProperties: {type: string}}
                      extra: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  status:
                    type: object
                    properties:
                      phase: {type: string}
        """

    static func widget(_ spec: String) -> String {
        "apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: \(spec)\n"
    }

    func withCRD(_ body: @escaping @Sendable (Kubectl) async throws -> Void) async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Self.crd)
            try await body(kubectl)
        }
    }

    @Test("a valid object is stored with its defaults; preserved and additional fields are kept")
    func valid() async throws {
        try await withCRD { kubectl in
            try await kubectl.ok(
                ["apply", "-f", "-"],
                stdin: Self.widget("{image: app, size: small, replicas: 3, port: http, labels: {a: b}, extra: {any: [1, 2]}}"))
            let stored = try await kubectl.json(["get", "widget", "w"])
            #expect(stored.string("spec.mode") == "fast", "the schema's default")
            #expect(stored.string("spec.port") == "http")
            #expect(stored.string("spec.labels.a") == "b")
            #expect(stored["spec.extra.any"]?.arrayValue?.count == 2)
        }
    }

    @Test("an undeclared field is refused by strict validation, pruned with a warning under warn, pruned silently when ignored")
    func unknownFields() async throws {
        try await withCRD { kubectl in
            let strict = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widget("{image: app, colour: red}"))
            #expect(strict.status != 0)
            #expect(
                strict.stderr.contains(#"Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "spec.colour""#),
                "\(strict.stderr)")
            let warned = try await kubectl.run(["apply", "--validate=warn", "-f", "-"], stdin: Self.widget("{image: app, colour: red}"))
            #expect(warned.status == 0, "\(warned.stderr)")
            #expect(warned.stderr.contains(#"Warning: unknown field "spec.colour""#), "\(warned.stderr)")
            #expect(try await kubectl.json(["get", "widget", "w"])["spec.colour"] == nil, "pruned")
            try await kubectl.ok(["apply", "--validate=false", "-f", "-"], stdin: Self.widget("{image: app, shade: dark}"))
            #expect(try await kubectl.json(["get", "widget", "w"])["spec.shade"] == nil, "pruned")
        }
    }

    /// The API server's wording, field by field (kubectl prints the 422 message).
    @Test(
        "constraint violations are 422 Invalid with the API server's messages",
        arguments: [
            ("{image: app, replicas: three}", #"spec.replicas: Invalid value: "string": spec.replicas in body must be of type integer: "string""#),
            ("{image: app, size: huge}", #"spec.size: Unsupported value: "huge": supported values: "small", "large""#),
            ("{image: app, replicas: 0}", "spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1"),
            ("{image: app, replicas: 11}", "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10"),
            ("{size: small}", "spec.image: Required value"),
            (#"{image: ""}"#, #"spec.image: Invalid value: "": spec.image in body should be at least 1 chars long"#),
            ("{image: app, port: true}", #"spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean""#),
        ])
    func violations(spec: String, message: String) async throws {
        try await withCRD { kubectl in
            let result = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widget(spec))
            #expect(result.status != 0)
            #expect(result.stderr.contains(#"The Widget "w" is invalid: "#), "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(try await kubectl.run(["get", "widget", "w"]).status != 0, "nothing stored")
        }
    }

    @Test("several violations are reported together; a status update is validated too")
    func aggregateAndStatus() async throws {
        try await withCRD { kubectl in
            let both = try await kubectl.run(["apply", "-f", "-"], stdin: Self.widget("{replicas: 0}"))
            // kubectl lists the causes of a 422 one a line.
            for cause in [
                "* spec.replicas: Invalid value: 0: spec.replicas in body should be greater than or equal to 1", "* spec.image: Required value",
            ] {
                #expect(both.stderr.contains(cause), "\(both.stderr)")
            }
            try await kubectl.ok(["apply", "-f", "-"], stdin: Self.widget("{image: app}"))
            let status = try await kubectl.run(
                ["patch", "widget", "w", "--subresource", "status", "--type", "merge", "-p", #"{"status":{"phase":7}}"#])
            #expect(
                status.stderr.contains(#"status.phase: Invalid value: "integer": status.phase in body must be of type string"#), "\(status.stderr)")
        }
    }
}
