import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// Flagger-shaped hooks on a loopback receiver: pre-rollout before any traffic, confirm-promotion
/// holding the promotion until it answers 2xx, post-rollout told how it ended, and rollout hooks
/// that fail aborting with GateFailed.
@Suite struct RolloutHookTests: RolloutHarness {
    static func rollout(_ receiver: String) -> String {
        RolloutFixtures.rollout(
            strategy: """
                    canary: {steps: [{setWeight: 20}, {pause: {duration: 1s}}]}
                  webhooks:
                    - {name: smoke, type: pre-rollout, url: "\(receiver)/pre", metadata: {cmd: "curl -sf web-canary/healthz"}}
                    - {name: load, type: rollout, url: "\(receiver)/rollout"}
                    - {name: gate, type: confirm-promotion, url: "\(receiver)/confirm"}
                    - {name: done, type: post-rollout, url: "\(receiver)/post"}
                """)
    }

    @Test func hooksGateTheRollout() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/confirm", statuses: [503])
            try await ControllerHarness.with(
                files: ["app/web.yaml": Self.web("1.0.0"), "app/rollout.yaml": Self.rollout(receiver.url)],
                apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")]
            ) { h in
                try await h.eventually("the first version runs") { await Self.state(h)?["phase"]?.stringValue == "Healthy" }
                try await h.commit(["app/web.yaml": Self.web("1.0.1")], message: "web 1.0.1")
                try await h.eventually("the promotion waits for the confirm-promotion hook", timeout: .seconds(60)) {
                    await Self.state(h)?["message"]?.stringValue == "waiting for confirm-promotion hooks"
                }
                let pre = try #require(await receiver.requests(path: "/pre").first?.json)
                #expect(pre["name"] as? String == "web" && pre["namespace"] as? String == "default" && pre["phase"] as? String == "Progressing")
                #expect((pre["metadata"] as? [String: String])?["cmd"] == "curl -sf web-canary/healthz")
                #expect(!(await receiver.requests(path: "/rollout")).isEmpty)
                #expect(await Self.deployment(h, "web")?.image.hasSuffix(":1.0.0") == true)

                receiver.script("/confirm", statuses: [200])
                try await h.eventually("confirmed: 1.0.1 is promoted", timeout: .seconds(60)) {
                    let web = await Self.deployment(h, "web")
                    return await Self.state(h)?["phase"]?.stringValue == "Healthy" && web?.image.hasSuffix(":1.0.1") == true
                }
                try await h.eventually("post-rollout is told it succeeded") {
                    await receiver.requests(path: "/post").compactMap { $0.json?["phase"] as? String } == ["Succeeded"]
                }

                // A rollout hook that fails aborts the next canary.
                receiver.script("/rollout", statuses: [500])
                try await h.commit(["app/web.yaml": Self.web("1.0.2")], message: "web 1.0.2")
                try await h.eventually("a failing rollout hook aborts", timeout: .seconds(60)) {
                    let state = await Self.state(h)
                    return state?["phase"]?.stringValue == "Aborted" && state?["abortReason"]?.stringValue == "GateFailed"
                }
                try await h.eventually("post-rollout is told it failed") {
                    await receiver.requests(path: "/post").compactMap { $0.json?["phase"] as? String } == ["Succeeded", "Failed"]
                }
            }
        }
    }
}
