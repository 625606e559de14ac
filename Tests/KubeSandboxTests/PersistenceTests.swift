import Foundation
import KubeSandbox
import Testing

@Suite("Persistence with --data", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct PersistenceTests {
    @Test("a restarted sandbox keeps every object, and resourceVersions keep increasing")
    func restartKeepsObjects() async throws {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("sandbox-data-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let data = dir.appendingPathComponent("state.db").path

        let before = try await withSandbox({ $0.dataPath = data }) { kubectl, _ in
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.widgetCRD)
            try await kubectl.ok(["apply", "-f", "-"], stdin: Fixtures.widget("w1", size: 3))
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.namespace("team"))
            try await kubectl.ok(["create", "-n", "team", "-f", "-"], stdin: Fixtures.configMap("kept", data: ["a": "1"]))
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("dropped", data: [:]))
            try await kubectl.ok(["delete", "cm", "dropped"])
            let cm = try await kubectl.json(["get", "cm", "kept", "-n", "team"])
            return (uid: cm.string("metadata.uid"), rv: Int(cm.string("metadata.resourceVersion") ?? "") ?? 0)
        }
        try await withSandbox({ $0.dataPath = data }) { kubectl, _ in
            let cm = try await kubectl.json(["get", "cm", "kept", "-n", "team"])
            #expect(cm.string("metadata.uid") == before.uid)
            #expect(cm.string("data.a") == "1")
            #expect(try await kubectl.run(["get", "cm", "dropped"]).stderr.contains("NotFound"))
            let widget = try await kubectl.json(["get", "widget", "w1"])
            #expect(widget["spec.size"]?.intValue == 3, "CRDs and their objects survive")
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("after", data: [:]))
            let after = try await kubectl.json(["get", "cm", "after"])
            let rv = try #require(after.string("metadata.resourceVersion").flatMap { Int($0) })
            #expect(rv > before.rv)
        }
    }
}
