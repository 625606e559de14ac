/// Runs `operation`, giving up after `limit` on `clock`: its result, or `nil` when the time ran
/// out first (the operation is then cancelled). For requests that must not hold up a heartbeat.
public func withTimeLimit<T: Sendable>(
    _ limit: Duration, on clock: any Clock<Duration>, _ operation: @escaping @Sendable () async -> T
) async -> T? {
    await withTaskGroup(of: T?.self) { group in
        group.addTask { await operation() }
        group.addTask {
            try? await clock.sleep(for: limit)
            return nil
        }
        defer { group.cancelAll() }
        return await group.next() ?? nil
    }
}
