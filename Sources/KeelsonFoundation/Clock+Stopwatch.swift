extension Clock where Duration == Swift.Duration {
    /// Starts a stopwatch on this clock: the returned function reads the time passed since this call.
    ///
    /// Lets code that keeps an `any Clock<Duration>` store points in time as plain `Duration`s.
    public func stopwatch() -> @Sendable () -> Duration {
        let start = now
        return { start.duration(to: self.now) }
    }
}
