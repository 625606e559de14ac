import Foundation
import Manifests
import Synchronization

/// The simulated traffic: which Deployments answer each entry point's requests, and how many
/// requests each has answered, by status code and latency.
///
/// Counters are computed from elapsed time on the traffic clock, with no work per request: each
/// commit first settles the time since the last one under the routing that held until then,
/// then changes the routing. So counters only grow, across any change of selectors, weights or
/// ready replicas. Fractions of requests accumulate, and a counter shows the whole requests
/// counted so far, so 10 s at 100 rps with an error rate of 0.3 are exactly 700 `200`s and 300 `500`s.
final class TrafficLedger: Sendable {
    /// One metric series.
    struct SeriesKey: Hashable, Comparable, Sendable {
        var namespace: String
        var entrypoint: String
        var service: String
        var deployment: String
        var code: String

        static func < (lhs: Self, rhs: Self) -> Bool {
            (lhs.namespace, lhs.entrypoint, lhs.service, lhs.deployment, lhs.code)
                < (rhs.namespace, rhs.entrypoint, rhs.service, rhs.deployment, rhs.code)
        }
    }

    /// The requests of one series so far, in fractions of requests.
    struct Counter: Sendable {
        var count = 0.0
        /// Total seconds spent answering.
        var sum = 0.0
        /// Requests per bucket of `TrafficPolicy.buckets`, cumulative as Prometheus counts them.
        var buckets = [Double](repeating: 0, count: TrafficPolicy.buckets.count)

        mutating func add(_ requests: Double, latency: Double) {
            count += requests
            sum += requests * latency
            for (index, bucket) in TrafficPolicy.buckets.enumerated() where latency <= bucket.bound { buckets[index] += requests }
        }
    }

    private struct State {
        var topology = TrafficTopology()
        /// The routing of `topology`, until it changes.
        var entries: [TrafficEntry]?
        /// The traffic-clock time counted up to.
        var settled = Duration.zero
        var series: [SeriesKey: Counter] = [:]
    }

    /// Read under the lock, so a change and a read never settle the same time twice or out of order.
    private let elapsed: @Sendable () -> Duration
    private let state = Mutex(State())

    /// A ledger whose time starts now on `clock`.
    init(clock: some Clock<Duration>) {
        let start = clock.now
        elapsed = { start.duration(to: clock.now) }
    }

    /// Takes a committed change into account; the store calls it inside the commit.
    func observe(_ event: WatchEvent) {
        guard TrafficPolicy.watched.contains(event.storageID) else { return }
        state.withLock { state in
            Self.settle(&state, until: elapsed())
            if state.topology.apply(event) { state.entries = nil }
        }
    }

    /// The entry points and where their requests go now.
    func entries() -> [TrafficEntry] {
        state.withLock { state in
            Self.settle(&state, until: elapsed())
            return state.entries ?? []
        }
    }

    /// Every series counted up to now, sorted.
    func series() -> [(key: SeriesKey, counter: Counter)] {
        state.withLock { state in
            Self.settle(&state, until: elapsed())
            return state.series.map { (key: $0.key, counter: $0.value) }
        }
        .sorted { $0.key < $1.key }
    }

    /// Counts the requests from `state.settled` to `now` under the current routing.
    private static func settle(_ state: inout State, until now: Duration) {
        let entries = state.entries ?? state.topology.entries()
        state.entries = entries
        guard now > state.settled else { return }
        let (seconds, attoseconds) = (now - state.settled).components
        let interval = Double(seconds) + Double(attoseconds) * 1e-18
        state.settled = now
        for entry in entries {
            for flow in entry.flows {
                let requests = entry.rps * interval * flow.share
                for (code, part) in [("200", 1 - flow.errorRate), ("500", flow.errorRate)] {
                    let key = SeriesKey(
                        namespace: entry.namespace, entrypoint: entry.name, service: flow.service, deployment: flow.deployment, code: code)
                    guard state.series[key] != nil || state.series.count < TrafficPolicy.maximumSeries else { continue }
                    state.series[key, default: Counter()].add(requests * part, latency: flow.latency)
                }
            }
        }
    }

    /// The whole requests in `fraction`, tolerating the rounding of sums (299.9999999 is 300).
    static func whole(_ fraction: Double) -> Int64 { Int64((fraction + 1e-6).rounded(.down)) }
}
