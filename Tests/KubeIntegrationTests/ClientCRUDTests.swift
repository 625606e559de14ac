import Foundation
import Kube
import KubeSandbox
import Manifests
import Testing

/// Keelson's client against a sandbox over real HTTP: discovery, reads, writes, deletes.
@Suite("Client CRUD against the sandbox")
struct ClientCRUDTests {
    static let widgetCRD = """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: widgets.example.com}
        spec:
          group: example.com
          names: {plural: widgets, singular: widget, kind: Widget}
          scope: Namespaced
          versions:
          - name: v1
            served: true
            storage: true
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        """

    @Test("discovery maps built-in kinds, and a CRD created after the cache filled is found on a miss")
    func discoveryFindsNewCRD() async throws {
        try await withSandboxClient { client, _ in
            let deployment = try await client.resource(for: GroupVersionKind(apiVersion: "apps/v1", kind: "Deployment"))
            #expect(deployment.plural == "deployments")
            #expect(deployment.namespaced)
            let namespace = try await client.resource(for: GroupVersionKind(apiVersion: "v1", kind: "Namespace"))
            #expect(!namespace.namespaced)
            let widget = GroupVersionKind(apiVersion: "example.com/v1", kind: "Widget")
            // The cache is full now and knows no Widget.
            let unknown = try await #require(throws: KubeError.self) { try await client.resource(for: widget) }
            #expect(unknown.code == .unknownKind)
            _ = try await client.apply(try object(Self.widgetCRD), options: ApplyOptions(fieldManager: "test"))
            let found = try await client.resource(for: widget)
            #expect(found.plural == "widgets")
            let created = try await client.create(
                try object("apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w, namespace: default}\nspec: {size: 3}"))
            #expect(created.object["spec"]?["size"]?.intValue == 3)
            #expect(try await client.get(widget, name: "w", namespace: "default").name == "w")
        }
    }

    @Test("list filters by label and field selectors and pages with limit/continue")
    func listSelectorsAndPages() async throws {
        try await withSandboxClient { client, _ in
            for index in 0..<7 {
                _ = try await client.create(configMap("cm-\(index)", labels: ["app": index % 2 == 0 ? "even" : "odd", "tier": "t\(index % 3)"]))
            }
            let even = try await client.listAll(configMapKind, namespace: "default", options: ListOptions(labelSelector: [.equals("app", "even")]))
            #expect(Set(even.items.map(\.name)) == ["cm-0", "cm-2", "cm-4", "cm-6"])
            let setBased = try await client.listAll(
                configMapKind, namespace: "default", options: ListOptions(labelSelector: [.in("tier", ["t0", "t1"]), .notEquals("app", "even")]))
            #expect(Set(setBased.items.map(\.name)) == ["cm-1", "cm-3"])
            let byName = try await client.list(configMapKind, namespace: nil, options: ListOptions(fieldSelector: [.equals("metadata.name", "cm-5")]))
            #expect(byName.items.map(\.name) == ["cm-5"])
            #expect(byName.items.first?.kind == "ConfigMap")
            // Pages of 3: 3 + 3 + 1, each but the last with a continue token, nothing repeated.
            var pages: [[String]] = []
            var options = ListOptions(labelSelector: [.exists("app")], limit: 3)
            repeat {
                let page = try await client.list(configMapKind, namespace: "default", options: options)
                pages.append(page.items.map(\.name))
                options.continueToken = page.continueToken
            } while !(options.continueToken ?? "").isEmpty && pages.count < 10
            #expect(pages.map(\.count) == [3, 3, 1])
            #expect(Set(pages.flatMap { $0 }).count == 7)
        }
    }

    @Test("update with a stale resourceVersion is a Conflict; with the current one it succeeds")
    func staleUpdateConflicts() async throws {
        try await withSandboxClient { client, _ in
            let created = try await client.create(configMap("c", data: ["k": "1"]))
            var first = created
            first.object["data"] = ["k": "2"]
            let updated = try await client.update(first)
            #expect(updated.object["data"]?["k"]?.stringValue == "2")
            var stale = created
            stale.object["data"] = ["k": "3"]
            let error = try await #require(throws: KubeError.self) { try await client.update(stale) }
            #expect(error.isConflict)
            #expect(error.status?.code == 409)
            #expect(try await client.get(configMapKind, name: "c", namespace: "default").object["data"]?["k"]?.stringValue == "2")
            let again = try await #require(throws: KubeError.self) { try await client.create(configMap("c")) }
            #expect(again.isAlreadyExists)
        }
    }

