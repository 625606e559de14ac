import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Kube

@Suite struct DiscoveryTests {
    static func fixture(_ name: String) throws -> JSONValue {
        try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: Fixtures.directory() + "/" + name))))
    }

    @Test func groupVersionsFromAPIAndAPIs() throws {
        #expect(DiscoveryDocument.groupVersions(try Self.fixture("api.json")) == ["v1"])
        #expect(DiscoveryDocument.groupVersions(try Self.fixture("apis.json")) == ["apps/v1", "example.com/v1", "example.com/v1beta1"])
    }

    @Test(arguments: [
        // Plural, scope and verbs of a namespaced core kind; subresources attached, not listed.
        ("api-v1.json", "Pod", "pods", true, ["log", "status"]),
        // Cluster-scoped kind.
        ("api-v1.json", "Namespace", "namespaces", false, ["finalize", "status"]),
        // Named group; the scale subresource's own kind does not become a resource.
        ("apis-apps-v1.json", "Deployment", "deployments", true, ["scale", "status"]),
        ("apis-example.com-v1.json", "Gadget", "gadgets", false, []),
    ])
    func resourceListsMapKindsToResources(file: String, kind: String, plural: String, namespaced: Bool, subresources: [String]) throws {
        let resources = DiscoveryDocument.resources(fromResourceList: try Self.fixture(file))
        let resource = try #require(resources.first { $0.groupVersionKind.kind == kind })
        #expect(resource.plural == plural && resource.namespaced == namespaced)
        #expect(resource.subresources.sorted() == subresources)
        #expect(resources.filter { $0.groupVersionKind.kind == "Scale" }.isEmpty)
        #expect(resources.allSatisfy { !$0.plural.contains("/") })
    }

    @Test func verbsAndShortNamesAreKept() throws {
        let resources = DiscoveryDocument.resources(fromResourceList: try Self.fixture("apis-apps-v1.json"))
        let deployments = try #require(resources.first { $0.plural == "deployments" })
        #expect(deployments.groupVersionKind == GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"))
        #expect(deployments.supports("patch") && deployments.supports("watch") && !deployments.supports("proxy"))
        #expect(deployments.shortNames == ["deploy"])
    }

    @Test func aggregatedDiscoveryCoversEveryGroup() throws {
        let value = try Self.fixture("aggregated-apis.json")
        #expect(DiscoveryDocument.isAggregated(value))
        let resources =
            DiscoveryDocument.resources(fromAggregated: value) + DiscoveryDocument.resources(fromAggregated: try Self.fixture("aggregated-api.json"))
        let byKind = Dictionary(uniqueKeysWithValues: resources.map { ($0.groupVersionKind, $0) })
        let deployment = try #require(byKind[GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")])
        #expect(deployment.namespaced && deployment.subresources == ["scale", "status"] && deployment.plural == "deployments")
        let role = try #require(byKind[GroupVersionKind(group: "rbac.authorization.k8s.io", version: "v1", kind: "ClusterRole")])
        #expect(!role.namespaced)
        let namespace = try #require(byKind[GroupVersionKind(group: "", version: "v1", kind: "Namespace")])
        #expect(!namespace.namespaced && namespace.plural == "namespaces")
    }
}

/// The `Fixtures` folder of this test target (resolved from a file at the target's root).
enum KubeFixtures {
    static let directory = Fixtures.directory()
}
