import Foundation
import Synchronization
import Testing

@testable import KeelsonTesting

/// The slots test children run in (KeelsonTesting's `ProcessSlots`): a bound, arrival order, and a
/// waiter that gives up naming the holder instead of hanging the run.
@Suite struct ProcessSlotsTests {
    /// A body that runs until `open()` is called.
    final class Gate: Sendable {
        private let waiting = Mutex<[CheckedContinuation<Void, Never>]>([])
        private let opened = Mutex(false)
        func wait() async {
            await withCheckedContinuation { continuation in
                let resumeNow = opened.withLock { opened in
                    if !opened { waiting.withLock { $0.append(continuation) } }
                    return opened
                }
                if resumeNow { continuation.resume() }
            }
        }
        func open() {
            opened.withLock { $0 = true }
            for continuation in waiting.withLock({ list in
                defer { list = [] }; return list
            }) { continuation.resume() }
        }
    }

    @Test func aWaiterGivesUpNamingTheHolderWhenTheSlotIsNotFreed() async throws {
        let slots = ProcessSlots(limit: 1, patience: .milliseconds(200))
        let gate = Gate()
        let holder = Task { try await slots.run("holder") { await gate.wait() } }
        defer { gate.open() }
        try await eventually("a late caller gives up while the holder keeps the slot, naming it", every: .milliseconds(10)) {
            do {
                try await slots.run("late") {}
                return false
            } catch let error as ProcessSlots.Exhausted {
                return error.description.contains("for late; held by [\"holder\"]")
            }
        }
        gate.open()
        try await holder.value
    }

    @Test func aFreedSlotGoesToTheNextWaiter() async throws {
        let slots = ProcessSlots(limit: 1)
        let gate = Gate()
        let started = Gate()
        let holder = Task {
            try await slots.run("holder") {
                started.open()
                await gate.wait()
            }
        }
        await started.wait()
        let queued = Task { try await slots.run("queued") { "ran" } }
        gate.open()
        try await holder.value
        #expect(try await queued.value == "ran")
        #expect(try await slots.run("after") { 1 } == 1, "the slot comes back once everyone is done")
    }
}
