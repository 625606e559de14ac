import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// `keelson app` (the real binary) against a controller and the server on a sandbox.
@Suite(.serialized) struct AppCLITests {
    typealias H = ServerHarness
    let keelson = Fixtures.keelsonExecutable()

    func app(_ h: H, _ arguments: [String], role: String = "operator") async throws -> ProcessResult {
        try await ProcessRunner.run(
            keelson, ["app"] + arguments + ["--server", h.baseURL],
            environment: ["KEELSON_TOKEN": H.tokens[role] ?? role, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
    }

    @Test func listGetDiffSyncHistoryRollbackSuspendResume() async throws {
        let files = ["web/config.yaml": H.configMap("web-config", "1")]
        try await H.with(files: files, apps: ["web": H.app("web", path: "web", selfHeal: false, interval: "10m")]) { h in
            try await h.eventually("web is synced") { try await h.syncStatus("web") == "Synced" }

            let list = try await app(h, ["list"])
            #expect(list.status == 0, "\(list.errorOutput)")
            let lines = list.output.split(separator: "\n")
            #expect(lines.first?.hasPrefix("NAME   NAMESPACE   SYNC     HEALTH    DELIVERY   REVISION   POLICY") == true, "\(list.output)")
            #expect(lines.dropFirst().first?.hasPrefix("web    keelson     Synced   Healthy   -          ") == true, "\(list.output)")
            let json = try JSONParser.parse(Array(try await app(h, ["list", "-o", "json"]).output.utf8))
            #expect(json["items"]?.arrayValue?.first?["name"] == "web")
            #expect(try await app(h, ["list", "-o", "yaml"]).output.contains("name: web"))

            let get = try await app(h, ["get", "web", "-n", "keelson"])
            #expect(get.status == 0)
            #expect(get.output.contains("Repository:  \(h.repositoryURL)"))
            #expect(get.output.contains("ConfigMap   default     web-config   Synced"), "\(get.output)")
            #expect(try await app(h, ["diff", "web"]).status == 0)

            _ = try await h.client.mergePatch(
                H.configMaps, name: "web-config", namespace: "default", patch: ["data": ["value": "by-hand"]],
                options: WriteOptions(fieldManager: "kubectl-edit"))
            try await h.eventually("web is out of sync") { try await h.syncStatus("web") == "OutOfSync" }
            let diff = try await app(h, ["diff", "web"])
            #expect(diff.status == 1)
            #expect(diff.output.hasPrefix("=== ConfigMap/default/web-config (OutOfSync)\n"))
            #expect(diff.output.contains("-  value: by-hand") && diff.output.contains("+  value: \"1\""), "\(diff.output)")

            let dryRun = try await app(h, ["sync", "web", "--dry-run"])
            #expect(dryRun.status == 0 && dryRun.output.contains("ConfigMap   default     web-config"), "\(dryRun.output)")
            #expect(await h.configMapValue("web-config") == "by-hand")
            let sync = try await app(h, ["sync", "web"])
            #expect(sync.output == "sync of keelson/web requested\n", "\(sync.output)\(sync.errorOutput)")
            try await h.eventually("the sync reverts the drift") { await h.configMapValue("web-config") == "1" }

            // The sync's history entry is written with the status, just after the objects.
            try await h.eventually("history has two entries") { try await app(h, ["history", "web"]).output.split(separator: "\n").count == 3 }
            let history = try await app(h, ["history", "web"])
            #expect(history.output.hasPrefix("ID   REVISION   DEPLOYED"), "\(history.output)")
            #expect(history.output.split(separator: "\n").last?.contains("manual") == true, "\(history.output)")
            let rollback = try await app(h, ["rollback", "web", "1"])
            #expect(rollback.output == "rollback to history entry 1 of keelson/web requested\n", "\(rollback.output)\(rollback.errorOutput)")

            #expect(try await app(h, ["suspend", "web"]).output.hasPrefix("keelson/web suspended"))
            // The list shows it once the controller has seen the change to the Application.
            try await h.eventually("the list says suspended") { try await app(h, ["list"]).output.contains("suspended") }
            #expect(try await app(h, ["resume", "web"]).output.hasPrefix("keelson/web resumed"))

            // Errors a user meets: a viewer's action, a wrong token, an unknown application.
            let viewer = try await app(h, ["sync", "web"], role: "viewer")
            #expect(viewer.status == 1 && viewer.errorOutput.hasPrefix("keelson: forbidden (403): "), "\(viewer.errorOutput)")
            let wrong = try await app(h, ["list"], role: "not-a-token-5c1f")
            #expect(wrong.status == 1 && wrong.errorOutput.contains("401 Unauthorized"))
            #expect(!(wrong.output + wrong.errorOutput).contains("not-a-token-5c1f"))
            let missing = try await app(h, ["get", "nope"])
            #expect(missing.status == 1 && missing.errorOutput.contains("not found (404): application nope not found"), "\(missing.errorOutput)")
        }
    }
}
