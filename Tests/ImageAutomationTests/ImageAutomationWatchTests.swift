import Foundation
import ImageAutomation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// Image automation follows the cluster by watch: once its kinds are listed, new and changed
/// objects are acted on without another list (a loop that listed on a timer needs one per reaction).
@Suite struct ImageAutomationWatchTests {
    static let policies = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "ImagePolicy")

    static func invalidPolicy(_ name: String, range: String = "one point oh") -> String {
        // A range that is no range: refused with InvalidSpec before any registry is asked.
        "apiVersion: keelson.dev/v1alpha1\nkind: ImagePolicy\nmetadata: {name: \(name), namespace: keelson}\nspec: {image: example.invalid/app, policy: {semver: {range: '\(range)'}}}\n"
    }

    /// The `Ready` condition's reason and message.
    static func ready(_ client: KubeClient, _ name: String) async -> (reason: String?, message: String)? {
        let object = try? await client.get(policies, name: name, namespace: "keelson")
        let conditions = object?.object["status"]?["conditions"]?.arrayValue ?? []
        guard let ready = conditions.first(where: { $0["type"]?.stringValue == "Ready" }) else { return nil }
        return (ready["reason"]?.stringValue, ready["message"]?.stringValue ?? "")
    }

    @Test func newAndChangedObjectsAreActedOnWithoutListing() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-image-watch")
        defer { folder.remove() }
        try await GitFixtures.withSandbox(in: folder) { client, cache in
            let counted = CountingKubernetesAPI(client)
            let service = ImageAutomationService(client: counted, git: cache)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                defer { group.cancelAll() }
                try await ImageAutomationEndToEndTests.apply(
                    client, "apiVersion: v1\nkind: Namespace\nmetadata: {name: keelson}\n---\n" + Self.invalidPolicy("first"))
                try await ImageAutomationEndToEndTests.eventually("the first policy is refused") {
                    await Self.ready(client, "first")?.reason == "InvalidSpec"
                }
                let lists = counted.calls[.list, default: 0]
                #expect(lists >= 2, "both kinds were listed once: \(counted.calls)")

                // A new policy and a changed one: each reaction comes from a watch event.
                try await ImageAutomationEndToEndTests.apply(client, Self.invalidPolicy("second"))
                try await ImageAutomationEndToEndTests.eventually("the second policy is refused") {
                    await Self.ready(client, "second")?.reason == "InvalidSpec"
                }
                try await ImageAutomationEndToEndTests.apply(client, Self.invalidPolicy("first", range: "two point oh"))
                try await ImageAutomationEndToEndTests.eventually("the changed policy is refused for its new range") {
                    await Self.ready(client, "first")?.message.contains("two point oh") == true
                }
                #expect(counted.calls[.list, default: 0] == lists, "no list after the first: \(counted.calls)")
            }
        }
    }
}