    @Test("merge patch sets and removes keys and bumps the resourceVersion")
    func mergePatch() async throws {
        try await withSandboxClient { client, _ in
            let created = try await client.create(configMap("m", data: ["keep": "a", "drop": "b"]))
            let patched = try await client.mergePatch(
                configMapKind, name: "m", namespace: "default", patch: ["data": ["drop": nil, "new": "c"]])
            #expect(patched.object["data"] == ["keep": "a", "new": "c"])
            let before = try #require(Int(created.metadata["resourceVersion"]?.stringValue ?? ""))
            let after = try #require(Int(patched.metadata["resourceVersion"]?.stringValue ?? ""))
            #expect(after > before)
            let missing = try await #require(throws: KubeError.self) {
                try await client.mergePatch(configMapKind, name: "absent", namespace: "default", patch: ["data": ["a": "b"]])
            }
            #expect(missing.isNotFound)
        }
    }

    @Test("dryRun=All answers like the write would but stores nothing, for every kind of write")
    func dryRunWritesNothing() async throws {
        try await withSandboxClient { client, _ in
            let dry = WriteOptions(dryRun: true)
            let answer = try await client.create(configMap("d", data: ["k": "v"]), options: dry)
            #expect(answer.object["data"]?["k"]?.stringValue == "v")
            try await expectNotFound(client, "d")
            _ = try await client.apply(configMap("d", data: ["k": "v"]), options: ApplyOptions(fieldManager: "test", dryRun: true))
            try await expectNotFound(client, "d")

            let real = try await client.create(configMap("d", data: ["k": "v"]))
            _ = try await client.mergePatch(configMapKind, name: "d", namespace: "default", patch: ["data": ["k": "changed"]], options: dry)
            var replaced = real
            replaced.object["data"] = ["k": "replaced"]
            _ = try await client.update(replaced, options: dry)
            _ = try await client.delete(configMapKind, name: "d", namespace: "default", options: DeleteOptions(dryRun: true))
            let stored = try await client.get(configMapKind, name: "d", namespace: "default")
            #expect(stored.object["data"]?["k"]?.stringValue == "v")
            #expect(stored.metadata["resourceVersion"] == real.metadata["resourceVersion"])
        }
    }

    /// Each case pins one propagation policy: dependents (by ownerReferences) go with the owner,
    /// except under Orphan, where they stay and lose the reference.
    @Test(
        "delete with a propagation policy removes the owner and treats dependents by the policy; finalizers hold an object until cleared",
        arguments: [(PropagationPolicy.background, false), (.foreground, false), (.orphan, true)])
    func deleteWithPropagation(policy: PropagationPolicy, dependentSurvives: Bool) async throws {
        try await withSandboxClient { client, _ in
            let owner = try await client.create(configMap("owner"))
            let uid = try #require(owner.metadata["uid"]?.stringValue)
            var child = configMap("child")
            child.setMetadata("ownerReferences", [["apiVersion": "v1", "kind": "ConfigMap", "name": "owner", "uid": .string(uid)]])
            _ = try await client.create(child)
            _ = try await client.create(configMap("bystander"))

            let gone = try await client.delete(configMapKind, name: "owner", namespace: "default", options: DeleteOptions(propagationPolicy: policy))
            // In the foreground the API server answers with the owner it marked; otherwise with a Status.
            #expect((gone?.metadata["deletionTimestamp"] != nil) == (policy == .foreground))
            try await expectNotFound(client, "owner")
            if dependentSurvives {
                let orphan = try await client.get(configMapKind, name: "child", namespace: "default")
                #expect(orphan.metadata["ownerReferences"] == nil)
            } else {
                try await expectNotFound(client, "child")
            }
            #expect(try await client.get(configMapKind, name: "bystander", namespace: "default").name == "bystander")

            var held = configMap("held")
            held.setMetadata("finalizers", ["example.com/hold"])
            _ = try await client.create(held)
            let marked = try #require(
                try await client.delete(configMapKind, name: "held", namespace: "default", options: DeleteOptions(propagationPolicy: policy)))
            #expect(marked.metadata["deletionTimestamp"]?.stringValue != nil)
            _ = try await client.mergePatch(configMapKind, name: "held", namespace: "default", patch: ["metadata": ["finalizers": nil]])
            try await expectNotFound(client, "held")
            let missing = try await #require(throws: KubeError.self) {
                try await client.delete(configMapKind, name: "held", namespace: "default", options: DeleteOptions(propagationPolicy: policy))
            }
            #expect(missing.isNotFound)
        }
    }
}

/// Fails unless the ConfigMap `name` in `default` is absent (404 NotFound).
func expectNotFound(_ client: KubeClient, _ name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) async throws {
    let error = try await #require(throws: KubeError.self, sourceLocation: sourceLocation) {
        try await client.get(configMapKind, name: name, namespace: "default")
    }
    #expect(error.isNotFound, "\(error)", sourceLocation: sourceLocation)
}
