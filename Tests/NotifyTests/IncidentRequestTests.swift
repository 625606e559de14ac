import Foundation
import Notify
import Testing

@Suite struct IncidentRequestTests {
    // PagerDuty and Opsgenie hear only of incidents: an event that neither opens nor closes one sends nothing.
    @Test(arguments: [ProviderType.pagerduty, .opsgenie])
    func eventsWithoutAnIncidentSendNothing(_ type: ProviderType) throws {
        let credentials = Sample.credentials(routingKey: "R0UTING", apiKey: "genie")
        #expect(try Sample.request(Sample.event(.driftDetected), Sample.provider(type), credentials) == nil)
        #expect(try Sample.request(Sample.event(.healthDegraded), Sample.provider(type), credentials) != nil)
    }

    // pagerduty without a routing key, opsgenie without an API key: configuration failures.
    @Test(arguments: [ProviderType.pagerduty, .opsgenie])
    func theKeyIsRequired(_ type: ProviderType) {
        let failure = #expect(throws: DeliveryFailure.self) { try Sample.request(Sample.event(.syncFailed), Sample.provider(type)) }
        #expect(failure?.code == .configuration)
    }

    // The public endpoints are the default; a resolve carries no payload.
    @Test func pagerdutyDefaultsToTheEventsAPI() throws {
        let credentials = Sample.credentials(routingKey: "R0UTING")
        let trigger = try #require(try Sample.request(Sample.event(.syncFailed), Sample.provider(.pagerduty), credentials))
        #expect(trigger.url == "https://events.pagerduty.com/v2/enqueue")
        let payload = try #require(trigger.object["payload"] as? [String: Any])
        #expect(payload["source"] as? String == "keelson/guestbook" && payload["severity"] as? String == "error")
        #expect((payload["custom_details"] as? [String: String])?["revision"] == Sample.sha)
        let resolve = try #require(try Sample.request(Sample.event(.deployed), Sample.provider(.pagerduty), credentials))
        #expect(resolve.object["payload"] == nil)
        #expect(resolve.object["event_action"] as? String == "resolve")
    }

    // Opsgenie closes by alias; an alias with reserved characters is percent-encoded in the path.
    @Test func opsgenieClosesByAlias() throws {
        let event = Sample.event(.healthRecovered, incident: "keelson/guestbook health")
        let request = try #require(try Sample.request(event, Sample.provider(.opsgenie), Sample.credentials(apiKey: "genie")))
        #expect(request.url == "https://api.opsgenie.com/v2/alerts/keelson%2Fguestbook%20health/close?identifierType=alias")
        #expect(request.header("Authorization") == "GenieKey genie")
    }
}
