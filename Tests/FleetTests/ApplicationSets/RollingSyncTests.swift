import Fleet
import Manifests
import Testing

/// RollingSync as a pure state machine: every transition without I/O.
@Suite struct RollingSyncTests {
    static let strategy = RollingSyncStrategy(steps: [
        .init(selector: [.in("env", ["dev"])]),
        .init(selector: [.in("env", ["prod"])], maxUpdate: .count(1)),
    ])

    static func app(
        _ name: String, env: String?, update: Bool = false, version: String = "1", synced: Bool = true, healthy: Bool = true
    ) -> RollingSync.Observed {
        RollingSync.Observed(
            name: name, labels: env.map { ["env": $0] } ?? [:], needsUpdate: update, resourceVersion: version, synced: synced, healthy: healthy)
    }

    /// Steps by label; unmatched Applications form an implicit last step.
    @Test func steps() {
        #expect(RollingSync.step(of: ["env": "dev"], in: Self.strategy) == 1)
        #expect(RollingSync.step(of: ["env": "prod"], in: Self.strategy) == 2)
        #expect(RollingSync.step(of: [:], in: Self.strategy) == 3)
    }

    /// Step 1's changes are written at once (maxUpdate 100%); step 2 waits.
    @Test func firstStepFirst() {
        let decision = RollingSync.decide(
            Self.strategy,
            applications: [
                Self.app("d1", env: "dev", update: true), Self.app("d2", env: "dev", update: true), Self.app("p1", env: "prod", update: true),
            ],
            previous: [:])
        #expect(decision.write == ["d1", "d2"])
        #expect(decision.activeStep == 1)
        #expect(decision.entries.first { $0.application == "p1" }?.state == .waiting)
    }

    /// Written but not yet reported on (same resourceVersion as the write): Pending, and the
    /// next step still waits even if the old status says Healthy.
    @Test func pendingUntilTheControllerReports() {
        let previous = ["d1": RollingSync.Entry(application: "d1", step: 1, state: .pending, message: "", writtenVersion: "5")]
        let decision = RollingSync.decide(
            Self.strategy, applications: [Self.app("d1", env: "dev", version: "5"), Self.app("p1", env: "prod", update: true)], previous: previous)
        #expect(decision.entries.first { $0.application == "d1" }?.state == .pending)
        #expect(decision.write.isEmpty)
    }

    /// Reported but not Synced and Healthy: Progressing; the next step waits.
    @Test func progressingHoldsTheNextStep() {
        let previous = ["d1": RollingSync.Entry(application: "d1", step: 1, state: .pending, message: "", writtenVersion: "5")]
        let decision = RollingSync.decide(
            Self.strategy, applications: [Self.app("d1", env: "dev", version: "6", healthy: false), Self.app("p1", env: "prod", update: true)],
            previous: previous)
        #expect(decision.entries.first { $0.application == "d1" }?.state == .progressing)
        #expect(decision.write.isEmpty)
    }

    /// Once step 1 is Healthy, step 2 is written at most maxUpdate at a time.
    @Test func nextStepWithMaxUpdate() {
        let decision = RollingSync.decide(
            Self.strategy,
            applications: [
                Self.app("d1", env: "dev", version: "7"), Self.app("p1", env: "prod", update: true), Self.app("p2", env: "prod", update: true),
            ],
            previous: [:])
        #expect(decision.activeStep == 2)
        #expect(decision.write == ["p1"])
        // p1 progressing: p2 waits for the budget.
        let next = RollingSync.decide(
            Self.strategy,
            applications: [
                Self.app("d1", env: "dev"), Self.app("p1", env: "prod", version: "9", healthy: false), Self.app("p2", env: "prod", update: true),
            ],
            previous: [:])
        #expect(next.write.isEmpty)
        #expect(next.entries.first { $0.application == "p2" }?.state == .waiting)
    }

    /// Everything up to date and Healthy: the rollout is complete.
    @Test func complete() {
        let decision = RollingSync.decide(Self.strategy, applications: [Self.app("d1", env: "dev"), Self.app("x", env: nil)], previous: [:])
        #expect(decision.activeStep == nil && decision.write.isEmpty)
        #expect(decision.entries.allSatisfy { $0.state == .healthy })
    }
}
