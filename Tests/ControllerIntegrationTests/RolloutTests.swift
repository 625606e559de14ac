import Foundation
import KeelsonTesting
import Kube
import Manifests
import Synchronization
import Testing

/// Progressive delivery through the controller against the sandbox (designs/delivery.md A.5).
@Suite(.serialized) struct RolloutTests: RolloutHarness {
    // A1 and A4: a new image rolls out as a one-pod canary while the stable keeps four pods of
    // the old image; a `kubectl scale` of the stable while paused is healed to the rollout's 4,
    // not Git's 5; promote finishes it, the canary goes, and the history entry ends Succeeded.
    @Test func replicaCanaryRunsToPromotion() async throws {
        try await ControllerHarness.with(
            files: ["app/web.yaml": Self.web("1.0.0"), "app/rollout.yaml": Self.rollout],
            apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")]
        ) { h in
            try await h.eventually("the first version runs and the Rollout adopted it") {
                let web = await Self.deployment(h, "web")
                let phase = await Self.state(h)?["phase"]?.stringValue
                return web?.image.hasSuffix(":1.0.0") == true && phase == "Healthy"
            }
            try await h.commit(["app/web.yaml": Self.web("1.0.1")], message: "web 1.0.1")
            try await h.eventually("a one-pod canary runs 1.0.1 beside four stable pods of 1.0.0") {
                let web = await Self.deployment(h, "web")
                let canary = await Self.deployment(h, "web-canary")
                let phase = await Self.state(h)?["phase"]?.stringValue
                return web?.replicas == 4 && web?.image.hasSuffix(":1.0.0") == true && canary?.replicas == 1
                    && canary?.image.hasSuffix(":1.0.1") == true && phase == "Paused"
            }
            // A4: the controller heals the stable to the rollout's size, and the rollout stays put.
            _ = try await h.client.mergePatch(
                Self.deployments, name: "web", namespace: "default", patch: .object(["spec": .object(["replicas": 5])]),
                options: WriteOptions(fieldManager: "kubectl"))
            try await h.eventually("the scaled stable is back at the rollout's 4") { await Self.deployment(h, "web")?.replicas == 4 }
            let step = await Self.state(h)?["currentStep"]?.intValue
            #expect(step == 1)
            try await h.eventually("the Application shows the pause: delivery Paused, health Suspended") {
                let paused = await h.status("shop-web")
                return paused?["delivery"]?["state"]?.stringValue == "Paused" && paused?["health"]?["status"]?.stringValue == "Suspended"
            }

            // `keelson diff --app` compares with the render as the rollout wants it: nothing differs.
            let diff = try await ProcessRunner.run(
                Fixtures.keelsonExecutable(),
                ["diff", h.repository + "/app", "--app", "keelson/shop-web", "--kubeconfig", h.folder.path + "/kubeconfig"])
            #expect(diff.status == 0, "\(diff.output)\(diff.errorOutput)")
            try await Self.annotate(h, "keelson.dev/promote")
            try await h.eventually("1.0.1 is promoted and the canary is gone", timeout: .seconds(90)) {
                let web = await Self.deployment(h, "web")
                let canary = await Self.deployment(h, "web-canary")
                let phase = await Self.state(h)?["phase"]?.stringValue
                return web?.replicas == 5 && web?.image.hasSuffix(":1.0.1") == true && canary == nil && phase == "Healthy"
            }
            try await h.eventually("the history entry of 1.0.1 ends Succeeded") {
                let status = await h.status("shop-web")
                return status?["history"]?.arrayValue?.last?["result"]?.stringValue == "Succeeded"
                    && status?["delivery"]?["state"]?.stringValue == "Succeeded" && status?["sync"]?["status"]?.stringValue == "Synced"
            }
            let annotations = try await h.client.get(Self.rollouts, name: "web", namespace: "default").annotations
            #expect(annotations["keelson.dev/promote"] == nil)
        }
    }

