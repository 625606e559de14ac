import Foundation
import KeelsonTesting
import Notify
import SCM
import Testing

@Suite struct DeliveryTests {
    // B1: one POST to the Slack hook, JSON, its text naming the app and what happened.
    @Test func slackSmokeTest() async throws {
        try await HTTPReceiver.withRunning { receiver in
            let provider = Sample.provider(.slack, name: "team-slack")
            let event = Sample.event(.syncFailed)
            let result = await Deliverer.testing().deliver(
                event: event, message: Sample.message(event), provider: provider, credentials: Sample.credentials(address: receiver.url + "/slack"))
            #expect(result.isDelivered && result.statusCode == 200 && result.attempts == 1)
            let requests = await receiver.requests
            #expect(requests.map { "\($0.method) \($0.path)" } == ["POST /slack"])
            #expect(requests.first?.header("Content-Type") == "application/json")
            let text = try #require(requests.first?.json?["text"] as? String)
            #expect(text.contains("guestbook") && text.contains("sync failed"))
            #expect(requests.first?.header("X-Keelson-Event-ID") == event.key)
        }
    }

    // B4: 503, 503, 200 is three attempts and one delivery, with two backoff waits; then a 400
    // is one attempt and a permanent failure naming the provider and no more of the URL than
    // its first path segment.
    @Test func transientFailuresAreRetriedAndA400IsPermanent() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/generic", statuses: [503, 503, 200])
            let sleeper = SleepRecorder()
            let provider = Sample.provider(.generic, name: "hook", address: receiver.url + "/generic/T000/private")
            let event = Sample.event(.deployed)
            let deliverer = Deliverer.testing(sleeper: sleeper)
            let delivered = await deliverer.deliver(event: event, message: Sample.message(event), provider: provider, credentials: .init())
            #expect(delivered.outcome == .delivered && delivered.attempts == 3 && delivered.statusCode == 200)
            #expect(sleeper.recorded.count == 2)
            #expect(sleeper.recorded.allSatisfy { $0 >= .seconds(1) && $0 <= .seconds(30) })

            receiver.script("/generic", statuses: [400])
            let refused = await deliverer.deliver(event: event, message: Sample.message(event), provider: provider, credentials: .init())
            let failure = try #require(refused.failure)
            #expect(refused.attempts == 1 && refused.statusCode == 400)
            #expect(failure.isPermanent && failure.code == .rejected && failure.statusCode == 400)
            #expect(failure.message == "HTTP 400 from provider hook")
            #expect(failure.target == "POST \(receiver.url)/generic/***")
            #expect(!"\(refused)".contains("T000") && !"\(refused)".contains("private"))
            #expect(await receiver.requests(path: "/generic").count == 4)
            #expect(sleeper.recorded.count == 2)
        }
    }

    // 429 and 408 are retried; a Retry-After wins over the backoff.
    @Test(arguments: [429, 408])
    func rateLimitsAreRetriedAfterTheServersDelay(_ status: Int) async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/generic", statuses: [status, 200], retryAfter: "7")
            let sleeper = SleepRecorder()
            let event = Sample.event(.deployed)
            let result = await Deliverer.testing(sleeper: sleeper).deliver(
                event: event, message: Sample.message(event), provider: Sample.provider(.generic, address: receiver.url + "/generic"),
                credentials: .init())
            #expect(result.isDelivered && result.attempts == 2)
            #expect(sleeper.recorded == [.seconds(7)])
        }
    }

    // Retries stop at the policy's attempts; the failure is not permanent, so the event stays due.
    @Test func retriesStopAtTheLimit() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/generic", statuses: [502])
            let sleeper = SleepRecorder()
            let event = Sample.event(.deployed)
            let result = await Deliverer.testing(sleeper: sleeper).deliver(
                event: event, message: Sample.message(event), provider: Sample.provider(.generic, address: receiver.url + "/generic"),
                credentials: .init())
            #expect(result.attempts == 5 && sleeper.recorded.count == 4)
            #expect(result.failure?.isPermanent == false && result.failure?.code == .server)
            #expect(result.failure?.message == "HTTP 502 from provider hook")
        }
    }

    // Nobody listening: every attempt fails to connect, then a transient network failure.
    @Test func networkErrorsAreRetriedThenReported() async throws {
        let address = "http://127.0.0.1:\(try Ports.free())/generic"
        let sleeper = SleepRecorder()
        let result = try await withFailFastHTTPClient { http in
            let event = Sample.event(.deployed)
            return await Deliverer.testing(
                sleeper: sleeper, retry: RetryPolicy(attempts: 3, firstDelay: .seconds(1), maximumDelay: .seconds(4)), http: http
            )
            .deliver(event: event, message: Sample.message(event), provider: Sample.provider(.generic, address: address), credentials: .init())
        }
        #expect(result.attempts == 3 && sleeper.recorded.count == 2 && result.statusCode == nil)
        #expect(result.failure?.code == .network && result.failure?.isPermanent == false)
        #expect(result.failure?.message == "no answer from provider hook")
    }

    // A receiver slower than the provider's timeout is a network failure, not a hang.
    @Test func slowReceiversTimeOut() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/generic", statuses: [200], delay: .seconds(1))
            let event = Sample.event(.deployed)
            let provider = Sample.provider(.generic, address: receiver.url + "/generic", timeout: .milliseconds(150))
            let result = await Deliverer.testing(retry: .none).deliver(
                event: event, message: Sample.message(event), provider: provider, credentials: .init())
            #expect(result.failure?.code == .network)
            #expect(result.failure?.detail?.contains("timed out") == true)
        }
    }

    // Slack's Web API answers 200 with "ok": false: a permanent refusal naming Slack's error code.
    @Test func slackWebAPIErrorsAreFailures() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/api/chat.postMessage", statuses: [200], body: #"{"ok":false,"error":"channel_not_found"}"#)
            var provider = Sample.provider(.slack, name: "team-slack")
            provider.channel = "C404"
            let credentials = Sample.credentials(address: receiver.url + "/api/chat.postMessage", token: "xoxb-1234")
            let event = Sample.event(.deployed)
            let result = await Deliverer.testing().deliver(event: event, message: Sample.message(event), provider: provider, credentials: credentials)
            #expect(result.failure?.isPermanent == true && result.failure?.detail == "channel_not_found")
            #expect(await receiver.requests.first?.header("Authorization") == "Bearer xoxb-1234")
        }
    }

    // Nothing is sent for a suspended provider, nor to PagerDuty for an event without an incident.
    @Test func skippedDeliveriesSendNothing() async throws {
        try await HTTPReceiver.withRunning { receiver in
            var suspended = Sample.provider(.generic, address: receiver.url + "/generic")
            suspended.suspend = true
            let event = Sample.event(.driftDetected)
            let deliverer = Deliverer.testing()
            let paused = await deliverer.deliver(event: event, message: Sample.message(event), provider: suspended, credentials: .init())
            let pagerduty = await deliverer.deliver(
                event: event, message: Sample.message(event), provider: Sample.provider(.pagerduty, apiURL: receiver.url),
                credentials: Sample.credentials(routingKey: "R0UTING"))
            #expect(paused.outcome == .skipped(reason: "the provider is suspended"))
            #expect(pagerduty.outcome == .skipped(reason: "pagerduty takes only events that open or close an incident, not drift-detected"))
            #expect(await receiver.requests.isEmpty)
        }
    }
}
