import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import Synchronization

/// The server's HTTP/1 child channel (optionally under TLS) with Keelson's guards: a cap on open
/// connections (one over it is answered 503 and closed at once, before anything is read) and
/// the header, body and idle deadlines of `ConnectionDeadlines` (whose handler `base` must put
/// after its HTTP decoding, see `GuardedHTTPChannel.http1`).
struct GuardedHTTPChannel<Base: ServerChildChannel>: ServerChildChannel {
    typealias Value = Base.Value

    let base: Base
    let gate: ConnectionGate
    /// Whether the connection speaks TLS (a refusal then closes without a plain-text reply).
    let tls: Bool

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Value> {
        let admitted = gate.open()
        if admitted {
            let gate = self.gate
            channel.closeFuture.whenComplete { _ in gate.close() }
        }
        let front = ConnectionFrontHandler(refuse: !admitted, tls: tls)
        do {
            try channel.pipeline.syncOperations.addHandler(front, position: .first)
        } catch {
            return channel.eventLoop.makeFailedFuture(error)
        }
        // A refused connection is set up like any other (a failed setup would end the server's
        // accept loop), then answered and closed by the front handler once the channel is active.
        // Not here: setup runs before the channel is registered, and a write and close then, in
        // a flood, left the async channel's writer to be released unfinished, which stops the
        // process ("Deinited NIOAsyncWriter without calling finish()").
        return base.setup(channel: channel, logger: logger)
    }

    func handle(value: Value, logger: Logger) async {
        await base.handle(value: value, logger: logger)
    }
}

extension GuardedHTTPChannel where Base == HTTP1Channel {
    /// Hummingbird's HTTP/1 channel with the deadline handler after its decoding.
    static func http1(_ responder: @escaping HTTPChannelHandler.Responder, timeouts: ConnectionTimeouts) -> HTTP1Channel {
        HTTP1Channel(responder: responder, configuration: .init(additionalChannelHandlers: [ConnectionDeadlineHandler(timeouts: timeouts)]))
    }
}

/// Counts open connections (or event streams) against a cap; shared by every connection of a server.
final class ConnectionGate: Sendable {
    /// The most connections served at once.
    let limit: Int
    private let count = Atomic(0)

    init(limit: Int) { self.limit = max(1, limit) }

    /// Takes a slot; `false` (and no slot) when all are taken.
    func open() -> Bool {
        let now = count.add(1, ordering: .relaxed).newValue
        guard now <= limit else {
            count.subtract(1, ordering: .relaxed)
            return false
        }
        return true
    }

    /// Gives back the slot of a connection that was admitted (one refused never held one).
    func close() { count.subtract(1, ordering: .relaxed) }

    /// Open connections now.
    var current: Int { count.load(ordering: .relaxed) }
}

/// First in the pipeline, on raw bytes: tells the deadline handler that bytes arrived (before
/// TLS or HTTP decoding, so a head trickled byte by byte still counts against its deadline), and
/// answers a refused connection with a 503 and closes it without reading anything.
final class ConnectionFrontHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer
    typealias OutboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    /// The user event fired down the pipeline on every read.
    struct BytesArrived: Sendable {}

    /// The whole answer to a refused connection, in the API's error shape.
    static let refusal: String = {
        let body = #"{"error":{"code":503,"reason":"TooManyConnections","message":"the server has too many open connections; retry"}}"#
        return "HTTP/1.1 503 Service Unavailable\r\nConnection: close\r\nRetry-After: 1\r\nContent-Type: application/json\r\n"
            + "Content-Length: \(body.utf8.count)\r\n\r\n" + body
    }()

    let refuse: Bool
    let tls: Bool

    init(refuse: Bool, tls: Bool) {
        self.refuse = refuse
        self.tls = tls
    }

    /// Passes activation on (the handlers after it, the async channel's among them, see an
    /// active channel as usual), then answers a refused connection with the refusal (in plain
    /// HTTP only) and closes it.
    func channelActive(context: ChannelHandlerContext) {
        context.fireChannelActive()
        guard refuse else { return }
        guard !tls else {
            context.close(promise: nil)
            return
        }
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: Self.refusal))).assumeIsolated().whenComplete { _ in context.close(promise: nil) }
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard !refuse else { return }
        context.fireUserInboundEventTriggered(BytesArrived())
        context.fireChannelRead(data)
    }
}

/// Applies `ConnectionDeadlines` to one connection: sees request parts coming in, response
/// parts going out and the front handler's `BytesArrived`, and closes the connection when a
/// deadline passes.
final class ConnectionDeadlineHandler: ChannelDuplexHandler, RemovableChannelHandler {
    typealias RequestPart = HTTP1Channel.Value.InboundPart
    typealias ResponsePart = HTTP1Channel.Value.OutboundPart
    typealias InboundIn = RequestPart
    typealias InboundOut = RequestPart
    typealias OutboundIn = ResponsePart
    typealias OutboundOut = ResponsePart

    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant
    private var state: ConnectionDeadlines
    private var timer: Scheduled<Void>?
    private var timerDeadline: Duration?

    init(timeouts: ConnectionTimeouts) {
        origin = clock.now
        state = ConnectionDeadlines(timeouts: timeouts, openedAt: .zero)
    }

    private var now: Duration { origin.duration(to: clock.now) }

    func handlerAdded(context: ChannelHandlerContext) { arm(context) }

    func handlerRemoved(context: ChannelHandlerContext) {
        timer?.cancel()
        timer = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch unwrapInboundIn(data) {
        case .head: state.headRead(at: now)
        case .body: break
        case .end: state.requestEnded()
        }
        arm(context)
        context.fireChannelRead(data)
    }

    func userInboundEventTriggered(context: ChannelHandlerContext, event: Any) {
        if event is ConnectionFrontHandler.BytesArrived {
            state.bytesArrived(at: now)
            arm(context)
            return
        }
        context.fireUserInboundEventTriggered(event)
    }

    func write(context: ChannelHandlerContext, data: NIOAny, promise: EventLoopPromise<Void>?) {
        if case .end = unwrapOutboundIn(data) {
            state.responseEnded(at: now)
            arm(context)
        }
        context.write(data, promise: promise)
    }

    /// Keeps one timer at the earliest deadline; a later deadline is checked when it fires.
    private func arm(_ context: ChannelHandlerContext) {
        guard let deadline = state.deadline else { return }
        if let timerDeadline, timerDeadline <= deadline, timer != nil { return }
        timer?.cancel()
        timerDeadline = deadline
        let delay = deadline - now
        let nanoseconds = max(0, delay.components.seconds * 1_000_000_000 + delay.components.attoseconds / 1_000_000_000)
        timer = context.eventLoop.assumeIsolated().scheduleTask(in: .nanoseconds(nanoseconds)) { [self] in
            timer = nil
            timerDeadline = nil
            if state.isExpired(at: now) {
                context.close(promise: nil)
            } else {
                arm(context)
            }
        }
    }
}

extension NIOAsyncChannel {
    /// The channel's inbound type by name (the HTTP/1 channel's request part, which the package
    /// does not otherwise name, for the deadline handler).
    typealias InboundPart = Inbound
    /// The channel's outbound type by name (the response part).
    typealias OutboundPart = Outbound
}
