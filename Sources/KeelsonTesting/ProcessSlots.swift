import Foundation

/// A counting semaphore for the children tests run: at most `limit` run at once, the others wait
/// (suspended, never blocking a thread) in arrival order.
///
/// Hundreds of tests run in parallel; without a bound each spawns its tools at once and a
/// two-core machine spends its time switching between them, so every timing guard in the suite
/// (a sandbox answering, a controller reconciling) is missed together.
actor ProcessSlots {
    /// The slots `ProcessRunner.run` takes: one per core, and at least two.
    static let shared = ProcessSlots(limit: max(2, ProcessInfo.processInfo.activeProcessorCount))

    private let limit: Int
    private var running = 0
    private var waiters: [CheckedContinuation<Void, Never>] = []

    init(limit: Int) { self.limit = limit }

    private var holders: [UUID: (String, ContinuousClock.Instant)] = [:]
    private var watching = false

    /// Runs `body` in a slot, waiting for one first when all are taken.
    func run<T: Sendable>(_ label: String, _ body: @Sendable () async throws -> T) async throws -> T {
        if !watching {
            watching = true
            Task.detached { await self.watch() }
        }
        if running < limit {
            running += 1
        } else {
            await withCheckedContinuation { waiters.append($0) }
        }
        let id = UUID()
        holders[id] = (label, .now)
        defer {
            holders[id] = nil
            if waiters.isEmpty { running -= 1 } else { waiters.removeFirst().resume() }
        }
        return try await body()
    }

    private func watch() async {
        while true {
            try? await Task.sleep(for: .seconds(30))
            let old = holders.values.filter { ContinuousClock.now - $0.1 > .seconds(60) }
            if !old.isEmpty {
                FileHandle.standardError.write(Data("ProcessSlots: \(waiters.count) waiting; held long by \(old.map(\.0))\n".utf8))
            }
        }
    }
}
