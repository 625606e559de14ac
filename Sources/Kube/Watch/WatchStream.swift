/// A watch as an `AsyncSequence` of events. Iterating starts the request; `ERROR` events are
/// thrown as `KubeError` (a `410 Gone` one satisfies `isGone`); the sequence ends when the
/// server closes the stream.
///
/// ```swift
/// for try await event in client.watch(gvk, namespace: "ns", options: ListOptions(resourceVersion: rv)) { … }
/// ```
public struct WatchStream: AsyncSequence, Sendable {
    /// The event type.
    public typealias Element = WatchEvent

    /// Produces the next event, or `nil` at the end.
    public typealias Next = () async throws -> WatchEvent?

    private let start: @Sendable () -> Next

    /// Creates a stream from a factory that, each time the stream is iterated, returns the
    /// function yielding its events (test doubles pass canned events this way).
    public init(_ start: @escaping @Sendable () -> Next) { self.start = start }

    /// A stream of fixed events, then an optional error (for test doubles).
    public init(events: [WatchEvent], thenThrow error: KubeError? = nil) {
        self.init {
            var remaining = events[...]
            return {
                if let event = remaining.popFirst() { return event }
                if let error { throw error }
                return nil
            }
        }
    }

    /// Starts iterating.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(next: start()) }

    /// Iterates a watch.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let nextEvent: Next

        init(next: @escaping Next) { nextEvent = next }

        /// The next event; throws `KubeError` for failures and `ERROR` events.
        public mutating func next() async throws -> WatchEvent? {
            guard let event = try await nextEvent() else { return nil }
            if event.type == .error {
                throw KubeError(status: event.status ?? APIStatus(code: 500, reason: "InternalError", message: "watch failed"), resource: "watch")
            }
            return event
        }
    }
}
