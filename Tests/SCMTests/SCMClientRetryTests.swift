import AsyncHTTPClient
import Foundation
import KeelsonTesting
import SCM
import Testing

@Suite struct SCMClientRetryTests {
    static func client(
        _ url: String, http: HTTPClient = .shared, retry: RetryPolicy = .standard, timeout: Duration = .seconds(15), sleeper: SleepRecorder
    ) throws(SCMError) -> SCMClient {
        let repository = try SCMRepository(forge: .github, apiURL: url + "/github", project: "shop/deploy")
        return SCMClient(repository: repository, token: Fixture.token, http: http, timeout: timeout, retry: retry, sleep: sleeper.sleep)
    }

    // 503, 503, 200: three attempts, success, and two backoff delays within their jitter bounds.
    @Test func serverErrorsAreRetried() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/github", statuses: [503, 503, 200], body: "[]")
            let sleeper = SleepRecorder()
            let listed = try await Self.client(receiver.url, sleeper: sleeper).statuses(sha: Fixture.sha)
            #expect(listed == [])
            #expect(await receiver.requests.count == 3)
            let delays = sleeper.recorded
            #expect(delays.count == 2)
            #expect(delays.count == 2 && (Duration.seconds(1)...Duration.seconds(2)).contains(delays[0]))
            #expect(delays.count == 2 && (Duration.seconds(2)...Duration.seconds(4)).contains(delays[1]))
        }
    }

    // A 429's Retry-After is the delay, not the backoff.
    @Test func retryAfterIsHonoured() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/github", statuses: [429, 200], retryAfter: "7", body: "[]")
            let sleeper = SleepRecorder()
            _ = try await Self.client(receiver.url, sleeper: sleeper).statuses(sha: Fixture.sha)
            #expect(sleeper.recorded == [.seconds(7)])
            #expect(await receiver.requests.count == 2)
        }
    }

    // GitHub's rate limit also comes as 403 with x-ratelimit-remaining: 0; it passes, so it is retried.
    @Test func githubRateLimit403IsRetried() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/github", statuses: [403, 200], body: "[]", headers: ["x-ratelimit-remaining": "0"])
            let sleeper = SleepRecorder()
            _ = try await Self.client(receiver.url, sleeper: sleeper).statuses(sha: Fixture.sha)
            #expect(await receiver.requests.count == 2)
        }
    }

    // Other 4xx are the caller's fault: one attempt, a permanent error with the forge's message.
    @Test(arguments: [(400, SCMError.Code.badRequest), (403, .unauthorized), (404, .notFound), (422, .rejected)])
    func clientErrorsAreNotRetried(_ status: Int, code: SCMError.Code) async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/github", statuses: [status], body: #"{"message":"Validation Failed"}"#)
            let sleeper = SleepRecorder()
            let client = try Self.client(receiver.url, sleeper: sleeper)
            let error = await #expect(throws: SCMError.self) { try await client.statuses(sha: Fixture.sha) }
            #expect(error?.code == code)
            #expect(error?.statusCode == status)
            #expect(error?.isPermanent == true)
            #expect(error?.forge == .github)
            #expect(error?.message.contains("Validation Failed") == true)
            #expect(await receiver.requests.count == 1)
            #expect(sleeper.recorded.isEmpty)
        }
    }

    // Nobody listening: every attempt fails to connect, then a transient `.network` error.
    @Test func networkErrorsAreRetriedThenReported() async throws {
        let url = "http://127.0.0.1:\(try Ports.free())"
        let sleeper = SleepRecorder()
        let retry = RetryPolicy(attempts: 3, firstDelay: .seconds(1), maximumDelay: .seconds(4))
        try await withFailFastHTTPClient { http in
            let client = try Self.client(url, http: http, retry: retry, sleeper: sleeper)
            let error = await #expect(throws: SCMError.self) { try await client.statuses(sha: Fixture.sha) }
            #expect(error?.code == .network)
            #expect(error?.isPermanent == false)
            #expect(error?.message.contains("127.0.0.1") == true)
        }
        #expect(sleeper.recorded.count == 2)
    }

    // Retries stop at the policy's attempts; the last failure is reported, not permanent.
    @Test func retriesStopAtTheLimit() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/github", statuses: [502])
            let sleeper = SleepRecorder()
            let retry = RetryPolicy(attempts: 4, firstDelay: .seconds(1), maximumDelay: .seconds(2))
            let client = try Self.client(receiver.url, retry: retry, sleeper: sleeper)
            let error = await #expect(throws: SCMError.self) { try await client.statuses(sha: Fixture.sha) }
            #expect(error?.code == .server)
            #expect(error?.isPermanent == false)
            #expect(await receiver.requests.count == 4)
            #expect(sleeper.recorded.count == 3)
        }
    }

    // A forge that does not answer within the timeout is a network failure, not a hang.
    @Test func slowAnswersTimeOut() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/github", statuses: [200], delay: .seconds(1), body: "[]")
            let client = try Self.client(receiver.url, retry: .none, timeout: .milliseconds(100), sleeper: SleepRecorder())
            let error = await #expect(throws: SCMError.self) { try await client.statuses(sha: Fixture.sha) }
            #expect(error?.code == .network)
            #expect(error?.message.contains("timed out") == true)
        }
    }

    // Answers over 4 MiB are not read into memory.
    @Test func hugeAnswersAreRefused() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/github", statuses: [200], body: "[" + String(repeating: " ", count: 4 * 1024 * 1024) + "]")
            let client = try Self.client(receiver.url, sleeper: SleepRecorder())
            let error = await #expect(throws: SCMError.self) { try await client.statuses(sha: Fixture.sha) }
            #expect(error?.code == .badAnswer)
            #expect(error?.isPermanent == true)
        }
    }

    // Neither the token nor a full URL reaches an error or a log line, even when the forge echoes them.
    @Test func noTokenOrURLLeaks() async throws {
        try await HTTPReceiver.withRunning { receiver in
            let echoed = #"{"message":"token \#(Fixture.token) refused for \#(receiver.url)/github/repos/shop/deploy/statuses"}"#
            receiver.script("/github", statuses: [500, 401], body: echoed)
            let logs = LogCapture()
            let repository = try SCMRepository(forge: .github, apiURL: receiver.url + "/github", project: "shop/deploy")
            let client = SCMClient(repository: repository, token: Fixture.token, sleep: SleepRecorder().sleep, logger: logs.logger)
            let unauthorized = await #expect(throws: SCMError.self) { try await client.statuses(sha: Fixture.sha) }
            let offlineRepository = try SCMRepository(forge: .gitlab, apiURL: "http://127.0.0.1:\(try Ports.free())", project: "shop/deploy")
            let network = try await withFailFastHTTPClient { http in
                let offline = SCMClient(repository: offlineRepository, token: Fixture.token, http: http, retry: .none, logger: logs.logger)
                return await #expect(throws: SCMError.self) { try await offline.statuses(sha: Fixture.sha) }
            }
            let texts = [unauthorized, network].map { String(describing: $0) } + logs.lines + [String(describing: client), "\(client)"]
            #expect(!logs.lines.isEmpty)
            for text in texts {
                #expect(!text.contains(Fixture.token), "\(text)")
                #expect(!text.contains("shop/deploy/statuses"), "\(text)")
                #expect(!text.contains(Fixture.sha), "\(text)")
            }
            #expect(unauthorized?.message.contains(receiver.url + "/github/***") == true)
        }
    }
}
