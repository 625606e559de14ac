import AsyncHTTPClient
import Crypto
import Foundation
import KeelsonTesting
import KubeSandbox
import Manifests
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `keelson controller` as a real process, attacked the way an outsider can: over the network.
@Suite(.serialized) struct ServerProcessTests {
    typealias H = ServerHarness

    /// An answer of the process's server.
    struct Reply {
        var status: Int
        var headers: [(String, String)]
        var body: String
        func header(_ name: String) -> String? { headers.first { $0.0.lowercased() == name.lowercased() }?.1 }
    }

    /// Runs `body` with an HTTP client, shut down after.
    static func withHTTP<T>(_ configuration: HTTPClient.Configuration = .init(), _ body: (HTTPClient) async throws -> T) async throws -> T {
        let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        do {
            let result = try await body(http)
            try await http.shutdown()
            return result
        } catch {
            try? await http.shutdown()
            throw error
        }
    }

    static func send(
        _ http: HTTPClient, _ url: String, method: HTTPMethod = .GET, token: String? = nil, headers: [(String, String)] = [], body: [UInt8]? = nil,
        timeout: Int64 = 10
    ) async throws -> Reply {
        var request = HTTPClientRequest(url: url)
        request.method = method
        if let token { request.headers.add(name: "Authorization", value: "Bearer \(token)") }
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let response = try await http.execute(request, timeout: .seconds(timeout))
        let buffer = try await response.body.collect(upTo: 4 << 20)
        return Reply(status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) }, body: String(buffer: buffer))
    }

    /// Item 3: ~700 half-open connections against a controller allowed 256 descriptors (512 hard)
    /// used to exhaust them and end the server and the controller with it. Now the soft limit is
    /// raised to the hard one, connections past the cap are refused, half-open ones are closed
    /// after the header timeout, the API answers and the controller lives; silent, trickling,
    /// stalled-body and idle kept-alive connections are each closed within their timeout.
    @Test func aConnectionFloodLeavesTheControllerAliveAndTheAPIAnswering() async throws {
        let arguments = ["--header-timeout", "2s", "--body-timeout", "2s", "--idle-timeout", "3s", "--max-event-streams", "2"]
        try await ServerProcess.with(fileLimit: (256, 512), arguments: { _ in arguments }) { p in
            let limits = p.fileLimits
            #expect(limits?.soft == 512 && limits?.hard == 512, "the soft file limit is raised to the hard one: \(String(describing: limits))")
            try await Self.withHTTP { http in try await Self.flood(p, http) }
        }
    }

    static func flood(_ p: ServerProcess, _ http: HTTPClient) async throws {
        do {
            var flood: [Int32] = []
            for _ in 0..<700 {
                if let fd = RawConnection.halfOpen(port: p.port, sending: "GET /api/v1/me HTTP/1.1\r\nHost: x\r\n") { flood.append(fd) }
            }
            let admin = H.tokens["admin"]!
            try await eventually("an authenticated request is answered during the flood", timeout: .seconds(90), every: .milliseconds(500)) {
                let reply = try await Self.send(http, p.url + "/api/v1/me", token: admin, timeout: 5)
                guard reply.status == 200 else { throw ServerProcessError("answered \(reply.status): \(reply.body.prefix(200))") }
                return true
            }
            #expect(p.process.isRunning, "the controller survived the flood")
            for fd in flood { close(fd) }
            flood = []
            try await eventually("the controller still reconciles", timeout: .seconds(30)) {
                try await Self.send(http, p.url + "/api/v1/applications/web", token: admin).body.contains(#""status":"Synced""#)
            }
            // The server lets go of the flood (each admitted connection at its header deadline or
            // when it reads the close): a new connection is served again, not refused. Until then
            // the checks below could pass on a refusal's close rather than on a deadline.
            try await eventually("the flood's connections are let go", timeout: .seconds(60), every: .milliseconds(500)) {
                let probe = try RawConnection(port: p.port)
                probe.send("GET /healthz HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
                return await probe.readUntilClosed(timeout: .seconds(5)).text.hasPrefix("HTTP/1.1 200")
            }

            // A connection that sends nothing is closed after the header timeout.
            let silent = try RawConnection(port: p.port)
            // One trickling its head (a line every half second) too: bytes do not extend the deadline.
            let trickle = try RawConnection(port: p.port)
            trickle.send("GET /healthz HTTP/1.1\r\nHost: x\r\n")
            var trickleClosed = false
            let start = ContinuousClock.now
            while !trickleClosed && ContinuousClock.now - start < .seconds(15) {
                trickle.send("X-Slow: 1\r\n")
                trickleClosed = await trickle.readUntilClosed(timeout: .milliseconds(500)).closed
            }
            #expect(trickleClosed, "a trickled head is cut off")
            #expect(await silent.readUntilClosed(timeout: .seconds(15)).closed, "a silent connection is closed")
            // One whose body stops short is closed after the body timeout.
            let stalled = try RawConnection(port: p.port)
            stalled.send("POST /hooks/github HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{")
            #expect(await stalled.readUntilClosed(timeout: .seconds(15)).closed, "a stalled body is cut off")
            // A kept-alive connection is served, then closed once idle.
            let kept = try RawConnection(port: p.port)
            kept.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let answer = await kept.read(until: { $0.contains(#"{"status":"ok"}"#) }, timeout: .seconds(10))
            #expect(answer.hasPrefix("HTTP/1.1 200"), "\(answer)")
            #expect(await kept.readUntilClosed(timeout: .seconds(15)).closed, "an idle kept-alive connection is closed")

            // Event streams are capped (2 here): the third is answered 503 at once.
            let streams = try (0..<2).map { _ in try RawConnection(port: p.port) }
            for stream in streams {
                stream.send("GET /api/v1/events HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer \(admin)\r\n\r\n")
                let head = await stream.read(until: { $0.contains("retry:") }, timeout: .seconds(10))
                #expect(head.hasPrefix("HTTP/1.1 200"), "\(head.prefix(200))")
            }
            let third = try await Self.send(http, p.url + "/api/v1/events", token: admin)
            #expect(third.status == 503 && third.header("Retry-After") != nil, "\(third.status) \(third.body)")
            #expect(p.process.isRunning)
        } catch {
            throw ServerProcessError("\(error)\n\(p.diagnostics)")
        }
    }

    /// Items 7, 8 and 12 through the binary: wrong tokens from one address do not lock out a
    /// valid one and are audited without the token; an operator cannot move an automated
    /// application to another revision; a token scoped elsewhere gets the 404 of a missing one.
    @Test func apiRulesThroughTheBinary() async throws {
        try await ServerProcess.with { p in
            try await Self.withHTTP { http in
                let admin = H.tokens["admin"]!, guess = "wrong-token-5a9e"
                try await eventually("web is listed", timeout: .seconds(60)) {
                    try await Self.send(http, p.url + "/api/v1/applications/web", token: admin).status == 200
                }
                var statuses: [Int] = []
                for _ in 0..<15 { statuses.append(try await Self.send(http, p.url + "/api/v1/me", token: guess).status) }
                #expect(statuses.prefix(10).allSatisfy { $0 == 401 } && statuses.last == 429, "\(statuses)")
                #expect(try await Self.send(http, p.url + "/api/v1/me", token: admin).status == 200, "a valid token is never refused")
                let failures = p.audit.split(separator: "\n").filter { $0.contains(#""action":"authenticate""#) }
                #expect(failures.count == 10 && !p.audit.contains(guess), "\(failures.count) failures audited")

                let json = ("Content-Type", "application/json")
                let override = Array(#"{"revision": "unreviewed"}"#.utf8)
                let refused = try await Self.send(
                    http, p.url + "/api/v1/applications/web/sync", method: .POST, token: H.tokens["operator"]!, headers: [json], body: override)
                #expect(refused.status == 403, "\(refused.body)")

                let hidden = try await Self.send(http, p.url + "/api/v1/applications/web/refresh", method: .POST, token: H.tokens["scoped"]!)
                let missing = try await Self.send(http, p.url + "/api/v1/applications/nope/refresh", method: .POST, token: H.tokens["scoped"]!)
                #expect(hidden.status == 404 && missing.status == 404)
                #expect(hidden.body.replacingOccurrences(of: "web", with: "nope") == missing.body)
            }
        }
    }

    /// Items 11 and 15 through the binary: per-provider secrets from a directory (GitLab's
    /// plain-text token does not sign as GitHub), only push events refresh, replies name no
    /// application; unauthenticated deliveries to made-up registry providers add no metric
    /// series and no audit line, and badly signed ones only a bounded number of lines.
    @Test func webhookSecretsPerProviderAndUnknownRegistryProviders() async throws {
        let github = "gh-signing-8d1f", gitlab = "gl-plain-token-2c7e"
        try await ServerProcess.with(arguments: { folder in
            try folder.write("hooks/github", github + "\n")
            try folder.write("hooks/gitlab", gitlab + "\n")
            try folder.write("hooks/..data/ignored", "x")
            try folder.write("registry-secret", "reg-s3cret\n")
            return ["--webhook-secret", folder.path + "/hooks", "--registry-webhook-secret", folder.path + "/registry-secret"]
        }) { p in
            try await Self.withHTTP { http in try await Self.webhooks(p, http, github: github, gitlab: gitlab) }
        }
    }

    static func webhooks(_ p: ServerProcess, _ http: HTTPClient, github: String, gitlab: String) async throws {
        do {
            let admin = H.tokens["admin"]!
            try await eventually("web is synced", timeout: .seconds(60)) {
                try await Self.send(http, p.url + "/api/v1/applications/web", token: admin).body.contains(#""status":"Synced""#)
            }
            let repository = "file://" + p.folder.path + "/repo"
            let push = Array(#"{"ref":"refs/heads/main","repository":{"clone_url":"\#(repository)"}}"#.utf8)
            func sign(_ body: [UInt8], _ key: String) -> String {
                "sha256="
                    + HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: Array(key.utf8))).map { String(format: "%02x", $0) }
                    .joined()
            }
            let hook = p.url + "/hooks/"
            let json = ("Content-Type", "application/json")
            // GitLab's token, which GitLab sends in plain text, does not sign as GitHub.
            let forged = try await Self.send(
                http, hook + "github", method: .POST, headers: [json, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", sign(push, gitlab))],
                body: push)
            #expect(forged.status == 401)
            // GitHub's signing secret is not GitLab's token either.
            let gitlabPush = Array(#"{"ref":"refs/heads/main","project":{"git_http_url":"\#(repository)"}}"#.utf8)
            let wrongToken = try await Self.send(
                http, hook + "gitlab", method: .POST, headers: [json, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", github)], body: gitlabPush)
            #expect(wrongToken.status == 401)
            // A signed event that is not a push refreshes nothing, whatever `ref` it carries.
            let create = try await Self.send(
                http, hook + "github", method: .POST, headers: [json, ("X-GitHub-Event", "create"), ("X-Hub-Signature-256", sign(push, github))],
                body: push)
            #expect(create.status == 202 && create.body.contains(#""refreshed":0"#), "\(create.body)")
            // A signed push refreshes, and the reply names no application.
            let accepted = try await Self.send(
                http, hook + "github", method: .POST, headers: [json, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", sign(push, github))],
                body: push)
            #expect(accepted.status == 202 && accepted.body.contains(#""refreshed":1"#), "\(accepted.body)")
            #expect(!accepted.body.contains("web"), "\(accepted.body)")
            let gitlabAccepted = try await Self.send(
                http, hook + "gitlab", method: .POST, headers: [json, ("X-Gitlab-Event", "Push Hook"), ("X-Gitlab-Token", gitlab)], body: gitlabPush)
            #expect(gitlabAccepted.status == 202 && !gitlabAccepted.body.contains("web"), "\(gitlabAccepted.body)")

            // Made-up registry providers: one series for all, no audit line.
            let auditBefore = p.audit.split(separator: "\n").count
            for index in 0..<200 {
                let reply = try await Self.send(http, hook + "registry/made-up-\(index)", method: .POST, headers: [json], body: Array("{}".utf8))
                #expect(reply.status == 404)
            }
            let metrics = try await Self.send(http, p.url + "/metrics", token: admin).body
            #expect(!metrics.contains("made"), "no series per made-up provider")
            #expect(
                metrics.contains(#"keelson_webhook_requests_total{outcome="refused",provider="registry-unknown"} 200"#), "\(metrics.prefix(2000))")
            #expect(p.audit.split(separator: "\n").count == auditBefore, "no audit line per made-up provider")
            // Badly signed deliveries are audited at the failed-authentication pace, not one line each.
            for _ in 0..<50 {
                let reply = try await Self.send(
                    http, hook + "github", method: .POST, headers: [json, ("X-GitHub-Event", "push"), ("X-Hub-Signature-256", sign(push, "guess"))],
                    body: push)
                #expect(reply.status == 401)
            }
            let refusedLines = p.audit.split(separator: "\n").count - auditBefore
            #expect(refusedLines > 0 && refusedLines <= 12, "\(refusedLines) audit lines for 50 refused deliveries")
        }
    }

    /// Item 13 through the binary: `--tls-cert/--tls-key` serve HTTPS only, and the dashboard's
    /// session cookie is then `Secure` and holds a session id, not the token.
    @Test func tlsServesHTTPSAndSecureSessionCookies() async throws {
        let certificates = try SandboxCertificates.generate(host: "127.0.0.1")
        try await ServerProcess.with(arguments: { folder in
            try folder.write("tls/cert.pem", certificates.serverCertificatePEM)
            try folder.write("tls/key.pem", certificates.serverKeyPEM)
            return ["--tls-cert", folder.path + "/tls/cert.pem", "--tls-key", folder.path + "/tls/key.pem"]
        }) { p in
            #expect(p.url.hasPrefix("https://"), "\(p.url)")
            var tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates([try NIOSSLCertificate(bytes: Array(certificates.caPEM.utf8), format: .pem)])
            var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
            configuration.redirectConfiguration = .disallow
            try await Self.withHTTP(configuration) { https in try await Self.secureSessions(p, https) }
        }
    }

    static func secureSessions(_ p: ServerProcess, _ https: HTTPClient) async throws {
        do {
            let admin = H.tokens["admin"]!
            #expect(try await Self.send(https, p.url + "/api/v1/me", token: admin).status == 200)
            let login = try await Self.send(
                https, p.url + "/login", method: .POST, headers: [("Content-Type", "application/x-www-form-urlencoded")],
                body: Array("token=\(admin)&next=%2F".utf8))
            let cookie = try #require(login.header("Set-Cookie"))
            #expect(login.status == 303)
            for attribute in ["Secure", "HttpOnly", "SameSite=Strict"] { #expect(cookie.contains(attribute), "\(cookie)") }
            #expect(!cookie.contains(admin), "the cookie holds a session id, not the token")
            let session = String(cookie.dropFirst("keelson_session=".count).prefix { $0 != ";" })
            #expect(
                try await Self.send(https, p.url + "/api/v1/me", headers: [("Cookie", "keelson_session=\(session)")]).body.contains(
                    #""name":"alice""#))

            // Plain HTTP on the same port gets no answer.
            let plain = try RawConnection(port: p.port)
            plain.send("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
            let reply = await plain.readUntilClosed(timeout: .seconds(15))
            #expect(!reply.text.contains("\"status\""), "no plain-text answer: \(reply.text.prefix(100))")
        }
    }
}
