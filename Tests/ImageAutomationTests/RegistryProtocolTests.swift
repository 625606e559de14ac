import Foundation
import ImageAutomation
import Registry
import Testing

/// Protocol cases against a scripted server on loopback: the Bearer token flow, hostile
/// links, size limits, timeouts and insecure mode.
struct RegistryProtocolTests {
    static let basic = "Basic " + Data("robot:tok3n-pw".utf8).base64EncodedString()

    /// A registry that wants a Bearer token from `/token` (which wants Basic auth), serving
    /// `team/app` tags in pages of two.
    static func tokenRegistry(_ request: StubRequest, _ base: String) -> StubResponse? {
        let tags = ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "latest"]
        switch request.path {
        case "/token":
            guard request.headers["authorization"] == basic else { return StubResponse(status: 401) }
            guard request.query["service"] == "stub-registry", request.query["scope"] == "repository:team/app:pull" else {
                return StubResponse(status: 400)
            }
            return StubResponse(status: 200, body: #"{"token":"granted-token","expires_in":300}"#)
        case "/v2/team/app/tags/list":
            guard request.headers["authorization"] == "Bearer granted-token" else {
                let challenge = #"Bearer realm="\#(base)/token",service="stub-registry",scope="repository:team/app:pull""#
                return StubResponse(status: 401, headers: [("WWW-Authenticate", challenge)], body: #"{"errors":[{"code":"UNAUTHORIZED"}]}"#)
            }
            let last = request.query["last"]
            let start = last.flatMap { tags.firstIndex(of: $0).map { $0 + 1 } } ?? 0
            let page = Array(tags[start..<min(start + 2, tags.count)])
            var headers: [(String, String)] = []
            if start + 2 < tags.count { headers.append(("Link", #"</v2/team/app/tags/list?n=2&last=\#(page.last!)>; rel="next""#)) }
            let body = #"{"name":"team/app","tags":[\#(page.map { "\"\($0)\"" }.joined(separator: ","))]}"#
            return StubResponse(status: 200, headers: headers, body: body)
        default:
            return StubResponse(status: 404)
        }
    }

    @Test func bearerTokenIsFetchedOnceAndReused() async throws {
        try await StubServer.with(Self.tokenRegistry) { server in
            let credentials: RegistryClient.Credentials = { _ in .basic(username: "robot", password: "tok3n-pw") }
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true, pageSize: 2), credentials: credentials) { client in
                let image = try ImageReference.parse("\(server.host)/team/app")
                #expect(try await client.tags(of: image) == ["1.0.0", "1.1.0", "1.2.0", "2.0.0", "latest"])
                #expect(try await client.tags(of: image).count == 5)
            }
            // One challenge, one token, then six pages (three per listing) with the cached token.
            #expect(server.requests.filter { $0.path == "/token" }.count == 1)
            #expect(server.requests.filter { $0.headers["authorization"] == "Bearer granted-token" }.count == 6)
        }
    }

    @Test(arguments: [RegistryCredential.basic(username: "robot", password: "not-the-pw"), .anonymous])
    func refusedTokenIsUnauthorized(_ credential: RegistryCredential) async throws {
        try await StubServer.with(Self.tokenRegistry) { server in
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: { _ in credential }) { client in
                let error = await #expect(throws: RegistryError.self) {
                    try await client.tags(of: ImageReference.parse("\(server.host)/team/app"))
                }
                #expect(error?.code == .unauthorized)
                #expect(error.map { !"\($0)".contains("not-the-pw") } == true)
            }
        }
    }

    /// A next-page link to another host is refused, so credentials never follow it.
    @Test func linkToAnotherHostIsRefused() async throws {
        let handler: StubServer.Handler = { _, _ in
            StubResponse(status: 200, headers: [("Link", #"<https://evil.example/v2/app/tags/list?last=a>; rel="next""#)], body: #"{"tags":["a"]}"#)
        }
        try await StubServer.with(handler) { server in
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: { _ in .anonymous }) { client in
                let error = await #expect(throws: RegistryError.self) { try await client.tags(of: ImageReference.parse("\(server.host)/app")) }
                #expect(error?.message.contains("another host") == true)
            }
            #expect(server.requests.count == 1)
        }
    }

    struct LimitCase: Sendable {
        var rule: String
        var options: RegistryOptions
        var reply: StubResponse?
        var code: RegistryError.Code
    }

    static let limits: [LimitCase] = [
        LimitCase(
            rule: "a reply over the size limit", options: RegistryOptions(insecure: true, maxResponseBytes: 1024),
            reply: StubResponse(status: 200, body: #"{"tags":["\#(String(repeating: "x", count: 4096))"]}"#), code: .responseTooLarge),
        LimitCase(
            rule: "a server that never answers", options: RegistryOptions(insecure: true, requestTimeout: .milliseconds(300)),
            reply: nil, code: .transport),
        LimitCase(
            rule: "a reply that is not a tag list", options: RegistryOptions(insecure: true),
            reply: StubResponse(status: 200, body: "<html>"), code: .decoding),
        LimitCase(
            rule: "a server error", options: RegistryOptions(insecure: true),
            reply: StubResponse(status: 503, body: #"{"errors":[{"code":"UNAVAILABLE","message":"down"}]}"#), code: .registry),
    ]

    @Test(arguments: limits.indices)
    func limitsAndFailures(_ index: Int) async throws {
        let c = Self.limits[index]
        try await StubServer.with({ _, _ in c.reply }) { server in
            try await RegistryClient.withClient(options: c.options, credentials: { _ in .anonymous }) { client in
                let error = await #expect(throws: RegistryError.self, "\(c.rule)") {
                    try await client.tags(of: ImageReference.parse("\(server.host)/app"))
                }
                #expect(error?.code == c.code, "\(c.rule)")
            }
        }
    }

    /// Plain HTTP only ever goes to loopback; without --insecure a loopback registry is https.
    @Test func insecureIsLoopbackOnly() async throws {
        try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: { _ in .anonymous }) { client in
            let error = await #expect(throws: RegistryError.self) {
                try await client.tags(of: ImageReference.parse("registry.example.com/app"))
            }
            #expect(error?.code == .insecure)
        }
        try await StubServer.with({ _, _ in StubResponse(status: 200, body: #"{"tags":[]}"#) }) { server in
            try await RegistryClient.withClient(options: RegistryOptions(requestTimeout: .seconds(2)), credentials: { _ in .anonymous }) { client in
                let error = await #expect(throws: RegistryError.self) { try await client.tags(of: ImageReference.parse("\(server.host)/app")) }
                #expect(error?.code == .transport, "https to a plain-HTTP server fails")
            }
        }
    }
}
