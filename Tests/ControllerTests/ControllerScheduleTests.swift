import Foundation
import KeelsonTesting
import Testing

@testable import Controller

@Suite struct ControllerScheduleTests {
    static func outcome(latest: String = "abc") -> AppReconciler.Outcome {
        var status = ApplicationStatus()
        status.latestRevision = latest
        return AppReconciler.Outcome(status: status, retryAfter: .seconds(1), synced: false)
    }

    static let app = ControllerState.Observed(id: "keelson/web", generation: 1, annotated: false, record: { AppRecord() })

    // A drift check that ends after the fetch fell due leaves the fetch due: frequent checks (a
    // rollout ticking every second) must not put the next fetch off for ever.
    @Test func checksDoNotPutOffADueFetch() async {
        let clock = ManualClock()
        let state = ControllerState(clock: clock)
        await state.finish("keelson/web", outcome: Self.outcome(), fetched: true, interval: .seconds(5), resync: .seconds(600))
        clock.advance(by: .seconds(6))
        await state.finish("keelson/web", outcome: Self.outcome(), fetched: false, interval: .seconds(5), resync: .seconds(600))
        let due = await state.due([Self.app], requested: [])
        #expect(due.first?.fetchDue == true)
        // A reconcile that fetched schedules the next fetch an interval later.
        await state.finish("keelson/web", outcome: Self.outcome(), fetched: true, interval: .seconds(5), resync: .seconds(600))
        #expect(await state.due([Self.app], requested: []).first?.fetchDue != true)
    }
}
