import Foundation
import KeelsonFoundation
import Testing

/// `ThreadExecutor`'s clock: sleeps end on time, and at once when cancelled (a leader stopping
/// must not wait out a renewal period).
@Suite struct ThreadExecutorTests {
    let clock = ThreadExecutor.leases.clock

    @Test func aSleepEndsAtItsDeadline() async throws {
        let start = ContinuousClock.now
        try await withTaskExecutorPreference(ThreadExecutor.leases) {
            try await clock.sleep(for: .milliseconds(200))
        }
        #expect(ContinuousClock.now - start >= .milliseconds(200))
    }

    @Test func sleepsOfManyTasksEndInTheOrderOfTheirDeadlines() async throws {
        let order = try await withThrowingTaskGroup(of: Int.self) { group in
            for index in [3, 1, 2] {
                group.addTask(executorPreference: ThreadExecutor.leases) {
                    try await clock.sleep(for: .milliseconds(150 * index))
                    return index
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(order == [1, 2, 3])
    }

    @Test(.timeLimit(.minutes(1))) func aCancelledSleepEndsAtOnceWithCancellationError() async throws {
        let sleeper = Task(executorPreference: ThreadExecutor.leases) { try await clock.sleep(for: .seconds(3600)) }
        // Cancelled once its timer is set (the start of a sleep cancelled is the next test's).
        try await Task.sleep(for: .milliseconds(100))
        let start = ContinuousClock.now
        sleeper.cancel()
        await #expect(throws: CancellationError.self) { try await sleeper.value }
        #expect(ContinuousClock.now - start < .seconds(60), "the last guard: an hour's sleep outlived its cancellation")
    }

    @Test func aSleepBegunWhenAlreadyCancelledEndsAtOnce() async throws {
        let sleeper = Task(executorPreference: ThreadExecutor.leases) {
            withUnsafeCurrentTask { $0?.cancel() }
            try await clock.sleep(for: .seconds(3600))
        }
        await #expect(throws: CancellationError.self) { try await sleeper.value }
    }
}