    // An abort sends all pods back to the stable at once and is sticky; the revision's history
    // entry ends RolledBack; the Application stays Healthy and Synced, and Git is never rewritten.
    @Test func abortIsStickyAndHonest() async throws {
        try await ControllerHarness.with(
            files: ["app/web.yaml": Self.web("1.0.0"), "app/rollout.yaml": Self.rollout],
            apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")]
        ) { h in
            try await h.eventually("the first version runs") { (await Self.state(h))?["phase"]?.stringValue == "Healthy" }
            try await h.commit(["app/web.yaml": Self.web("1.0.2")], message: "web 1.0.2")
            try await h.eventually("the canary pauses at step 1") { (await Self.state(h))?["phase"]?.stringValue == "Paused" }
            try await Self.annotate(h, "keelson.dev/abort")
            try await h.eventually("aborted: the stable runs 5 pods of 1.0.0 and the canary none") {
                let web = await Self.deployment(h, "web")
                let canary = await Self.deployment(h, "web-canary")
                let phase = await Self.state(h)?["phase"]?.stringValue
                return phase == "Aborted" && web?.replicas == 5 && web?.image.hasSuffix(":1.0.0") == true && canary?.replicas == 0
            }
            try await h.eventually("the Application is Healthy and Synced, and the delivery RolledBack") {
                let status = await h.status("shop-web")
                return status?["health"]?["status"]?.stringValue == "Healthy" && status?["sync"]?["status"]?.stringValue == "Synced"
                    && status?["delivery"]?["state"]?.stringValue == "RolledBack"
                    && status?["history"]?.arrayValue?.last?["result"]?.stringValue == "RolledBack"
            }
            // Sticky: later reconciles do not start the aborted template again.
            let before = h.reconciles["keelson/shop-web"]
            try await h.eventually("three more reconciles") { h.reconciles["keelson/shop-web"] >= before + 3 }
            let phase = await Self.state(h)?["phase"]?.stringValue
            let canary = await Self.deployment(h, "web-canary")
            #expect(phase == "Aborted")
            #expect(canary?.replicas == 0)
        }
    }
}

extension RolloutTests {
    /// A Rollout whose first step waits for a ready canary with a 3-second progress deadline.
    static let impatient = rollout.replacingOccurrences(
        of: "  service: {name: web, port: 80}\n", with: "  service: {name: web, port: 80}\n  progressDeadline: 3s\n")

    // A8: a canary that never becomes ready is aborted at the progress deadline, and the stable
    // never drops below its five pods meanwhile (it is only scaled down for ready canary pods).
    @Test func progressDeadlineAbortsWithoutLosingCapacity() async throws {
        #expect(Self.impatient.contains("progressDeadline: 3s"))
        try await ControllerHarness.with(
            files: ["app/web.yaml": Self.web("1.0.0"), "app/rollout.yaml": Self.impatient],
            apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")]
        ) { h in
            try await h.eventually("the first version runs") { (await Self.state(h))?["phase"]?.stringValue == "Healthy" }
            try await h.commit(["app/web.yaml": Self.web("1.0.9-broken")], message: "a broken web")
            let smallest = Mutex(Int64.max)
            try await h.eventually("aborted: ProgressDeadlineExceeded", timeout: .seconds(60)) {
                if let web = await Self.deployment(h, "web") { smallest.withLock { $0 = min($0, web.replicas) } }
                let state = await Self.state(h)
                return state?["phase"]?.stringValue == "Aborted" && state?["abortReason"]?.stringValue == "ProgressDeadlineExceeded"
            }
            #expect(smallest.withLock { $0 } == 5)
            let web = await Self.deployment(h, "web")
            #expect(web?.replicas == 5 && web?.image.hasSuffix(":1.0.0") == true)
            let message = await Self.state(h)?["message"]?.stringValue ?? ""
            #expect(message.contains("no progress for 3s"))
        }
    }
}
