import Foundation
import Testing

@Suite("Apply, patch and update with the real kubectl", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct ApplyTests {
    @Test("server-side apply removes a field its manager stops applying")
    func serverSideApplyRemovesDroppedFields() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1", "b": "2"]))
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1"]))
            let cm = try await kubectl.json(["get", "cm", "c"])
            #expect(cm.string("data.a") == "1")
            #expect(cm["data.b"] == nil)
        }
    }

    // Pins: kubectl's move from client-side to server-side apply rewrites managedFields with a
    // patch, handing the client-side manager's fields to the server-side one; a later apply that
    // drops a field then removes it (with the rewrite discarded, the old manager kept it alive).
    @Test("a client-side apply moved to server-side apply gives up its fields: a field dropped later is removed")
    func clientSideToServerSideMigration() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1", "b": "2"]))
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1", "b": "2"]))
            let managers = try await kubectl.ok(["get", "cm", "c", "-o", "jsonpath={.metadata.managedFields[*].manager}"])
            #expect(!managers.contains("kubectl-client-side-apply"), "\(managers)")
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1"]))
            let cm = try await kubectl.json(["get", "cm", "c"])
            #expect(cm.string("data.a") == "1")
            #expect(cm["data.b"] == nil)
        }
    }

    // Pins the reset form: an update that sets managedFields to [] clears every owner.
    @Test("a patch that sets managedFields to an empty list clears ownership")
    func emptyManagedFieldsReset() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1"]))
            try await kubectl.ok(["patch", "cm", "c", "--type", "merge", "-p", #"{"metadata":{"managedFields":[]}}"#])
            let managers = try await kubectl.ok(["get", "cm", "c", "-o", "jsonpath={.metadata.managedFields[*].manager}"])
            #expect(managers.isEmpty, "\(managers)")
        }
    }

    @Test("server-side apply keeps a field another manager also owns")
    func sharedFieldSurvives() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(
                ["apply", "--server-side", "--field-manager=alice", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1", "b": "2"]))
            try await kubectl.ok(["apply", "--server-side", "--field-manager=bob", "-f", "-"], stdin: Fixtures.configMap("c", data: ["b": "2"]))
            try await kubectl.ok(["apply", "--server-side", "--field-manager=alice", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1"]))
            let cm = try await kubectl.json(["get", "cm", "c"])
            #expect(cm.string("data.b") == "2", "bob still applies data.b")
        }
    }

    @Test("server-side apply of another manager's field conflicts unless forced")
    func conflictsAndForce() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "--server-side", "--field-manager=alice", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1"]))
            let clash = try await kubectl.run(
                ["apply", "--server-side", "--field-manager=bob", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "2"]))
            #expect(clash.status != 0)
            #expect(clash.stderr.contains("conflict with \"alice\""), "\(clash.stderr)")
            #expect(clash.stderr.contains(".data.a"), "\(clash.stderr)")
            #expect(try await kubectl.json(["get", "cm", "c"]).string("data.a") == "1")

            try await kubectl.ok(
                ["apply", "--server-side", "--force-conflicts", "--field-manager=bob", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "2"]))
            let cm = try await kubectl.json(["get", "cm", "c", "--show-managed-fields"])
            #expect(cm.string("data.a") == "2")
            let managers = (cm["metadata.managedFields"]?.arrayValue ?? []).compactMap { entry -> String? in
                entry["fieldsV1"]?["f:data"]?["f:a"] != nil ? entry["manager"]?.stringValue : nil
            }
            #expect(managers == ["bob"], "ownership of data.a moved to bob")
        }
    }

    @Test("client-side apply uses a three-way merge: fields set by others survive, generation tracks spec changes")
    func clientSideApply() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.deployment("web", image: "nginx:1.25"))
            try await kubectl.ok(["label", "deployment", "web", "team=blue"])
            let labelled = try await kubectl.json(["get", "deploy", "web"])
            #expect(labelled["metadata.generation"]?.intValue == 1, "labels are metadata: no new generation")
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.deployment("web", image: "nginx:1.26"))
            let deploy = try await kubectl.json(["get", "deploy", "web"])
            #expect(deploy.string("spec.template.spec.containers.0.image") == "nginx:1.26")
            #expect(deploy.string("metadata.labels.team") == "blue")
            #expect(deploy["metadata.generation"]?.intValue == 2)
        }
    }

    /// Each case pins one patch or scale path kubectl uses and the replicas it must leave.
    @Test(
        "patch and scale change spec.replicas and bump the generation",
        arguments: [
            (["patch", "deployment", "web", "--type", "merge", "-p", #"{"spec":{"replicas":5}}"#], 5),
            (["patch", "deployment", "web", "--type", "json", "-p", #"[{"op":"replace","path":"/spec/replicas","value":4}]"#], 4),
            (["patch", "deployment", "web", "-p", #"{"spec":{"replicas":6}}"#], 6),
            (["scale", "deployment", "web", "--replicas=3"], 3),
        ])
    func patchAndScale(arguments: [String], replicas: Int) async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.deployment("web", replicas: 2))
            try await kubectl.ok(arguments)
            let deploy = try await kubectl.json(["get", "deploy", "web"])
            #expect(deploy["spec.replicas"]?.intValue == Int64(replicas))
            #expect(deploy["metadata.generation"]?.intValue == 2)
            #expect(deploy.string("spec.template.spec.containers.0.name") == "main")
        }
    }

    @Test("a strategic merge patch merges containers by name")
    func strategicMergeByName() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.deployment("web"))
            let patch = #"{"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"busybox"}]}}}}"#
            try await kubectl.ok(["patch", "deployment", "web", "-p", patch])
            let deploy = try await kubectl.json(["get", "deploy", "web"])
            let names = (deploy["spec.template.spec.containers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(names == ["main", "sidecar"])
            try await kubectl.ok(["patch", "deployment", "web", "--type", "merge", "-p", patch])
            let replaced = try await kubectl.json(["get", "deploy", "web"])
            let after = (replaced["spec.template.spec.containers"]?.arrayValue ?? []).compactMap { $0["name"]?.stringValue }
            #expect(after == ["sidecar"], "a JSON merge patch replaces lists")
        }
    }

    @Test("a replace with a stale resourceVersion is a Conflict")
    func optimisticConcurrency() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1"]))
            let stale = try await kubectl.ok(["get", "cm", "c", "-o", "json"])
            try await kubectl.ok(["patch", "cm", "c", "--type", "merge", "-p", #"{"data":{"a":"2"}}"#])
            let result = try await kubectl.run(["replace", "-f", "-"], stdin: stale)
            #expect(result.status != 0)
            #expect(result.stderr.contains("the object has been modified"), "\(result.stderr)")
            #expect(try await kubectl.json(["get", "cm", "c"]).string("data.a") == "2")
        }
    }

    /// Each case pins that a write with `--dry-run=server` stores nothing.
    @Test(
        "dry-run=server writes nothing",
        arguments: [
            ["apply", "--server-side", "--dry-run=server", "-f", "-"], ["apply", "--dry-run=server", "-f", "-"],
            ["create", "--dry-run=server", "-f", "-"],
        ])
    func dryRun(arguments: [String]) async throws {
        try await withSandbox { kubectl, _ in
            let out = try await kubectl.ok(arguments, stdin: Fixtures.configMap("ghost", data: ["a": "1"]))
            #expect(out.contains("(server dry run)"), "\(out)")
            let result = try await kubectl.run(["get", "cm", "ghost"])
            #expect(result.stderr.contains("NotFound"))
        }
    }

    /// kubectl sends `dryRun` in the DeleteOptions body, not the query: a sandbox reading only the
    /// query deleted for real.
    @Test(
        "delete --dry-run=server deletes nothing",
        arguments: [
            ["delete", "cm", "ghost", "--dry-run=server"], ["delete", "cm", "--all", "-n", "default", "--dry-run=server"],
            ["delete", "ns", "default", "--dry-run=server"],
        ])
    func dryRunDelete(arguments: [String]) async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("ghost", data: ["a": "1"]))
            let out = try await kubectl.ok(arguments)
            #expect(out.contains("(server dry run)"), "\(out)")
            #expect(try await kubectl.json(["get", "cm", "ghost"]).string("data.a") == "1")
            #expect(try await kubectl.json(["get", "ns", "default"]).string("status.phase") == "Active")
        }
    }

    @Test("apply --prune --dry-run=server prunes nothing")
    func dryRunPrune() async throws {
        try await withSandbox { kubectl, _ in
            for name in ["kept", "pruned"] {
                try await kubectl.ok(
                    ["apply", "-l", "app=demo", "-f", "-"], stdin: Fixtures.configMap(name, data: ["a": "1"], labels: ["app": "demo"]))
            }
            let out = try await kubectl.ok(
                ["apply", "--prune", "-l", "app=demo", "--dry-run=server", "-f", "-"],
                stdin: Fixtures.configMap("kept", data: ["a": "1"], labels: ["app": "demo"]))
            #expect(out.contains("configmap/pruned pruned (server dry run)"), "\(out)")
            #expect(try await kubectl.json(["get", "cm", "pruned"]).string("data.a") == "1")
        }
    }

    @Test("diff --server-side shows a pending change and exits 1, and exits 0 when in sync")
    func serverSideDiff() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1"]))
            let same = try await kubectl.run(["diff", "--server-side", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "1"]))
            #expect(same.status == 0, "\(same.stdout)\(same.stderr)")
            let changed = try await kubectl.run(["diff", "--server-side", "-f", "-"], stdin: Fixtures.configMap("c", data: ["a": "9"]))
            #expect(changed.status == 1, "\(changed.stderr)")
            #expect(changed.stdout.contains("-  a: \"1\""), "\(changed.stdout)")
            #expect(changed.stdout.contains("+  a: \"9\""), "\(changed.stdout)")
            #expect(try await kubectl.json(["get", "cm", "c"]).string("data.a") == "1")
        }
    }
}
