import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// A10: `keelson controller` as a real process, killed with SIGKILL while a rollout waits at
/// step 3; the restarted controller resumes at step 3 from the Rollout's status.
@Suite struct RolloutRestartTests {
    typealias R = RolloutTests

    static let fourSteps = R.rollout.replacingOccurrences(
        of: "- setWeight: 20\n        - pause: {}\n",
        with: "- setWeight: 20\n        - pause: {duration: 1s}\n        - setWeight: 40\n        - pause: {}\n")

    @Test func aKilledControllerResumesAtTheSameStep() async throws {
        #expect(Self.fourSteps != R.rollout)
        try await ControllerHarness.withoutController(
            prefix: "keelson-rollout-restart", files: ["app/web.yaml": R.web("1.0.0"), "app/rollout.yaml": Self.fourSteps],
            apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")], readyDelay: .milliseconds(200)
        ) { h, arguments in
            let first = try BackgroundProcess(
                Fixtures.keelsonExecutable(), arguments, log: h.folder.path + "/first.log", environment: ["KEELSON_LOG_LEVEL": "info"])
            try await h.eventually("the first version runs", timeout: .seconds(60)) { (await R.state(h))?["phase"]?.stringValue == "Healthy" }
            try await h.commit(["app/web.yaml": R.web("1.0.1")], message: "web 1.0.1")
            try await h.eventually("the rollout waits at step 3", timeout: .seconds(60)) {
                let state = await R.state(h)
                return state?["phase"]?.stringValue == "Paused" && state?["currentStep"]?.intValue == 3
            }
            let canary = try await h.client.get(R.deployments, name: "web-canary", namespace: "default")
            first.kill()
            // While no controller runs, the canary is as the first one left it.
            #expect(canary.object["spec"]?["replicas"]?.intValue == 2)

            let second = try BackgroundProcess(
                Fixtures.keelsonExecutable(), arguments, log: h.folder.path + "/second.log", environment: ["KEELSON_LOG_LEVEL": "info"])
            defer { second.terminate() }
            // The restarted controller works on the same rollout: a request it handles shows it is up.
            try await R.annotate(h, "keelson.dev/promote")
            try await h.eventually("the promotion completes after the restart", timeout: .seconds(90)) {
                let web = await R.deployment(h, "web")
                let phase = await R.state(h)?["phase"]?.stringValue
                return phase == "Healthy" && web?.image.hasSuffix(":1.0.1") == true && web?.replicas == 5
            }
            let before = (try? String(contentsOfFile: h.folder.path + "/first.log", encoding: .utf8)) ?? ""
            let after = (try? String(contentsOfFile: h.folder.path + "/second.log", encoding: .utf8)) ?? ""
            #expect(before.contains("rollout-started"), "the first controller logged the start")
            #expect(!after.contains("rollout-started"), "the restarted controller did not start the rollout again")
            #expect(after.contains("rollout-promoted"))
            // No second canary: the one the first controller created carried on until promotion
            // deleted it. The Application's history records the result after the Rollout's status
            // says Healthy, so it is waited for; a second start would show as a third entry.
            try await h.eventually("the history records 1.0.1's result", timeout: .seconds(60)) {
                let history = (await h.status("shop-web"))?["history"]?.arrayValue ?? []
                return history.last?["result"]?.stringValue != "Progressing"
            }
            // The restarted controller's sync of 1.0.1 belongs to the rollout the killed one
            // recorded: that entry is completed, and none is left Progressing.
            let history = (await h.status("shop-web"))?["history"]?.arrayValue ?? []
            let results = history.map { $0["result"]?.stringValue ?? "" }
            let revisions = history.compactMap { $0["revision"]?.stringValue }
            #expect(results == ["Succeeded", "Succeeded"] && Set(revisions).count == 2, "1.0.0 and 1.0.1, once each: \(history)")
        }
    }
}
