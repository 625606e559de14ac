import Testing

@testable import Manifests

@Suite struct ManifestTests {
    @Test func accessorsAndKey() throws {
        let m = try #require(
            try Manifest.decode(
                Array("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: prod, labels: {a: b}}\n".utf8),
                file: "d.yaml"
            ).first)
        #expect(m.group == "apps")
        #expect(m.version == "v1")
        #expect(m.key == ResourceKey(group: "apps", kind: "Deployment", namespace: "prod", name: "web"))
        #expect(m.key.description == "Deployment/prod/web")
        #expect(m.labels == ["a": "b"])
        #expect(m.source == SourceLocation(file: "d.yaml", line: 1, column: 1))
    }

    @Test(arguments: [
        ("- a\n- b\n", "document is not a Kubernetes object: found array"),
        ("kind: ConfigMap\nmetadata: {name: x}\n", "document has no apiVersion"),
        ("apiVersion: v1\nmetadata: {name: x}\n", "document (v1) has no kind"),
        ("apiVersion: v1\nkind: ConfigMap\n", "ConfigMap has no metadata.name"),
        ("apiVersion: v1\nkind: ConfigMap\nmetadata: [1]\n", "ConfigMap has metadata that is not an object"),
        ("apiVersion: v1\nkind: List\nitems: {a: 1}\n", "List has items that are not a list"),
    ])
    func notObjectsAreRefused(_ yaml: String, _ message: String) {
        do {
            _ = try Manifest.decode(Array(yaml.utf8), file: "x.yaml")
            Issue.record("accepted \(yaml)")
        } catch {
            #expect(error.code == .notAnObject)
            #expect(error.message == message)
            #expect(error.location.file == "x.yaml" && error.location.line == 1)
        }
    }

    @Test func generateNameIsEnough() throws {
        let objects = try Manifest.decode(Array("apiVersion: batch/v1\nkind: Job\nmetadata: {generateName: migrate-}\n".utf8), file: "j")
        #expect(objects.first?.name == "migrate-")
    }

    @Test func applyOrderStagesThenHelmOrderThenNames() {
        func key(_ group: String, _ kind: String, _ ns: String = "", _ name: String = "x") -> ResourceKey {
            ResourceKey(group: group, kind: kind, namespace: ns, name: name)
        }
        let expected = [
            key("apiextensions.k8s.io", "CustomResourceDefinition"),
            key("", "Namespace"),
            key("rbac.authorization.k8s.io", "ClusterRole"),
            key("rbac.authorization.k8s.io", "ClusterRoleBinding"),
            key("scheduling.k8s.io", "PriorityClass"),
            key("storage.k8s.io", "StorageClass"),
            key("", "ServiceAccount", "a"),
            key("", "Secret", "a"),
            key("", "ConfigMap", "a", "a"),
            key("", "ConfigMap", "a", "b"),
            key("", "ConfigMap", "b", "a"),
            key("rbac.authorization.k8s.io", "Role", "a"),
            key("", "Service", "a"),
            key("apps", "Deployment", "a"),
            key("batch", "Job", "a"),
            key("networking.k8s.io", "Ingress", "a"),
            key("admissionregistration.k8s.io", "ValidatingWebhookConfiguration"),
            key("example.com", "Alpha", "a"),  // unknown kinds last, by kind
            key("example.com", "Widget", "a"),
        ]
        #expect(expected.shuffled().sorted(by: ApplyOrder.precedes) == expected)
    }
}
