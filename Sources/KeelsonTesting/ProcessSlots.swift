import Foundation

/// A counting semaphore for the children tests run: at most `limit` run at once, the others wait
/// (suspended, never blocking a thread) in arrival order.
///
/// Hundreds of tests run in parallel; without a bound each spawns its tools at once and a
/// two-core machine spends its time switching between them, so every timing guard in the suite
/// (a sandbox answering, a controller reconciling) is missed together.
///
/// A slot held for more than a minute is named on standard error, and a caller that waits past
/// `patience` fails naming the holders: a child that never ends fails the tests behind it instead
/// of hanging the whole run.
actor ProcessSlots {
    /// The slots `ProcessRunner.run` takes: one per core, and at least two.
    static let shared = ProcessSlots(limit: max(2, ProcessInfo.processInfo.activeProcessorCount))

    /// No slot came free in time.
    struct Exhausted: Error, CustomStringConvertible {
        let description: String
    }

    private struct Waiter {
        let id: UUID
        let continuation: CheckedContinuation<Bool, Never>
        let timer: Task<Void, Never>
    }

    private let limit: Int
    private let patience: Duration
    private var running = 0
    private var waiters: [Waiter] = []
    private var holders: [UUID: (label: String, since: ContinuousClock.Instant)] = [:]
    private var watching = false

    init(limit: Int, patience: Duration = .seconds(300)) {
        self.limit = limit
        self.patience = patience
    }

    /// Runs `body` in a slot, waiting for one first when all are taken; `label` names the caller
    /// in reports.
    func run<T: Sendable>(_ label: String, _ body: @Sendable () async throws -> T) async throws -> T {
        if !watching {
            watching = true
            Task.detached { await self.watch() }
        }
        if running < limit {
            running += 1
        } else {
            let id = UUID()
            let granted = await withCheckedContinuation { continuation in
                let timer = Task {
                    try? await Task.sleep(for: patience)
                    if !Task.isCancelled { self.expire(id) }
                }
                waiters.append(Waiter(id: id, continuation: continuation, timer: timer))
            }
            guard granted else {
                throw Exhausted(description: "no process slot came free in \(patience) for \(label); held by \(holders.values.map(\.label))")
            }
        }
        let id = UUID()
        holders[id] = (label, .now)
        defer {
            holders[id] = nil
            if waiters.isEmpty {
                running -= 1
            } else {
                let next = waiters.removeFirst()
                next.timer.cancel()
                next.continuation.resume(returning: true)
            }
        }
        return try await body()
    }

    /// Gives up on waiter `id` if it still waits.
    private func expire(_ id: UUID) {
        guard let index = waiters.firstIndex(where: { $0.id == id }) else { return }
        waiters.remove(at: index).continuation.resume(returning: false)
    }

    private func watch() async {
        while true {
            try? await Task.sleep(for: .seconds(30))
            let old = holders.values.filter { ContinuousClock.now - $0.since > .seconds(60) }
            if !old.isEmpty {
                FileHandle.standardError.write(Data("ProcessSlots: \(waiters.count) waiting; held long by \(old.map(\.label))\n".utf8))
            }
        }
    }
}
