/// Argo CD's notification subscriptions on an Application, read as implicit Alerts:
/// `notifications.argoproj.io/subscribe.<trigger>.<service>: <recipients>` sends the trigger's
/// event to the Provider named `<service>` in the Application's namespace, once per recipient
/// (`;`-separated; each replaces the Provider's `channel`). The catalog triggers map onto
/// Keelson's events (`on-sync-failed` is `sync-failed`); `on-<event>` works for every event.
public enum ArgoSubscriptions {
    public static let prefix = "notifications.argoproj.io/subscribe."

    /// Argo CD's catalog triggers that are named differently from Keelson's events.
    static let triggers: [String: EventType] = [
        "on-created": .appCreated, "on-deleted": .appDeleted, "on-sync-status-unknown": .sourceFailed,
    ]

    /// One subscription: the implicit Alert and the channel it replaces the Provider's with.
    public struct Subscription: Sendable, Hashable {
        public var alert: AlertSpec
        public var recipient: String?
    }

    /// The subscriptions in `annotations` of the Application `namespace/name`; annotations naming
    /// an unknown trigger are skipped.
    public static func subscriptions(namespace: String, name: String, annotations: [String: String]) -> [Subscription] {
        var out: [Subscription] = []
        for (key, value) in annotations.sorted(by: { $0.key < $1.key }) where key.hasPrefix(prefix) {
            let rest = key.dropFirst(prefix.count)
            guard let dot = rest.firstIndex(of: "."), rest.hasPrefix("on-") else { continue }
            let trigger = String(rest[..<dot])
            let service = String(rest[rest.index(after: dot)...])
            guard !service.isEmpty, let type = triggers[trigger] ?? EventType(rawValue: String(trigger.dropFirst(3))) else { continue }
            var alert = AlertSpec(namespace: namespace, name: key, providerRef: service, sources: [AlertSource(name: name)])
            alert.events = [type]
            let recipients = value.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
            if recipients.isEmpty { out.append(Subscription(alert: alert, recipient: nil)) }
            for recipient in recipients { out.append(Subscription(alert: alert, recipient: recipient)) }
        }
        return out
    }
}
