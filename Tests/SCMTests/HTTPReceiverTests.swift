import AsyncHTTPClient
import KeelsonTesting
import NIOCore
import SCM
import Testing

@Suite struct HTTPReceiverTests {
    // Every request is recorded with method, path and query, headers and body, in order.
    @Test func requestsAreRecordedInOrder() async throws {
        try await HTTPReceiver.withRunning { receiver in
            var request = HTTPClientRequest(url: receiver.url + "/hook/a?x=1&y=two%20words")
            request.method = .POST
            request.headers.add(name: "X-Keelson-Event-ID", value: "e1")
            request.body = .bytes(ByteBuffer(string: #"{"text":"deployed"}"#))
            _ = try await HTTPClient.shared.execute(request, timeout: .seconds(60))
            _ = try await HTTPClient.shared.execute(HTTPClientRequest(url: receiver.url + "/other"), timeout: .seconds(60))

            let recorded = await receiver.requests
            #expect(recorded.map(\.method) == ["POST", "GET"])
            #expect(recorded.first?.path == "/hook/a?x=1&y=two%20words")
            #expect(recorded.first?.query == ["x": "1", "y": "two words"])
            #expect(recorded.first?.header("x-keelson-event-id") == "e1")
            #expect(recorded.first?.json?["text"] as? String == "deployed")
            #expect(await receiver.requests(path: "/hook").count == 1)
            #expect(await receiver.requests(path: "/hoo").isEmpty)
        }
    }

    // A script's statuses are answered in turn and the last repeats; the longest prefix wins.
    @Test func scriptsAnswerInTurn() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/api", statuses: [503, 429, 201], retryAfter: "3")
            receiver.script("/api/special", statuses: [418])
            var codes: [UInt] = []
            var retryAfters: [String?] = []
            for path in ["/api/x", "/api/x", "/api/x", "/api/x", "/api/special/y", "/elsewhere"] {
                let response = try await HTTPClient.shared.execute(HTTPClientRequest(url: receiver.url + path), timeout: .seconds(60))
                codes.append(response.status.code)
                retryAfters.append(response.headers.first(name: "Retry-After"))
            }
            #expect(codes == [503, 429, 201, 201, 418, 200])
            #expect(retryAfters == ["3", "3", "3", "3", nil, nil])
        }
    }

    // Scripted failures go in front of FakeSCM's state: after two 503s the status lands.
    @Test func scriptedFailuresPrecedeTheFake() async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            scm.receiver.script("/github", statuses: [503, 503, 200])
            let sleeper = SleepRecorder()
            let client = try scm.client(.github, sleeper: sleeper)
            let outcome = try await client.setStatus(CommitStatus(state: .success, context: "keelson/app", description: "ok"), sha: Fixture.sha)
            #expect(outcome == .posted)
            #expect(sleeper.recorded.count == 2)
            #expect(scm.statuses(forge: .github, project: Fixture.project(.github), sha: Fixture.sha).map(\.state) == ["success"])
        }
    }

    // GitLab projects given by numeric id travel as they are.
    @Test func gitlabNumericProjectIDs() async throws {
        try await FakeSCM.withRunning(token: Fixture.token) { scm in
            let client = SCMClient(repository: try scm.repository(.gitlab, project: "42"), token: Fixture.token)
            _ = try await client.setStatus(CommitStatus(state: .pending, context: "keelson/app", description: "syncing"), sha: Fixture.sha)
            let posts = await scm.requests(forge: .gitlab, method: "POST")
            #expect(posts.map(\.path) == ["/gitlab/api/v4/projects/42/statuses/\(Fixture.sha)"])
            #expect(scm.statuses(forge: .gitlab, project: "42", sha: Fixture.sha).map(\.state) == ["running"])
        }
    }
}
