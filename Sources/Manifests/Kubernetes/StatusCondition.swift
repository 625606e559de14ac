import Foundation

/// A Kubernetes status condition as controllers write them (`type`, `status`, `reason`,
/// `message`, `lastTransitionTime`, `observedGeneration`), merged into a `conditions` list so that
/// the transition time moves only when the status does.
///
/// ```swift
/// let ready = StatusCondition(type: "Ready", isTrue: false, reason: "SecretSyncedError", message: "store unreachable")
/// status["conditions"] = ready.merged(into: status["conditions"], generation: 3, now: Date())
/// ```
public struct StatusCondition: Sendable, Hashable {
    /// The condition type, e.g. `Ready`.
    public var type: String
    /// Whether its status is `True`.
    public var isTrue: Bool
    /// A CamelCase reason.
    public var reason: String
    /// A message for people, cut to 2 KiB.
    public var message: String

    /// Creates a condition.
    public init(type: String = "Ready", isTrue: Bool, reason: String, message: String) {
        self.type = type
        self.isTrue = isTrue
        self.reason = reason
        self.message = message
    }

    /// The conditions with this one set; the transition time is kept when the status did not change.
    public func merged(into existing: JSONValue?, generation: Int64, now: Date) -> JSONValue {
        var others = (existing?.arrayValue ?? []).filter { $0["type"]?.stringValue != type }
        let previous = existing?.arrayValue?.first { $0["type"]?.stringValue == type }
        let status = isTrue ? "True" : "False"
        let since = previous?["status"]?.stringValue == status ? previous?["lastTransitionTime"] : nil
        others.append([
            "type": .string(type), "status": .string(status), "reason": .string(reason),
            "message": .string(String(message.prefix(2048))), "observedGeneration": .number(JSONNumber(generation)),
            "lastTransitionTime": since ?? .string(Self.timestamp(now)),
        ])
        return .array(others)
    }

    /// An RFC 3339 time in seconds, as Kubernetes writes them.
    public static func timestamp(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
