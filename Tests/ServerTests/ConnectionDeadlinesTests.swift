import Testing

@testable import Server

/// The connection deadlines, transition by transition (no sockets).
@Suite struct ConnectionDeadlinesTests {
    static let timeouts = ConnectionTimeouts(header: .seconds(10), body: .seconds(30), idle: .seconds(60))

    /// A fresh connection must bring its head within the header timeout, whatever it sends.
    @Test func aFreshConnectionHasTheHeaderTimeout() {
        var state = ConnectionDeadlines(timeouts: Self.timeouts, openedAt: .zero)
        #expect(state.deadline == .seconds(10))
        state.bytesArrived(at: .seconds(9))
        #expect(state.isExpired(at: .seconds(10)), "bytes of a head do not extend its deadline")
    }

    /// Once the head is read the body has its own deadline; once read, none while answering.
    @Test func bodyThenNoDeadlineWhileResponding() {
        var state = ConnectionDeadlines(timeouts: Self.timeouts, openedAt: .zero)
        state.headRead(at: .seconds(1))
        #expect(state.deadline == .seconds(31))
        state.requestEnded()
        #expect(state.deadline == nil && state.phase == .responding)
        #expect(!state.isExpired(at: .seconds(100_000)), "an event stream may last")
    }

    /// After a response the connection is idle; the next request's first byte starts a header deadline.
    @Test func idleThenTheNextHead() {
        var state = ConnectionDeadlines(timeouts: Self.timeouts, openedAt: .zero)
        state.headRead(at: .seconds(1))
        state.requestEnded()
        state.responseEnded(at: .seconds(2))
        #expect(state.phase == .idle && state.deadline == .seconds(62))
        state.bytesArrived(at: .seconds(50))
        #expect(state.phase == .readingHead && state.deadline == .seconds(60))
    }

    /// A response sent before the body was read (401, 413) leaves the connection idle, so the
    /// rest of a trickled body meets a header deadline instead of none.
    @Test func anEarlyResponseDoesNotLeaveTheBodyUnbounded() {
        var state = ConnectionDeadlines(timeouts: Self.timeouts, openedAt: .zero)
        state.headRead(at: .seconds(1))
        state.responseEnded(at: .seconds(2))
        #expect(state.phase == .idle)
        state.bytesArrived(at: .seconds(3))
        #expect(state.deadline == .seconds(13))
    }

    /// Pipelined requests: the connection turns idle only after the last response.
    @Test func pipelinedRequestsKeepTheConnectionBusy() {
        var state = ConnectionDeadlines(timeouts: Self.timeouts, openedAt: .zero)
        state.headRead(at: .seconds(1))
        state.requestEnded()
        state.headRead(at: .seconds(1))
        state.requestEnded()
        state.responseEnded(at: .seconds(2))
        #expect(state.phase == .responding && state.deadline == nil)
        state.responseEnded(at: .seconds(3))
        #expect(state.phase == .idle)
    }

    /// The file budget keeps a reserve (the client's connections and 64 for Git and files, or a
    /// quarter of the limit when more) and derives the caps from what is left.
    @Test(arguments: [
        // limit, open at start, client connections, connections, event streams
        (512, 30, 128, 226, 56), (512, 30, 16, 290, 72), (1024, 30, 128, 674, 168), (1 << 20, 40, 128, 16_384, 1024),
        (256, 30, 128, 8, 4), (100, 60, 8, 8, 4),
    ])
    func fileBudget(limit: Int, open: Int, client: Int, connections: Int, streams: Int) {
        let budget = FileDescriptorBudget(limit: limit, openAtStart: open, clientConnections: client)
        #expect(budget.maximumConnections == connections)
        #expect(budget.maximumEventStreams == streams)
        // What the server may hold, refused connections included, leaves the reserve untouched.
        if connections > 8 { #expect(open + connections + FileDescriptorBudget.refusalHeadroom + client + 64 <= limit) }
    }
}
