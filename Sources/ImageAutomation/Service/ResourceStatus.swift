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
        var others = (existing?.arrayValue ?? []).filter { $0["type"]?.stringValue != type }
        let previous = existing?.arrayValue?.first { $0["type"]?.stringValue == type }
        let status = ready ? "True" : "False"
        let since = previous?["status"]?.stringValue == status ? previous?["lastTransitionTime"] : nil
        others.append([
            "type": .string(type), "status": .string(status), "reason": .string(reason),
            "message": .string(String(message.prefix(2048))), "observedGeneration": .number(JSONNumber(generation)),
            "lastTransitionTime": since ?? .string(ResourceTime.format(now)),
        ])
        return .array(others)
    }
}

/// RFC 3339 times, as Kubernetes writes them.
enum ResourceTime {
    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
