import Kube
import KubeSandbox
import Manifests
import Testing

/// Server-side apply through Keelson's client, with two field managers.
@Suite("Client server-side apply against the sandbox")
struct ClientApplyTests {
    @Test("a second manager changing an owned field conflicts with the field in the causes; force takes it over")
    func conflictThenForce() async throws {
        try await withSandboxClient { client, _ in
            let first = try await client.apply(
                configMap("s", data: ["owned": "by-a", "only-a": "x"]), options: ApplyOptions(fieldManager: "manager-a"))
            #expect(first.object["data"]?["owned"]?.stringValue == "by-a")
            let managers = first.metadata["managedFields"]?.arrayValue?.compactMap { $0["manager"]?.stringValue } ?? []
            #expect(managers.contains("manager-a"))

            let contested = configMap("s", data: ["owned": "by-b"])
            let error = try await #require(throws: KubeError.self) {
                try await client.apply(contested, options: ApplyOptions(fieldManager: "manager-b"))
            }
            #expect(error.isConflict)
            let causes = error.status?.causes ?? []
            #expect(
                causes.contains { $0.reason == "FieldManagerConflict" && $0.field == ".data.owned" && $0.message.contains("manager-a") }, "\(causes)")
            #expect(!causes.contains { $0.field.contains("only-a") })
            #expect(try await client.get(configMapKind, name: "s", namespace: "default").object["data"]?["owned"]?.stringValue == "by-a")

            let forced = try await client.apply(contested, options: ApplyOptions(fieldManager: "manager-b", force: true))
            #expect(forced.object["data"]?["owned"]?.stringValue == "by-b")
            // manager-a still owns only-a, so it stays.
            #expect(forced.object["data"]?["only-a"]?.stringValue == "x")
            // manager-a re-applying without the field it lost is now fine, and removes only-a when it stops applying it.
            let reapplied = try await client.apply(configMap("s", data: [:]), options: ApplyOptions(fieldManager: "manager-a"))
            #expect(reapplied.object["data"]?["only-a"] == nil)
            #expect(reapplied.object["data"]?["owned"]?.stringValue == "by-b")
        }
    }

    @Test("apply creates, then is idempotent: the same apply leaves the resourceVersion alone")
    func applyIsIdempotent() async throws {
        try await withSandboxClient { client, _ in
            let options = ApplyOptions(fieldManager: "keelson", force: true)
            let created = try await client.apply(configMap("i", labels: ["app": "x"], data: ["k": "v"]), options: options)
            let again = try await client.apply(configMap("i", labels: ["app": "x"], data: ["k": "v"]), options: options)
            #expect(created.metadata["uid"] == again.metadata["uid"])
            #expect(created.metadata["resourceVersion"] == again.metadata["resourceVersion"])
            let changed = try await client.apply(configMap("i", labels: ["app": "x"], data: ["k": "w"]), options: options)
            #expect(changed.metadata["resourceVersion"] != created.metadata["resourceVersion"])
        }
    }
}
