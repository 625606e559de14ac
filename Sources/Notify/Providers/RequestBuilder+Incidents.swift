import Foundation
import Manifests

/// `pagerduty` and `opsgenie`: an error opens an incident keyed by `event.incidentKey`, and the
/// matching recovery resolves that same incident. Events that neither open nor close one send nothing.
extension RequestBuilder {
    /// PagerDuty Events API v2: `POST /v2/enqueue`, `trigger` with a payload or `resolve` with
    /// the same `dedup_key`.
    static func pagerduty(_ input: RequestInput) throws(DeliveryFailure) -> OutgoingRequest? {
        guard let action = input.event.type.incident else { return nil }
        guard let routingKey = input.credentials.routingKey, !routingKey.isEmpty else {
            throw input.failure("pagerduty needs the Secret's routingKey")
        }
        let url = try input.apiURL(default: "https://events.pagerduty.com") + "/v2/enqueue"
        var body: JSONObject = [
            "routing_key": .string(routingKey), "event_action": .string(action.rawValue), "dedup_key": .string(input.event.incidentKey),
        ]
        if action == .trigger {
            body["payload"] = [
                "summary": .string(input.message.text.cut(to: 1024)),
                "source": .string(input.application),
                "severity": .string(pagerDutySeverities[input.event.severity]!),
                "component": .string(input.event.source.name),
                "group": .string(input.event.source.namespace),
                "class": .string(input.event.type.rawValue),
                "custom_details": details(input),
            ]
            body["client"] = "keelson"
            if let url = input.message.url {
                body["client_url"] = .string(url)
                body["links"] = [["href": .string(url), "text": "Open in Keelson"]]
            }
        }
        return input.json(url, .object(body))
    }

    /// Opsgenie Alert API v2: `POST /v2/alerts` with `alias` = the incident key to open, and
    /// `POST /v2/alerts/<alias>/close?identifierType=alias` to close; `GenieKey` authorization.
    static func opsgenie(_ input: RequestInput) throws(DeliveryFailure) -> OutgoingRequest? {
        guard let action = input.event.type.incident else { return nil }
        guard let apiKey = input.credentials.apiKey, !apiKey.isEmpty else { throw input.failure("opsgenie needs the Secret's apiKey") }
        let base = try input.apiURL(default: "https://api.opsgenie.com") + "/v2/alerts"
        var request: OutgoingRequest
        switch action {
        case .trigger:
            let body: JSONValue = [
                "message": .string(input.message.title.cut(to: 130)),
                "alias": .string(input.event.incidentKey),
                "description": .string(input.message.text.cut(to: 15_000)),
                "priority": .string(opsgeniePriorities[input.event.severity]!),
                "source": "keelson",
                "entity": .string(input.application),
                "tags": ["keelson", .string(input.event.type.rawValue)],
                "details": details(input),
            ]
            request = input.json(base, body)
        case .resolve:
            let alias = input.event.incidentKey.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
            let body: JSONValue = ["source": "keelson", "note": .string(input.message.text.cut(to: 25_000))]
            request = input.json(base + "/\(alias)/close?identifierType=alias", body)
        }
        request.setHeader("Authorization", "GenieKey " + apiKey)
        return request
    }

    /// Fields an on-call engineer wants beside the summary, then the Alert's metadata.
    private static func details(_ input: RequestInput) -> JSONValue {
        var values = input.message.metadata
        values["application"] = input.application
        values["revision"] = input.event.revision
        values["event"] = input.event.type.rawValue
        return RequestInput.strings(values)
    }

    /// PagerDuty's severities; `critical` is left to the service's event rules to raise.
    private static let pagerDutySeverities: [Severity: String] = [.info: "info", .warning: "warning", .error: "error"]
    /// Opsgenie's priorities, P1 the highest; P1 is left for people to raise.
    private static let opsgeniePriorities: [Severity: String] = [.info: "P5", .warning: "P3", .error: "P2"]
    /// RFC 3986 unreserved characters: everything else in an alias is percent-encoded.
    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")
}
