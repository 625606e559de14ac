import Foundation
import Testing

@Suite("Sandbox core with the real kubectl", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct CoreTests {
    @Test("a new sandbox has the standard namespaces")
    func initialNamespaces() async throws {
        try await withSandbox { kubectl, _ in
            let list = try await kubectl.json(["get", "namespaces"])
            let names = Set(list.items.compactMap { $0.string("metadata.name") })
            #expect(names.isSuperset(of: ["default", "kube-system", "kube-public"]))
            let phases = Set(list.items.compactMap { $0.string("status.phase") })
            #expect(phases == ["Active"])
        }
    }

    @Test("create fills uid, resourceVersion and creationTimestamp; resourceVersions increase")
    func createFillsSystemMetadata() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("one", data: ["a": "1"]))
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("two", data: ["b": "2"]))
            let one = try await kubectl.json(["get", "configmap", "one"])
            let two = try await kubectl.json(["get", "cm", "two"])
            #expect(one.string("metadata.uid")?.count == 36)
            #expect(one.string("metadata.creationTimestamp")?.hasSuffix("Z") == true)
            #expect(one.string("data.a") == "1")
            let rv1 = try #require(one.string("metadata.resourceVersion").flatMap { Int($0) })
            let rv2 = try #require(two.string("metadata.resourceVersion").flatMap { Int($0) })
            #expect(rv2 > rv1)
        }
    }

    /// Each case pins one error a real API server returns for a bad request.
    @Test(
        "errors come back as Status objects kubectl prints",
        arguments: [
            (["get", "configmap", "missing"], "configmaps \"missing\" not found"),
            (["create", "-n", "nope", "-f", "-"], "namespaces \"nope\" not found"),
            (["get", "deployments.apps", "gone", "-n", "default"], "deployments.apps \"gone\" not found"),
        ])
    func statusErrors(arguments: [String], message: String) async throws {
        try await withSandbox { kubectl, _ in
            let result = try await kubectl.run(arguments, stdin: Fixtures.configMap("x", data: [:]))
            #expect(result.status != 0)
            #expect(result.stderr.contains("NotFound"), "\(result.stderr)")
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    @Test("creating an existing object is AlreadyExists")
    func alreadyExists() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.namespace("team"))
            let again = try await kubectl.run(["create", "-f", "-"], stdin: Fixtures.namespace("team"))
            #expect(again.status != 0)
            #expect(again.stderr.contains("(AlreadyExists)"), "\(again.stderr)")
            #expect(again.stderr.contains("namespaces \"team\" already exists"), "\(again.stderr)")
        }
    }

    /// Each case pins a resource kubectl must resolve through discovery by a short or full name.
    @Test(
        "discovery resolves built-in resources by short name",
        arguments: [
            ("deploy", "Deployment"), ("svc", "Service"), ("cm", "ConfigMap"), ("ns", "Namespace"), ("po", "Pod"),
            ("ingresses.networking.k8s.io", "Ingress"), ("cronjobs", "CronJob"), ("clusterroles", "ClusterRole"),
        ])
    func shortNames(name: String, kind: String) async throws {
        try await withSandbox { kubectl, _ in
            let out = try await kubectl.ok(["api-resources", "--no-headers"])
            let line = out.split(separator: "\n").first { $0.split(separator: " ").last.map(String.init) == kind }
            #expect(line != nil, "no \(kind) in api-resources:\n\(out)")
            let result = try await kubectl.run(["get", name, "-A", "-o", "name"])
            #expect(result.status == 0, "\(result.stderr)")
        }
    }
}
