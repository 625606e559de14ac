import Foundation
import KeelsonTesting
import Kube
import Manifests
import Notify
import SCM
import Testing

/// Rollout events through notifications end to end (designs/delivery.md B10, with the manual
/// abort of A3 where B10 has a failing analysis): a generic webhook hears the rollout, and the
/// GitHub commit status of the new revision goes pending, then failure.
@Suite(.serialized) struct RolloutNotificationTests: RolloutHarness, NotificationFixtures {
    typealias H = ControllerHarness

    // An aborted canary is told as started then aborted, once each; the new commit's status
    // goes pending (the sync, the rollout's step, its pause) and ends failure with the reason, and
    // neither a deploy nor a success is announced for it, however often it is reconciled.
    @Test func anAbortedRolloutIsToldAndFailsItsCommit() async throws {
        let repository = ServedRepository()
        defer { repository.stop() }
        try await HTTPReceiver.withRunning { receiver in
            try await FakeSCM.withRunning(token: Self.token) { fake in
                try await H.with(
                    files: ["app/web.yaml": Self.web("1.0.0"), "app/rollout.yaml": Self.rollout],
                    apps: ["shop-web": H.app("shop-web", path: "app")], plainTransports: true, repoURL: repository.url,
                    prepare: { client in
                        try await client.createNamespaceIfMissing("keelson", fieldManager: "test")
                        let objects = Self.objects(
                            receiver: receiver.url,
                            events: ["rollout-started", "analysis-failed", "rollout-aborted", "rollout-promoted", "deployed"],
                            forges: [.github], fake: fake, repository: try #require(repository.address))
                        try await Self.applyNotify(objects, client: client)
                    },
                    notifications: NotificationConfiguration()
                ) { h in
                    try await Ports.waitUntilListening(try #require(repository.port))
                    @Sendable func reasons() async -> [String] { await Self.hooks(receiver).compactMap { $0["reason"]?.stringValue } }
                    try await h.eventually("the first version is deployed, without a rollout") { await reasons() == ["deployed"] }

                    try await h.commit(["app/web.yaml": Self.web("1.0.2")], message: "web 1.0.2")
                    let sha = try await Self.head(h)
                    try await h.eventually("the canary pauses, and the rollout is told") {
                        let paused = await Self.state(h)?["phase"]?.stringValue == "Paused"
                        let told = await reasons().last == "rollout-started"
                        return paused && told
                    }
                    try await h.eventually("GitHub shows 1.0.2 rolling out, then paused, pending") {
                        let statuses = fake.statuses(forge: .github, project: repository.project, sha: sha)
                        return statuses.contains { $0.description == "rolling out: step 0/4" && $0.state == "pending" }
                            && statuses.first?.description.hasPrefix("paused: step 1/4") == true
                    }

                    try await Self.annotate(h, "keelson.dev/abort")
                    try await h.eventually("the abort is told") { await reasons().last == "rollout-aborted" }
                    try await h.eventually("GitHub shows 1.0.2 failed") {
                        fake.statuses(forge: .github, project: repository.project, sha: sha).first?.state == "failure"
                    }
                    let aborted = try #require(await Self.hooks(receiver).last)
                    let message = aborted["message"]?.stringValue ?? ""
                    #expect(message.contains("rollout default/web: \(sha.prefix(7)) rolled back (Manual): aborted by request"), "\(message)")
                    #expect(aborted["severity"]?.stringValue == "warning")
                    #expect(aborted[path: ["metadata", "revision"]]?.stringValue == sha)
                    let statuses = fake.statuses(forge: .github, project: repository.project, sha: sha).reversed().map { $0 }
                    #expect(statuses.dropLast().allSatisfy { $0.state == "pending" } && statuses.count >= 2, "\(statuses)")
                    #expect(statuses.last?.description == "rolled back: aborted by request")
                    #expect(statuses.allSatisfy { $0.context == "keelson/keelson/shop-web" })

                    // Resyncs of the rolled-back revision (Synced, Healthy) tell nothing more.
                    let posted = await fake.requests(forge: .github, method: "POST").count
                    let seen = h.reconciles["keelson/shop-web"]
                    try await h.eventually("three more reconciles") { h.reconciles["keelson/shop-web"] >= seen + 3 }
                    #expect(await reasons() == ["deployed", "rollout-started", "rollout-aborted"])
                    #expect(await fake.requests(forge: .github, method: "POST").count == posted)
                    #expect(fake.statuses(forge: .github, project: repository.project, sha: sha).first?.state == "failure")
                }
            }
        }
    }

    // B10: a failing analysis is told as started, analysis-failed, then aborted, and GitHub's
    // status of the new commit ends `failure` quoting the measurement.
    @Test func aFailedAnalysisIsToldAndFailsItsCommit() async throws {
        let rollout = RolloutFixtures.rollout(
            strategy: """
                    canary:
                      steps:
                        - setWeight: 20
                        - analysis: {templates: [{name: success-rate}], args: [{name: service, value: web-canary}]}
                """, spec: "  abortScaleDownDelay: 0s\n")
        let repository = ServedRepository()
        defer { repository.stop() }
        try await HTTPReceiver.withRunning { receiver in
            try await FakeSCM.withRunning(token: Self.token) { fake in
                try await H.with(
                    files: ["app/web.yaml": Self.web("1.0.0"), "app/rollout.yaml": rollout],
                    apps: ["shop-web": H.app("shop-web", path: "app")], plainTransports: true, repoURL: repository.url,
                    prepare: { client in
                        try await client.createNamespaceIfMissing("keelson", fieldManager: "test")
                        let objects = Self.objects(
                            receiver: receiver.url, events: ["rollout-started", "analysis-failed", "rollout-aborted", "rollout-promoted"],
                            forges: [.github], fake: fake, repository: try #require(repository.address))
                        try await Self.applyNotify(objects, client: client)
                    },
                    notifications: NotificationConfiguration()
                ) { h in
                    try await Ports.waitUntilListening(try #require(repository.port))
                    @Sendable func reasons() async -> [String] { await Self.hooks(receiver).compactMap { $0["reason"]?.stringValue } }
                    try await h.eventually("the first version runs") { await Self.state(h)?["phase"]?.stringValue == "Healthy" }
                    try await h.commit(["app/template.yaml": RolloutAnalysisTests.template(h.sandboxURL)], message: "analysis")
                    try await RolloutAnalysisTests.answer(h, 0.80)
                    try await h.commit(["app/web.yaml": Self.web("1.0.2")], message: "web 1.0.2")
                    let sha = try await Self.head(h)
                    try await h.eventually("started, analysis-failed, aborted", timeout: .seconds(60)) {
                        await reasons() == ["rollout-started", "analysis-failed", "rollout-aborted"]
                    }
                    try await h.eventually("GitHub shows 1.0.2 failed with the measurement") {
                        let latest = fake.statuses(forge: .github, project: repository.project, sha: sha).first
                        return latest?.state == "failure" && latest?.description.hasPrefix("rolled back: success-rate 0.8 < min 0.95") == true
                    }
                    let failed = try #require(await Self.hooks(receiver).dropLast().last)
                    #expect(failed["message"]?.stringValue?.contains("success-rate 0.8 < min 0.95") == true)
                }
            }
        }
    }
}
