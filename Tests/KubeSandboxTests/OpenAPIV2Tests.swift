import Foundation
import KeelsonTesting
import Testing

@testable import KubeSandbox

/// `/openapi/v2` (in protobuf, the only form client-go reads) and v2beta1 aggregated discovery,
/// driven by the oldest kubectl the sandbox is tried with: kubectl 1.28 reads both before it
/// applies anything.
@Suite("OpenAPI v2 and older kubectl", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct OpenAPIV2Tests {
    static let deployment = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - {name: app, image: nginx, env: [{name: A, value: "1"}, {name: B, value: "2"}]}
              - {name: sidecar, image: busybox}
        """

    @Test("kubectl 1.28 lists, applies and re-applies: lists merge by their keys and a removed item goes")
    func oldKubectlApplies() async throws {
        let old = try Kubectl.v128()
        try await withSandbox { current, _ in
            let kubectl = current.using(old)
            try await kubectl.ok(["get", "deployments"])
            try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment)
            let trimmed = Self.deployment.replacingOccurrences(of: ", {name: B, value: \"2\"}", with: "")
                .replacingOccurrences(of: "      - {name: sidecar, image: busybox}\n", with: "")
                .replacingOccurrences(of: "      - {name: sidecar, image: busybox}", with: "")
            try await kubectl.ok(["apply", "-f", "-"], stdin: trimmed)
            let containers = try await current.json(["get", "deployment", "web"])["spec.template.spec.containers"]?.arrayValue ?? []
            #expect(containers.map { $0["name"]?.stringValue } == ["app"])
            #expect(containers.first?["env"]?.arrayValue?.compactMap { $0["name"]?.stringValue } == ["A"])
            let explained = try await kubectl.ok(["explain", "deployment.spec.replicas"])
            #expect(explained.contains("replicas") && explained.contains("<integer>"), "\(explained)")
        }
    }

    /// With `/openapi/v2` answering, client-side apply still patches as on a cluster: kubectl
    /// (1.28 and 1.32 alike, measured) computes the patch from its compiled-in types, whose
    /// `retainKeys` on a Deployment's `strategy` drops the defaulted `rollingUpdate` when the
    /// strategy becomes Recreate.
    @Test("switching a defaulted RollingUpdate strategy to Recreate drops rollingUpdate", arguments: ["current", "1.28"])
    func retainKeys(client: String) async throws {
        let binary = client == "current" ? Kubectl.path : try Kubectl.v128()
        try await withSandbox { current, _ in
            let kubectl = current.using(binary)
            try await kubectl.ok(["apply", "-f", "-"], stdin: Self.deployment)
            #expect(try await current.json(["get", "deployment", "web"])["spec.strategy.rollingUpdate"] != nil, "defaulted")
            try await kubectl.ok(
                ["apply", "-f", "-"],
                stdin: Self.deployment.replacingOccurrences(of: "spec:\n  selector", with: "spec:\n  strategy: {type: Recreate}\n  selector"))
            let strategy = try await current.json(["get", "deployment", "web"])["spec.strategy"]
            #expect(strategy?["type"] == "Recreate")
            #expect(strategy?["rollingUpdate"] == nil, "\(String(describing: strategy))")
        }
    }

    /// The served schemas mark how fields merge as the API's own documents do, from
    /// `ListSemantics` (the table strategic merge patch and server-side apply read).
    @Test("the v2 document marks merge keys, list types and retainKeys")
    func patchStrategies() throws {
        let definitions = OpenAPI.v2Document(catalog: ResourceCatalog())["definitions"]
        let spec = definitions?["dev.keelson.sandbox.v1.PodSpec"]?["properties"]
        #expect(spec?["containers"]?["x-kubernetes-patch-merge-key"] == "name")
        #expect(spec?["containers"]?["x-kubernetes-list-type"] == "map")
        #expect(spec?["volumes"]?["x-kubernetes-patch-strategy"] == "merge,retainKeys")
        #expect(spec?["containers"]?["items"]?["$ref"] == "#/definitions/dev.keelson.sandbox.v1.Container")
        let ports = definitions?["dev.keelson.sandbox.v1.Container"]?["properties"]?["ports"]
        #expect(ports?["x-kubernetes-list-map-keys"] == ["containerPort", "protocol"])
        let strategy = definitions?["dev.keelson.sandbox.v1.DeploymentSpec"]?["properties"]?["strategy"]
        #expect(strategy?["x-kubernetes-patch-strategy"] == "retainKeys")
        #expect(definitions?["dev.keelson.sandbox.v1.ObjectMeta"]?["properties"]?["finalizers"]?["x-kubernetes-list-type"] == "set")
        let deployment = definitions?["dev.keelson.sandbox.v1.Deployment"]?["x-kubernetes-group-version-kind"]
        #expect(deployment == [["group": "apps", "version": "v1", "kind": "Deployment"]])
    }

    /// kubectl decodes the whole protobuf document before it looks anything up, so one wrong
    /// field anywhere (a CRD's schema, a vendor extension) fails every lookup.
    @Test("kubectl explain reads the v2 document, a CRD's schema in it")
    func explainV2() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: SchemaValidationTests.crd)
            let out = try await kubectl.ok(["explain", "deployment.spec.template.spec.containers", "--output=plaintext-openapiv2"])
            #expect(out.contains("RESOURCE: containers <[]"), "\(out)")
            #expect(out.contains("image\t<string>"), "\(out)")
            let widget = try await kubectl.ok(["explain", "widgets.spec", "--output=plaintext-openapiv2"])
            #expect(widget.contains("replicas\t<integer>") && widget.contains("image\t<string> -required-"), "\(widget)")
        }
    }

    /// A CRD may name its kind like a built-in one; its objects are not the built-in kind's.
    @Test("a custom kind named like a built-in kind keeps the fields the built-in kind lacks")
    func customKindNamedLikeBuiltin() async throws {
        let crd = """
            apiVersion: apiextensions.k8s.io/v1
            kind: CustomResourceDefinition
            metadata: {name: services.serving.example.com}
            spec:
              group: serving.example.com
              scope: Namespaced
              names: {plural: services, singular: service, kind: Service}
              versions:
              - {name: v1, served: true, storage: true}
            """
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: crd)
            try await kubectl.ok(
                ["apply", "-f", "-"],
                stdin: "apiVersion: serving.example.com/v1\nkind: Service\nmetadata: {name: hello}\nspec: {template: {image: hello:1}}\n")
            let stored = try await kubectl.json(["get", "services.serving.example.com", "hello"])
            #expect(stored.string("spec.template.image") == "hello:1")
        }
    }

    @Test(
        "aggregated discovery answers in the version the Accept header prefers",
        arguments: [
            ("application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList,application/json", "v2"),
            ("application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList,application/json", "v2beta1"),
            (
                "application/json;g=apidiscovery.k8s.io;v=v2beta1;as=APIGroupDiscoveryList, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList",
                "v2beta1"
            ),
            ("application/json, application/json;g=apidiscovery.k8s.io;v=v2;as=APIGroupDiscoveryList", nil),
            ("application/json;g=apidiscovery.k8s.io;v=v3;as=APIGroupDiscoveryList,application/json", nil),
            ("application/json;as=APIGroupDiscoveryList;v=v2;g=apidiscovery.k8s.io", "v2"),
        ] as [(String, String?)])
    func negotiation(accept: String, expected: String?) {
        #expect(Discovery.aggregatedVersion(accept: accept) == expected)
    }
}
