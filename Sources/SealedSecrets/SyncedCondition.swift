import Foundation
import Manifests

/// The `Synced` condition of a SealedSecret, as Bitnami's controller writes it (`status`,
/// `reason`, `message`, `lastUpdateTime`, `lastTransitionTime`). Messages come from
/// `SealedSecretsError` and API errors only, which never carry a value.
struct SyncedCondition: Error, Sendable, Equatable {
    var synced: Bool
    var reason: String
    var message: String

    /// The conditions with this one set; times move only when the status or message changes.
    func merged(into existing: JSONValue?, now: Date) -> JSONValue {
        let previous = existing?.arrayValue?.first { $0["type"]?.stringValue == "Synced" }
        var others = (existing?.arrayValue ?? []).filter { $0["type"]?.stringValue != "Synced" }
        let status = synced ? "True" : "False"
        let stamp = JSONValue.string(Self.format(now))
        let sameStatus = previous?["status"]?.stringValue == status
        let same = sameStatus && previous?["reason"]?.stringValue == reason && previous?["message"]?.stringValue == message
        others.append([
            "type": "Synced", "status": .string(status), "reason": .string(reason), "message": .string(String(message.prefix(2048))),
            "lastUpdateTime": same ? previous?["lastUpdateTime"] ?? stamp : stamp,
            "lastTransitionTime": sameStatus ? previous?["lastTransitionTime"] ?? stamp : stamp,
        ])
        return .array(others)
    }

    static func format(_ date: Date) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: date)
    }
}
