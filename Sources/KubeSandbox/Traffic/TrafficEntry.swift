import Foundation

/// One entry point of simulated traffic and where its requests go at the moment.
struct TrafficEntry: Sendable, Equatable {
    /// The kind of object requests enter through, as `GET /sandbox/traffic` names it.
    enum Kind: String, Sendable {
        case service = "Service"
        case httpRoute = "HTTPRoute"
        case ingress = "Ingress"
    }

    /// The part of an entry point's requests one Deployment answers, reached through one Service.
    struct Flow: Sendable, Equatable {
        var service: String
        var deployment: String
        /// The share of the entry point's requests, 0…1.
        var share: Double
        var errorRate: Double
        /// Seconds per answer.
        var latency: Double
    }

    var kind: Kind
    var namespace: String
    var name: String
    /// Requests per second of the traffic clock.
    var rps: Double
    /// Where the requests go; shares add up to less than 1 when some have no ready Deployment.
    var flows: [Flow]

    /// The share of each Deployment, by name.
    var shares: [String: Double] { flows.reduce(into: [:]) { $0[$1.deployment, default: 0] += $1.share } }

    /// The error rate of the requests that reach a Deployment (0 when none do).
    var errorRate: Double {
        let delivered = flows.reduce(0) { $0 + $1.share }
        return delivered > 0 ? flows.reduce(0) { $0 + $1.share * $1.errorRate } / delivered : 0
    }
}
