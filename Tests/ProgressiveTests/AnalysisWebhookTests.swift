import AsyncHTTPClient
import Foundation
import KeelsonTesting
import Manifests
import Progressive
import Testing

@Suite struct AnalysisWebhookTests {
    // Flagger's payload: name, namespace, phase, checksum and metadata, POSTed as JSON.
    @Test func sendsFlaggersPayload() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/gate", statuses: [202])
            let hook = Webhook(name: "smoke", kind: .preRollout, url: receiver.url + "/gate", metadata: ["cmd": "curl -sf http://web-canary.shop/"])
            let result = await WebhookCaller(http: .shared).call(
                hook, rollout: "web", namespace: "shop", phase: WebhookPhase.phase(for: hook.kind), checksum: "5d8f")
            #expect(result == WebhookResult(passed: true, statusCode: 202, message: "webhook smoke passed (HTTP 202)"))
            let request = try #require(await receiver.requests(path: "/gate").first)
            #expect(request.method == "POST")
            #expect(request.header("Content-Type") == "application/json")
            #expect(
                request.text
                    == #"{"checksum":"5d8f","metadata":{"cmd":"curl -sf http://web-canary.shop/"},"name":"web","namespace":"shop","phase":"Progressing"}"#
            )
        }
    }

    // A non-2xx answer fails with the status and a short excerpt of the answer.
    @Test func failsOnNon2xx() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/gate", statuses: [403], body: "gate closed\n")
            let hook = Webhook(name: "promotion-gate", kind: .confirmPromotion, url: receiver.url + "/gate?token=abc")
            let result = await WebhookCaller(http: .shared).call(hook, rollout: "web", namespace: "shop", phase: .progressing, checksum: "h")
            #expect(!result.passed)
            #expect(result.statusCode == 403)
            #expect(result.message == "webhook promotion-gate: HTTP 403 from POST \(receiver.url)/gate: gate closed")
        }
    }

    // A webhook slower than its timeout fails without an HTTP status.
    @Test func failsOnTimeout() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/slow", statuses: [200], delay: .seconds(1))
            let hook = Webhook(name: "slow", kind: .rollout, url: receiver.url + "/slow", timeout: .milliseconds(200))
            let result = await WebhookCaller(http: .shared).call(hook, rollout: "web", namespace: "shop", phase: .progressing, checksum: "h")
            #expect(!result.passed)
            #expect(result.statusCode == nil)
            #expect(result.message.contains("timed out"))
        }
    }

    // Post-rollout hooks say how the rollout ended, as Flagger does.
    @Test(arguments: [(true, WebhookPhase.succeeded), (false, .failed)])
    func postRolloutPhase(promoted: Bool, phase: WebhookPhase) {
        #expect(WebhookPhase.phase(for: .postRollout, promoted: promoted) == phase)
    }

    // The Rollout parser's entry: defaults (10s, type rollout) and refusals naming the field.
    @Test func parsesAList() throws {
        let hooks = try Webhook.parseList(
            [
                ["name": "load", "url": "http://tester.shop/"],
                ["name": "smoke", "type": "pre-rollout", "url": "http://t/", "timeout": "30s", "metadata": ["cmd": "x"]],
            ],
            path: "spec.webhooks")
        #expect(hooks[0] == Webhook(name: "load", kind: .rollout, url: "http://tester.shop/", timeout: .seconds(10)))
        #expect(hooks[1] == Webhook(name: "smoke", kind: .preRollout, url: "http://t/", timeout: .seconds(30), metadata: ["cmd": "x"]))
        let error = try #require(throws: AnalysisSpecError.self) {
            try Webhook.parseList([["name": "x", "type": "rollback", "url": "http://t/"]], path: "spec.webhooks")
        }
        #expect(error.path == "spec.webhooks[0].type")
    }
}
