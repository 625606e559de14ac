import Foundation
import KeelsonTesting
import Testing

/// Workloads a cluster refuses are refused by the sandbox too, with the API server's wording.
@Suite("Workload validation")
struct WorkloadValidationTests {
    static func deployment(
        replicas: String = "2", selector: String = "{matchLabels: {app: web}}", labels: String = "{app: web}",
        containers: String = "[{name: web, image: nginx:1.27}]"
    ) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: \(replicas)
          selector: \(selector)
          template:
            metadata: {labels: \(labels)}
            spec: {containers: \(containers)}
        """
    }

    @Test(
        "an invalid workload is refused (422 Invalid; 400 for a count that is no number) and nothing is stored",
        arguments: [
            (
                deployment(replicas: "\"three\""),
                #"Deployment in version "v1" cannot be handled as a Deployment: json: cannot unmarshal string into Go struct field DeploymentSpec.spec.replicas of type int32"#
            ),
            (deployment(replicas: "-1"), "spec.replicas: Invalid value: -1: must be greater than or equal to 0"),
            (
                deployment(labels: "{app: other}"),
                #"spec.template.metadata.labels: Invalid value: map[string]string{"app":"other"}: `selector` does not match template `labels`"#
            ),
            (deployment(selector: "{matchExpressions: [{key: app, operator: In, values: [api]}]}"), "`selector` does not match template `labels`"),
            (deployment(selector: "{}"), "spec.selector: Invalid value: {}: empty selector is invalid for deployment"),
            (deployment(containers: "[]"), "spec.template.spec.containers: Required value"),
            (deployment(containers: "[{name: web}]"), "spec.template.spec.containers[0].image: Required value"),
            (
                """
                apiVersion: batch/v1
                kind: Job
                metadata: {name: web}
                spec: {template: {spec: {containers: [{name: m, image: busybox}]}}}
                """,
                #"spec.template.spec.restartPolicy: Unsupported value: "Always": supported values: "OnFailure", "Never""#
            ),
        ])
    func refused(manifest: String, message: String) async throws {
        try await withSandbox { kubectl, _ in
            let result = try await kubectl.run(["apply", "-f", "-"], stdin: manifest)
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
            #expect(try await kubectl.run(["get", "deploy,job", "web"]).stdout.isEmpty, "nothing stored")
        }
    }

    @Test("a selector with expressions that select the template is accepted; a patch that breaks it is refused")
    func accepted() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(
                ["apply", "-f", "-"],
                stdin: Self.deployment(selector: "{matchLabels: {app: web}, matchExpressions: [{key: tier, operator: DoesNotExist}]}"))
            let patch = #"{"spec":{"template":{"metadata":{"labels":{"app":"api"}}}}}"#
            let result = try await kubectl.run(["patch", "deploy", "web", "-p", patch])
            #expect(result.stderr.contains("`selector` does not match template `labels`"), "\(result.stderr)")
            #expect(try await kubectl.json(["get", "deploy", "web"]).string("spec.template.metadata.labels.app") == "web")
        }
    }

    @Test("an update of an immutable field is refused, server-side dry runs included; leaving a server-filled field out is not a change")
    func immutableFields() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Self.deployment())
            let moved = Self.deployment(selector: "{matchLabels: {app: web-v2}}", labels: "{app: web-v2}")
            for arguments in [["apply", "--server-side", "--dry-run=server", "-f", "-"], ["apply", "--server-side", "-f", "-"]] {
                let result = try await kubectl.run(arguments, stdin: moved)
                #expect(result.status != 0)
                #expect(
                    result.stderr.contains(#"spec.selector: Invalid value: {"matchLabels":{"app":"web-v2"}}: field is immutable"#), "\(result.stderr)"
                )
            }
            #expect(try await kubectl.json(["get", "deploy", "web"]).string("spec.selector.matchLabels.app") == "web")
            // The rest of the spec still changes.
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Self.deployment(replicas: "3"))

            try await kubectl.ok(["create", "service", "clusterip", "web", "--tcp=80:8080"])
            let ip = try #require(try await kubectl.json(["get", "svc", "web"]).string("spec.clusterIP"))
            let other = ip == "10.96.200.200" ? "10.96.200.201" : "10.96.200.200"
            let patched = try await kubectl.run(["patch", "svc", "web", "-p", #"{"spec":{"clusterIP":"\#(other)"}}"#])
            #expect(patched.stderr.contains("spec.clusterIP: Invalid value: \"\(other)\": field is immutable"), "\(patched.stderr)")
            try await kubectl.ok(["label", "svc", "web", "tier=front"])
            // An empty clusterIP, as charts render it, keeps the allocated one.
            try await kubectl.ok(["patch", "svc", "web", "-p", #"{"spec":{"clusterIP":""}}"#])
            #expect(try await kubectl.json(["get", "svc", "web"]).string("spec.clusterIP") == ip)

            try await kubectl.ok(
                ["apply", "-f", "-"], stdin: "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: frozen}\nimmutable: true\ndata: {a: one}\n")
            let frozen = try await kubectl.run(["patch", "configmap", "frozen", "-p", #"{"data":{"a":"two"}}"#])
            #expect(frozen.stderr.contains("data: Forbidden: field is immutable when `immutable` is set"), "\(frozen.stderr)")
            #expect(!frozen.stderr.contains("two"), "the refused value is not shown")
        }
    }

    /// A built-in kind decodes into its Go type, which has no room for an undeclared field: kubectl's
    /// default (strict) validation is refused with the decoder's paths, `warn` stores the object
    /// without the field, with a warning per field.
    @Test("an undeclared field of a built-in kind is refused by strict validation and pruned under warn")
    func unknownFields() async throws {
        let manifest = Self.deployment(containers: "[{name: web, image: nginx:1.27, imagePullPolcy: Always}]")
            .replacingOccurrences(of: "metadata: {name: web}", with: "metadata: {name: web, lables: {a: b}}")
            .replacingOccurrences(of: "  replicas: 2", with: "  replicas: 2\n  replica: 3")
        try await withSandbox { kubectl, _ in
            let strict = try await kubectl.run(["apply", "-f", "-"], stdin: manifest)
            #expect(strict.status != 0)
            #expect(
                strict.stderr.contains(
                    #"Deployment in version "v1" cannot be handled as a Deployment: strict decoding error: "#
                        + #"unknown field "metadata.lables", unknown field "spec.replica", "#
                        + #"unknown field "spec.template.spec.containers[0].imagePullPolcy""#), "\(strict.stderr)")
            #expect(try await kubectl.run(["get", "deploy", "web"]).stdout.isEmpty, "nothing stored")

            let warned = try await kubectl.run(["apply", "--validate=warn", "-f", "-"], stdin: manifest)
            #expect(warned.status == 0, "\(warned.stderr)")
            #expect(warned.stderr.contains(#"Warning: unknown field "spec.replica""#), "\(warned.stderr)")
            let stored = try await kubectl.json(["get", "deploy", "web"])
            #expect(stored["spec.replica"] == nil && stored["metadata.lables"] == nil, "pruned")
            #expect(stored["spec.template.spec.containers"]?.arrayValue?.first?["imagePullPolcy"] == nil, "pruned")

            // Free-form and int-or-string fields take anything.
            try await kubectl.ok(["create", "service", "clusterip", "web", "--tcp=80:http"])
            #expect(try await kubectl.json(["get", "svc", "web"])["spec.ports"]?.arrayValue?.first?["targetPort"] == "http")
        }
    }
}
