import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// `keelson rollout` (the real binary) against a controller and the server on a sandbox,
/// driving the canary of `RolloutFixtures` to a promotion and then to an abort.
@Suite(.serialized) struct RolloutCLITests {
    typealias H = ServerHarness
    let keelson = Fixtures.keelsonExecutable()

    func rollout(_ h: H, _ arguments: [String], role: String = "operator") async throws -> ProcessResult {
        try await ProcessRunner.run(
            keelson, ["rollout"] + arguments + ["--server", h.baseURL],
            environment: ["KEELSON_TOKEN": H.tokens[role] ?? role, "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"])
    }

    func phase(_ h: H) async throws -> String? {
        try await h.call(.GET, "/api/v1/applications/shop-web/rollouts").json["items"]?.arrayValue?.first?["phase"]?.stringValue
    }

    @Test func listGetPromoteAbortAndStatusExitCodes() async throws {
        let files = ["shop/web.yaml": RolloutFixtures.web("1.0.0"), "shop/rollout.yaml": RolloutFixtures.rollout]
        try await H.with(files: files, apps: ["shop-web": H.app("shop-web", path: "shop")]) { h in
            try await h.eventually("the Rollout is Healthy") { try await phase(h) == "Healthy" }
            let list = try await rollout(h, ["list"])
            #expect(list.status == 0, "\(list.errorOutput)")
            #expect(list.output.hasPrefix("NAMESPACE   NAME   APPLICATION        PHASE     STEP"), "\(list.output)")
            #expect(list.output.contains("default     web    keelson/shop-web   Healthy   -"), "\(list.output)")
            #expect(try await rollout(h, ["list", "-n", "elsewhere"]).output == "No rollouts.\n")
            let json = try JSONParser.parse(Array(try await rollout(h, ["list", "-A", "-o", "json"]).output.utf8))
            #expect(json["items"]?.arrayValue?.first?["application"] == "keelson/shop-web", "\(json)")

            try await h.commit(["shop/web.yaml": RolloutFixtures.web("1.0.1")], message: "web 1.0.1")
            try await h.eventually("the canary pauses") { try await phase(h) == "Paused" }
            let get = try await rollout(h, ["get", "web", "-n", "default"])
            #expect(get.status == 0, "\(get.errorOutput)")
            #expect(get.output.contains("Application: keelson/shop-web") && get.output.contains("Weight:      set 20%, actual "), "\(get.output)")
            #expect(get.output.contains("Phase:       Paused (Manual): paused at step 1"), "\(get.output)")
            #expect(get.output.contains("✓   0      setWeight 20") && get.output.contains("→   1      pause (until promoted)"), "\(get.output)")
            let yaml = try await rollout(h, ["get", "web", "--app", "shop-web", "-o", "yaml"])
            #expect(yaml.output.contains("phase: Paused") && yaml.output.contains("currentStep: 1"), "\(yaml.output)")
            let status = try await rollout(h, ["status", "web"])
            #expect(status.status == 0 && status.output.hasPrefix("rollout default/web Paused at step 1/4 (set 20%, actual "), "\(status.output)")

            // A viewer may not act; an operator's promote lets --wait end promoted.
            let viewer = try await rollout(h, ["promote", "web"], role: "viewer")
            #expect(viewer.status == 1 && viewer.errorOutput.hasPrefix("keelson: forbidden (403): "), "\(viewer.errorOutput)")
            let promote = try await rollout(h, ["promote", "web"])
            #expect(
                promote.output == "promote of rollout default/web (application keelson/shop-web) requested\n",
                "\(promote.output)\(promote.errorOutput)")
            let promoted = try await rollout(h, ["status", "web", "--wait", "--timeout", "2m"])
            #expect(promoted.status == 0, "\(promoted.output)\(promoted.errorOutput)")
            #expect(promoted.output.split(separator: "\n").last?.hasPrefix("rollout default/web promoted: ") == true, "\(promoted.output)")

            // The next version is aborted by hand: --wait ends with exit status 1 and why.
            try await h.commit(["shop/web.yaml": RolloutFixtures.web("1.0.2")], message: "web 1.0.2")
            try await h.eventually("the next canary pauses") { try await phase(h) == "Paused" }
            #expect(try await rollout(h, ["abort", "web"]).status == 0)
            let aborted = try await rollout(h, ["status", "web", "--wait", "--timeout", "2m"])
            #expect(aborted.status == 1, "\(aborted.output)\(aborted.errorOutput)")
            #expect(aborted.output.split(separator: "\n").last?.hasPrefix("aborted: ") == true, "\(aborted.output)")
            try await h.eventually("keelson app list says RolledBack") {
                let apps = try await ProcessRunner.run(
                    keelson, ["app", "list", "--server", h.baseURL], environment: ["KEELSON_TOKEN": H.tokens["viewer"]!])
                return apps.output.contains("Synced   Healthy   RolledBack")
            }

            // Usage errors exit 2: no name, an unknown Rollout, a bad timeout.
            #expect(try await rollout(h, ["status"]).status == 2)
            let unknown = try await rollout(h, ["status", "nope", "--wait"])
            #expect(unknown.status == 2 && unknown.errorOutput.contains("no application lists Rollout default/nope"), "\(unknown.errorOutput)")
            #expect(try await rollout(h, ["status", "web", "--wait", "--timeout", "0s"]).status == 2)
        }
    }
}
