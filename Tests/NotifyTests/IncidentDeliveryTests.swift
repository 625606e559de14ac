import Foundation
import KeelsonTesting
import Notify
import Testing

@Suite struct IncidentDeliveryTests {
    // B8: PagerDuty gets a trigger, then a resolve with the same dedup_key; the trigger's payload
    // has severity error.
    @Test func pagerdutyTriggersThenResolvesTheSameIncident() async throws {
        try await HTTPReceiver.withRunning { receiver in
            let provider = Sample.provider(.pagerduty, name: "oncall", apiURL: receiver.url + "/pagerduty")
            let credentials = Sample.credentials(routingKey: "R0UTINGKEY")
            let deliverer = Deliverer.testing()
            for type in [EventType.healthDegraded, .healthRecovered] {
                let event = Sample.event(type)
                #expect(
                    await deliverer.deliver(event: event, message: Sample.message(event), provider: provider, credentials: credentials).isDelivered)
            }
            let requests = await receiver.requests
            #expect(requests.map { "\($0.method) \($0.path)" } == ["POST /pagerduty/v2/enqueue", "POST /pagerduty/v2/enqueue"])
            let trigger = try #require(requests.first?.json)
            let resolve = try #require(requests.last?.json)
            #expect(trigger["event_action"] as? String == "trigger" && resolve["event_action"] as? String == "resolve")
            #expect(trigger["dedup_key"] as? String == "inc-7f3a" && resolve["dedup_key"] as? String == "inc-7f3a")
            #expect(trigger["routing_key"] as? String == "R0UTINGKEY")
            let payload = try #require(trigger["payload"] as? [String: Any])
            #expect(["error", "critical"].contains(payload["severity"] as? String))
            #expect((payload["summary"] as? String)?.contains("guestbook") == true)
        }
    }

    // B8: Opsgenie gets POST /v2/alerts with alias = the incident key, then the close by alias.
    @Test func opsgenieOpensThenClosesByAlias() async throws {
        try await HTTPReceiver.withRunning { receiver in
            let provider = Sample.provider(.opsgenie, name: "genie", apiURL: receiver.url + "/opsgenie")
            let credentials = Sample.credentials(apiKey: "genie-key-1")
            let deliverer = Deliverer.testing()
            for type in [EventType.syncFailed, .deployed] {
                let event = Sample.event(type)
                #expect(
                    await deliverer.deliver(event: event, message: Sample.message(event), provider: provider, credentials: credentials).isDelivered)
            }
            let requests = await receiver.requests
            #expect(
                requests.map { "\($0.method) \($0.path)" } == [
                    "POST /opsgenie/v2/alerts", "POST /opsgenie/v2/alerts/inc-7f3a/close?identifierType=alias",
                ])
            let alert = try #require(requests.first?.json)
            #expect(alert["alias"] as? String == "inc-7f3a" && alert["priority"] as? String == "P2")
            #expect(alert["message"] as? String == "sync failed: keelson/guestbook")
            #expect(requests.allSatisfy { $0.header("Authorization") == "GenieKey genie-key-1" })
        }
    }
}
