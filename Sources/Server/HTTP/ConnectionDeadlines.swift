/// The deadlines of one HTTP/1 connection, as a pure state machine (the channel handler does
/// the I/O): a fresh connection must complete a request head within `header`; once the first
/// byte of a later request arrives, its head within `header`; once a head is read, the whole
/// body within `body`; a connection with no request under way is closed after `idle`. While a
/// response is being produced (an event stream may last hours) there is no deadline.
///
/// Times are `Duration`s since an arbitrary origin (the handler's clock).
struct ConnectionDeadlines: Sendable, Hashable {
    /// Where the connection stands.
    enum Phase: Sendable, Hashable {
        /// Between requests: nothing received since the last response.
        case idle
        /// Bytes of a request head are arriving (or a fresh connection waits for its first).
        case readingHead
        /// The head is read; the body is arriving.
        case readingBody
        /// The request is read; the server is answering.
        case responding
    }

    let timeouts: ConnectionTimeouts
    private(set) var phase = Phase.readingHead
    /// Requests whose head was read and whose response has not ended (pipelined ones included).
    private(set) var inFlight = 0
    /// When the connection must be closed unless something moves it on; `nil`: no deadline.
    private(set) var deadline: Duration?

    /// A connection accepted at `now`.
    init(timeouts: ConnectionTimeouts, openedAt now: Duration) {
        self.timeouts = timeouts
        deadline = now + timeouts.header
    }

    /// Bytes arrived from the client.
    mutating func bytesArrived(at now: Duration) {
        guard phase == .idle else { return }
        phase = .readingHead
        deadline = now + timeouts.header
    }

    /// A request head was decoded.
    mutating func headRead(at now: Duration) {
        inFlight += 1
        phase = .readingBody
        deadline = now + timeouts.body
    }

    /// A request's end was decoded.
    mutating func requestEnded() {
        guard phase == .readingBody else { return }
        phase = .responding
        deadline = nil
    }

    /// A response ended; with no other request under way, the connection turns idle.
    mutating func responseEnded(at now: Duration) {
        inFlight = max(0, inFlight - 1)
        guard inFlight == 0, phase != .readingHead else { return }
        phase = .idle
        deadline = now + timeouts.idle
    }

    /// Whether the connection should be closed at `now`.
    func isExpired(at now: Duration) -> Bool {
        deadline.map { now >= $0 } ?? false
    }
}

/// How long a client may take over each part of a connection (see `ConnectionDeadlines`).
public struct ConnectionTimeouts: Sendable, Hashable {
    /// For a request head, from the connection's start or from the request's first byte.
    public var header: Duration
    /// For a request body, from the end of its head.
    public var body: Duration
    /// Between requests on a kept-alive connection.
    public var idle: Duration

    /// Creates timeouts (defaults: head 10 s, body 30 s, idle 60 s).
    public init(header: Duration = .seconds(10), body: Duration = .seconds(30), idle: Duration = .seconds(60)) {
        self.header = header
        self.body = body
        self.idle = idle
    }
}
