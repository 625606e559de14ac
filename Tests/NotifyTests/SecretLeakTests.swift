import KeelsonTesting
import Notify
import SCM
import Testing

@Suite struct SecretLeakTests {
    static let secrets = [
        "ghp_TESTTOKEN123", "xoxb-TEST", "/services/T000/B000/XXXX", "T000/B000", "R0UTING-SECRET", "s3cret-hmac", "hdr-secret-value",
    ]

    // B6: after successes, retries and failures of every kind (refusals, 5xx, Slack errors,
    // receivers echoing the request, no listener), no result, failure or log line holds a token,
    // a routing key, an HMAC key, a header value or a webhook path.
    @Test func noSecretReachesAResultOrALogLine() async throws {
        let logs = LogCapture()
        let results = try await HTTPReceiver.withRunning { receiver in
            let echo =
                #"{"ok":false,"error":"invalid_auth xoxb-TEST","routing_key":"R0UTING-SECRET","url":"\#(receiver.url)/services/T000/B000/XXXX"}"#
            receiver.script("/services", statuses: [503, 400], body: echo)
            receiver.script("/api", statuses: [200], body: echo)
            receiver.script("/pd", statuses: [500, 400], body: echo)
            let deliverer = Deliverer.testing(logger: logs.logger)
            let event = Sample.event(.healthDegraded)
            let message = Sample.message(event)
            var slack = Sample.provider(.slack, name: "team-slack")
            slack.channel = "C1"
            let cases: [(ProviderSpec, ProviderCredentials)] = [
                (Sample.provider(.slack, name: "team-slack"), Sample.credentials(address: receiver.url + "/services/T000/B000/XXXX")),
                (slack, Sample.credentials(address: receiver.url + "/api/chat.postMessage", token: "xoxb-TEST")),
                (
                    Sample.provider(.genericHMAC),
                    Sample.credentials(
                        address: receiver.url + "/services/T000/B000/XXXX", hmacKey: "s3cret-hmac", headers: ["X-Auth": "hdr-secret-value"])
                ),
                (Sample.provider(.pagerduty, apiURL: receiver.url + "/pd"), Sample.credentials(routingKey: "R0UTING-SECRET")),
                (Sample.provider(.generic), Sample.credentials(address: receiver.url + "/services/T000/B000/XXXX", hmacKey: "s3cret-hmac")),
            ]
            var results: [DeliveryResult] = []
            for (provider, credentials) in cases {
                results.append(await deliverer.deliver(event: event, message: message, provider: provider, credentials: credentials))
            }
            return results
        }
        let forgeResults = try await FakeSCM.withRunning(token: "ghp_OTHER") { scm in
            let provider = Sample.provider(.github, name: "gh", address: Sample.repository, apiURL: scm.apiURL(.github))
            let event = Sample.event(.deployed)
            return await Deliverer.testing(logger: logs.logger).deliver(
                event: event, message: Sample.message(event), provider: provider, credentials: Sample.credentials(token: "ghp_TESTTOKEN123"))
        }
        let offline = try await withFailFastHTTPClient { http in
            let event = Sample.event(.deployed)
            var slack = Sample.provider(.slack, name: "team-slack")
            slack.channel = "C1"
            let address = "http://127.0.0.1:\(try Ports.free())/services/T000/B000/XXXX"
            return await Deliverer.testing(
                retry: RetryPolicy(attempts: 2, firstDelay: .seconds(1), maximumDelay: .seconds(1)), http: http, logger: logs.logger
            )
            .deliver(
                event: event, message: Sample.message(event), provider: slack, credentials: Sample.credentials(address: address, token: "xoxb-TEST"))
        }
        let all = results + [forgeResults, offline]
        #expect(all.allSatisfy { $0.failure != nil })
        #expect(offline.failure?.code == .network && forgeResults.failure?.statusCode == 401)
        #expect(!logs.lines.isEmpty)
        // `dump` walks every stored field, not only the descriptions.
        let texts =
            all.flatMap { result in
                var fields = ""
                dump(result, to: &fields)
                return ["\(result)", fields]
            } + logs.lines
        for text in texts {
            for secret in Self.secrets { #expect(!text.contains(secret), "\(text)") }
        }
    }
}
