import Registry
import Testing

@testable import ImageAutomation

/// The loop's bookkeeping, without any I/O: what is due when.
@Suite struct ImageAutomationStateTests {
    static let app = SelectedImage(name: "ghcr.io/o/app", tag: "1.0.0")

    @Test func policyDueWhenNewChangedRequestedOrIntervalPassed() async throws {
        let state = ImageAutomationState()
        let now = ContinuousClock.now
        await state.setPolicies([("ns:app", try ImageReference.parse("ghcr.io/o/app"), nil)])
        // Never scanned: due.
        #expect(await state.policyDue("ns:app", generation: 1, now: now))
        await state.finishScan("ns:app", generation: 1, result: Self.app, next: now + .seconds(60))
        #expect(await !state.policyDue("ns:app", generation: 1, now: now))
        // The interval passed.
        #expect(await state.policyDue("ns:app", generation: 1, now: now + .seconds(61)))
        // The spec changed.
        #expect(await state.policyDue("ns:app", generation: 2, now: now))
        // A webhook asked; an unknown policy is ignored.
        await state.requestScan(["ns:app", "ns:unknown"])
        #expect(await state.policyDue("ns:app", generation: 1, now: now))
        await state.finishScan("ns:app", generation: 1, result: Self.app, next: now + .seconds(60))
        #expect(await !state.policyDue("ns:app", generation: 1, now: now))
        #expect(await state.policies(watching: try ImageReference.parse("ghcr.io/o/app:9")) == ["ns:app"])
        #expect(await state.policies(watching: try ImageReference.parse("ghcr.io/o/other")) == [])
    }

    @Test func automationRunsSoonAfterAPolicyOfItsNamespaceMoves() async {
        let state = ImageAutomationState()
        let now = ContinuousClock.now
        await state.setPolicies([("ns:app", nil, nil), ("other:app", nil, nil)])
        #expect(await state.automationDue("ns/auto", namespace: "ns", generation: 1, now: now))
        await state.finishRun("ns/auto", generation: 1, sawVersion: await state.version(namespace: "ns"), next: now + .seconds(3600))
        #expect(await !state.automationDue("ns/auto", namespace: "ns", generation: 1, now: now))
        // Another namespace's policy moving does not matter.
        await state.finishScan("other:app", generation: 1, result: Self.app, next: now + .seconds(60))
        #expect(await !state.automationDue("ns/auto", namespace: "ns", generation: 1, now: now))
        // Its own policy selecting a new image does; the same selection again does not.
        await state.finishScan("ns:app", generation: 1, result: Self.app, next: now + .seconds(60))
        #expect(await state.automationDue("ns/auto", namespace: "ns", generation: 1, now: now))
        await state.finishRun("ns/auto", generation: 1, sawVersion: await state.version(namespace: "ns"), next: now + .seconds(3600))
        await state.finishScan("ns:app", generation: 1, result: Self.app, next: now + .seconds(60))
        #expect(await !state.automationDue("ns/auto", namespace: "ns", generation: 1, now: now))
        #expect(await state.results(namespace: "ns") == ["ns:app": Self.app])
    }

    /// The loop sleeps until the earliest scan or run still to come; one already due is not a timer.
    @Test func theNextTimerIsTheEarliestFutureScanOrRun() async throws {
        let state = ImageAutomationState()
        let now = ContinuousClock.now
        #expect(await state.nextTimer(after: now) == nil)
        await state.setPolicies([("ns:a", nil, nil), ("ns:b", nil, nil)])
        await state.finishScan("ns:a", generation: 1, result: nil, next: now + .seconds(60))
        await state.finishScan("ns:b", generation: 1, result: nil, next: now - .seconds(1))
        #expect(await state.nextTimer(after: now) == now + .seconds(60))
        await state.finishRun("ns/auto", generation: 1, sawVersion: 0, next: now + .seconds(30))
        #expect(await state.nextTimer(after: now) == now + .seconds(30))
        #expect(await state.nextTimer(after: now + .seconds(90)) == nil)
    }
}
