import Manifests

/// `alertmanager`: `POST {address}/api/v2/alerts` with one alert.
///
/// Alertmanager tells alerts apart by their labels, so an incident's alert must carry the same
/// labels when it opens and when it resolves. The resolving event has another type and
/// severity than the one that opened it; incidents are therefore labelled by the incident
/// (`alertname: keelson-incident`, `incident: <key>`, `severity: error`), and the event type
/// goes into the `event` annotation. Other events are alerts named after their type. A `token`
/// is sent as a bearer token, `username`/`password` as basic auth.
extension RequestBuilder {
    static func alertmanager(_ input: RequestInput) throws(DeliveryFailure) -> OutgoingRequest {
        let base: String
        if (input.credentials.address ?? input.provider.address)?.isEmpty == false {
            base = try input.address()
        } else if let api = input.provider.apiURL, !api.isEmpty {
            base = try input.checked(api, "spec.apiURL")
        } else {
            throw input.failure("no address: set spec.address or the Secret's address key")
        }
        let incident = input.event.type.incident
        var labels: [String: String] = [
            "alertname": incident == nil ? input.event.type.rawValue : "keelson-incident",
            // Incidents open only on errors; the resolving event keeps the label it opened with.
            "severity": incident == nil ? input.event.severity.rawValue : Severity.error.rawValue,
            "namespace": input.event.source.namespace,
            "application": input.event.source.name,
        ]
        if incident != nil { labels["incident"] = input.event.incidentKey }
        var annotations = input.message.metadata
        annotations["summary"] = input.message.title
        annotations["description"] = input.message.text
        annotations["event"] = input.event.type.rawValue
        annotations["revision"] = input.event.revision
        var alert: JSONObject = ["labels": RequestInput.strings(labels), "annotations": RequestInput.strings(annotations)]
        if incident == .resolve {
            alert["endsAt"] = .string(input.timestamp)
        } else {
            alert["startsAt"] = .string(input.timestamp)
        }
        if let url = input.message.url { alert["generatorURL"] = .string(url) }
        var request = input.json(base + "/api/v2/alerts", [.object(alert)])
        if let token = input.credentials.token, !token.isEmpty { request.setHeader("Authorization", "Bearer " + token) }
        return try input.withSecretHeaders(request)
    }
}
