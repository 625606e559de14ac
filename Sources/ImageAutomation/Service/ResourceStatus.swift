import Foundation
import Manifests

/// A Kubernetes condition as Flux writes them (`type`, `status`, `reason`, `message`,
/// `lastTransitionTime`, `observedGeneration`).
struct ResourceCondition: Sendable {
    var type = "Ready"
    var ready: Bool
    var reason: String
    var message: String

    /// The conditions with this one set; the transition time is kept when the status did not change.
    func merged(into existing: JSONValue?, generation: Int64, now: Date) -> JSONValue {
        StatusCondition(type: type, isTrue: ready, reason: reason, message: message).merged(into: existing, generation: generation, now: now)
    }
}

/// RFC 3339 times, as Kubernetes writes them.
enum ResourceTime {
    static func format(_ date: Date) -> String { StatusCondition.timestamp(date) }
}
