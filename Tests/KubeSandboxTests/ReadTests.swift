import Foundation
import Testing

@Suite("Lists, selectors, watch and delete with the real kubectl", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct ReadTests {
    static let labelled = [
        Fixtures.configMap("a", data: [:], labels: ["app": "web", "tier": "front"]),
        Fixtures.configMap("b", data: [:], labels: ["app": "web", "tier": "back"]),
        Fixtures.configMap("c", data: [:], labels: ["app": "db", "legacy": "yes"]),
    ].joined(separator: "---\n")

    /// Each case pins one selector form of the Kubernetes label and field selector syntax.
    @Test(
        "label and field selectors filter lists",
        arguments: [
            (["-l", "app=web"], ["a", "b"]),
            (["-l", "app!=web"], ["c", "kube-root-ca-free"]),
            (["-l", "tier in (front,back)"], ["a", "b"]),
            (["-l", "tier notin (front)"], ["b", "c", "kube-root-ca-free"]),
            (["-l", "legacy"], ["c"]),
            (["-l", "!legacy,app"], ["a", "b"]),
            (["--field-selector", "metadata.name=b"], ["b"]),
            (["--field-selector", "metadata.name!=b", "-l", "app"], ["a", "c"]),
        ])
    func selectors(arguments: [String], expected: [String]) async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Self.labelled)
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("kube-root-ca-free", data: [:]))
            let list = try await kubectl.json(["get", "configmaps"] + arguments)
            #expect(list.items.compactMap { $0.string("metadata.name") } == expected)
        }
    }

    @Test("an unsupported field selector is a BadRequest")
    func unsupportedFieldSelector() async throws {
        try await withSandbox { kubectl, _ in
            let result = try await kubectl.run(["get", "cm", "--field-selector", "data.a=1"])
            #expect(result.status != 0)
            #expect(result.stderr.contains("field label not supported: data.a"), "\(result.stderr)")
        }
    }

    @Test("pagination with --chunk-size returns every object once")
    func pagination() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Self.labelled)
            let list = try await kubectl.json(["get", "cm", "--chunk-size=1"])
            #expect(list.items.compactMap { $0.string("metadata.name") } == ["a", "b", "c"])
        }
    }

    @Test("get --watch streams additions, changes and deletions")
    func watch() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("before", data: [:]))
            async let watched = kubectl.run(
                [
                    "get", "cm", "--watch", "--output-watch-events", "-o", "custom-columns=EVENT:.type,NAME:.object.metadata.name,A:.object.data.a",
                    "--no-headers",
                ],
                timeout: .seconds(120), until: { $0.contains("DELETED") })  // the timeout is a last guard
            try await Task.sleep(for: .seconds(2))
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("during", data: ["a": "1"]))
            try await kubectl.ok(["patch", "cm", "during", "--type", "merge", "-p", #"{"data":{"a":"2"}}"#])
            try await kubectl.ok(["delete", "cm", "during"])
            let lines = try await watched.stdout.split(separator: "\n").map {
                $0.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
            }
            #expect(lines == ["ADDED before <none>", "ADDED during 1", "MODIFIED during 2", "DELETED during 2"])
        }
    }

    // Pins: kubectl describe lists an object's Events with a field selector on every
    // involvedObject field, and `source` selects by the reporting component.
    @Test("describe finds an object's events by the API server's Event field selectors")
    func describeShowsEvents() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("settings", data: ["a": "1"]))
            let uid = try await kubectl.ok(["get", "cm", "settings", "-o", "jsonpath={.metadata.uid}"])
            let event = """
                apiVersion: v1
                kind: Event
                metadata: {name: settings.1, namespace: default}
                involvedObject: {apiVersion: v1, kind: ConfigMap, name: settings, namespace: default, uid: \(uid)}
                reason: Reloaded
                message: the settings were read again
                type: Normal
                source: {component: keelson-test}
                """
            try await kubectl.ok(["create", "-f", "-"], stdin: event)
            let described = try await kubectl.ok(["describe", "configmap", "settings"])
            #expect(described.contains("Reloaded") && described.contains("the settings were read again"), "\(described)")
            let bySource = try await kubectl.ok(["get", "events", "--field-selector", "source=keelson-test", "-o", "name"])
            #expect(bySource.split(separator: "\n") == ["event/settings.1"])
            let none = try await kubectl.ok(["get", "events", "--field-selector", "source=someone-else", "-o", "name"])
            #expect(none.isEmpty)
        }
    }

    // Pins foreground deletion's order: the owner stays, marked and held by foregroundDeletion,
    // while a dependent that blocks it is still there, and goes as soon as that dependent does.
    @Test("a foreground delete removes the owner only after the dependents that block it")
    func foregroundDeletionWaitsForDependents() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("parent", data: [:]))
            let uid = try await kubectl.ok(["get", "cm", "parent", "-o", "jsonpath={.metadata.uid}"])
            let child = """
                apiVersion: v1
                kind: ConfigMap
                metadata:
                  name: child
                  finalizers: [example.com/hold]
                  ownerReferences: [{apiVersion: v1, kind: ConfigMap, name: parent, uid: \(uid), blockOwnerDeletion: true}]
                """
            try await kubectl.ok(["create", "-f", "-"], stdin: child)
            try await kubectl.ok(["delete", "cm", "parent", "--cascade=foreground", "--wait=false"])
            let parent = try await kubectl.json(["get", "cm", "parent"])
            #expect(parent["metadata.deletionTimestamp"] != nil)
            #expect(parent["metadata.finalizers"]?.arrayValue?.compactMap(\.stringValue) == ["foregroundDeletion"])
            #expect(try await kubectl.json(["get", "cm", "child"])["metadata.deletionTimestamp"] != nil, "the dependent is being deleted")
            try await kubectl.ok(["patch", "cm", "child", "--type", "merge", "-p", #"{"metadata":{"finalizers":null}}"#])
            for name in ["child", "parent"] {
                let gone = try await kubectl.run(["get", "cm", name])
                #expect(gone.stderr.contains("NotFound"), "\(name): \(gone.stderr)")
            }
        }
    }

    @Test("deleting a namespace deletes the objects in it")
    func namespaceDeletion() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.namespace("team"))
            try await kubectl.ok(["apply", "-n", "team", "-f", "-"], stdin: Self.labelled)
            try await kubectl.ok(["delete", "namespace", "team"])
            let gone = try await kubectl.run(["get", "namespace", "team"])
            #expect(gone.stderr.contains("NotFound"), "\(gone.stderr)")
            let list = try await kubectl.json(["get", "cm", "-A"])
            #expect(list.items.allSatisfy { $0.string("metadata.namespace") != "team" })
        }
    }

    @Test("an object with a finalizer is only marked for deletion until the finalizer is removed")
    func finalizers() async throws {
        try await withSandbox { kubectl, _ in
            let manifest = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: held\n  finalizers: [example.com/hold]\n"
            try await kubectl.ok(["create", "-f", "-"], stdin: manifest)
            try await kubectl.ok(["delete", "cm", "held", "--wait=false"])
            let marked = try await kubectl.json(["get", "cm", "held"])
            #expect(marked.string("metadata.deletionTimestamp") != nil)
            try await kubectl.ok(["patch", "cm", "held", "--type", "merge", "-p", #"{"metadata":{"finalizers":null}}"#])
            let gone = try await kubectl.run(["get", "cm", "held"])
            #expect(gone.stderr.contains("NotFound"), "\(gone.stderr)")
        }
    }

    @Test("a CRD makes its resource usable; deleting it deletes the custom resources")
    func customResources() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.widgetCRD)
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.widget("w1", size: 3))
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Fixtures.widget("w2", size: 5))
            let list = try await kubectl.json(["get", "wd"])
            #expect(list.items.compactMap { $0["spec"]?["size"]?.intValue } == [3, 5])
            #expect(list.items.first?.string("kind") == "Widget")
            try await kubectl.ok(["patch", "widget", "w1", "--type", "merge", "-p", #"{"spec":{"size":4}}"#])
            let w1 = try await kubectl.json(["get", "widgets.example.com", "w1"])
            #expect(w1["metadata.generation"]?.intValue == 2)
            try await kubectl.ok(["delete", "crd", "widgets.example.com"])
            let gone = try await kubectl.run(["get", "widgets.example.com"])
            #expect(gone.status != 0)
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.widgetCRD)
            let empty = try await kubectl.json(["get", "widgets"])
            #expect(empty.items.isEmpty, "custom resources went with their CRD")
        }
    }
}
