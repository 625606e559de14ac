@testable import ImageAutomation
import Testing

/// The loop's bookkeeping, without any I/O: what is due when, and waking the loop.
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

    /// A wake ends a wait at once, also one that arrives before the wait starts; without one the timeout does.
    @Test func wakeEndsTheWait() async {
        let state = ImageAutomationState()
        let clock = ContinuousClock()
        await state.wake()
        // Bounds far from the timeout: a loaded machine may delay a task by seconds.
        #expect(await clock.measure { await state.waitForWake(timeout: .seconds(120)) } < .seconds(60))
        let waited = await clock.measure {
            async let wait: Void = state.waitForWake(timeout: .seconds(120))
            try? await Task.sleep(for: .milliseconds(100))
            await state.wake()
            await wait
        }
        #expect(waited < .seconds(60))
        #expect(await clock.measure { await state.waitForWake(timeout: .milliseconds(50)) } >= .milliseconds(50))
    }

    /// Where Flux's kinds are not served, they are asked for again only after the backoff.
    @Test func fluxKindsAreProbedWithBackoff() async {
        let state = ImageAutomationState()
        let now = ContinuousClock.now
        #expect(await state.shouldListFlux(now: now))
        await state.fluxListed(false, now: now, backoff: .seconds(60))
        #expect(await !state.shouldListFlux(now: now + .seconds(59)))
        #expect(await state.shouldListFlux(now: now + .seconds(60)))
        await state.fluxListed(true, now: now)
        #expect(await state.shouldListFlux(now: now))
    }
}
