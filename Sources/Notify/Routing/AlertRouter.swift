import Foundation
import KeelsonFoundation

/// Which Alerts want an event: by source (namespace, name glob, labels), event type, severity
/// and message filters. An Alert sees only its own namespace's Applications unless it lives in
/// the controller's namespace and says `namespace: "*"`: a tenant's Alert never receives another
/// tenant's events.
public struct AlertRouter: Sendable {
    /// The controller's namespace (admin-owned), the only home of cluster-wide Alerts.
    public var controllerNamespace: String

    public init(controllerNamespace: String) { self.controllerNamespace = controllerNamespace }

    /// Whether `alert` wants `event`.
    public func wants(_ alert: AlertSpec, _ event: NotificationEvent) -> Bool {
        guard !alert.suspend, alert.events.isEmpty || alert.events.contains(event.type), event.severity >= alert.severity else { return false }
        guard alert.sources.contains(where: { covers($0, alert: alert, event.source) }) else { return false }
        if alert.exclusionList.contains(where: { Self.matches($0, event.message) }) { return false }
        return alert.inclusionList.isEmpty || alert.inclusionList.contains { Self.matches($0, event.message) }
    }

    /// Whether `source` of `alert` covers the Application.
    func covers(_ source: AlertSource, alert: AlertSpec, _ app: EventSource) -> Bool {
        guard source.kind == "Application" || source.kind == "*" else { return false }
        let namespace = source.namespace ?? alert.namespace
        if namespace == "*" {
            guard alert.namespace == controllerNamespace else { return false }
        } else if namespace != app.namespace || (namespace != alert.namespace && alert.namespace != controllerNamespace) {
            // Another namespace only from the controller's.
            return false
        }
        guard source.name == "*" || (try? Glob(source.name))?.matches(app.name) == true else { return false }
        return source.matchLabels.allSatisfy { app.labels[$0.key] == $0.value }
    }

    static func matches(_ pattern: String, _ text: String) -> Bool {
        guard let regex = try? Regex(pattern) else { return false }
        return text.contains(regex)
    }
}
