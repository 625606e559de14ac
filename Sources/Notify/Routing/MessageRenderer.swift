import Manifests
import Progressive

/// An event in an Alert's words: the values its templates may use, filled in.
public struct MessageRenderer: Sendable {
    /// The dashboard's address (`--external-url`), for `{{url}}`.
    public var externalURL: String?

    public init(externalURL: String? = nil) { self.externalURL = externalURL }

    /// The tag values for `event` under `alert`.
    public func values(_ event: NotificationEvent, alert: AlertSpec) -> [String: String] {
        var values: [String: String] = [
            "app.name": event.source.name, "app.namespace": event.source.namespace, "event.type": event.type.rawValue,
            "event.severity": event.severity.rawValue, "event.title": event.type.title, "message": event.message,
            "revision": event.revision, "revision.short": String(event.revision.prefix(7)), "commit.author": event.commitAuthor,
            "commit.subject": event.commitSubject, "sync": event.sync, "health": event.health, "url": url(event) ?? "",
        ]
        for (key, value) in alert.metadata { values["metadata." + key] = value }
        for key in RolloutReport.templateKeys { values["rollout." + key] = event.rollout?.templateValues[key] ?? "" }
        return values
    }

    /// The message `alert` sends for `event`.
    public func render(_ event: NotificationEvent, alert: AlertSpec) -> RenderedMessage {
        let values = values(event, alert: alert)
        let drift = event.drift.map { ["key": $0.key, "fields": $0.fields.joined(separator: ", "), "manager": $0.managers.joined(separator: ", ")] }
        // The rollout section shows once for a rollout event, and not at all for others.
        let sections = ["drift": drift, "rollout": event.rollout.map { [$0.templateValues] } ?? []]
        var message = RenderedMessage(
            text: alert.template.text.render(values, sections: sections), title: alert.template.title.render(values, sections: sections),
            metadata: alert.metadata)
        message.url = url(event)
        if let body = alert.template.webhookBody {
            let escape: (String) -> String = { text in
                var out = ""
                JSONWriter.writeString(text, into: &out)
                return String(out.dropFirst().dropLast())
            }
            message.webhook = WebhookTemplate(
                method: alert.template.webhookMethod, path: alert.template.webhookPath?.render(values, sections: sections) ?? "",
                body: body.render(values, sections: sections, escape: escape))
        }
        message.statusContext = alert.template.statusContext?.render(values, sections: sections)
        message.statusDescription = alert.template.statusDescription?.render(values, sections: sections)
        return message
    }

    func url(_ event: NotificationEvent) -> String? {
        guard let base = externalURL else { return nil }
        return base.trimmingSuffix("/") + "/applications/\(event.source.namespace)/\(event.source.name)"
    }
}

extension String {
    fileprivate func trimmingSuffix(_ suffix: String) -> String {
        var text = self
        while text.hasSuffix(suffix) { text.removeLast(suffix.count) }
        return text
    }
}
