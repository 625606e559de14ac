import Foundation
import KeelsonTesting
import Kube
import Render
import Testing

@testable import Server

/// Token scopes, sessions and per-provider webhook secrets, without a server.
@Suite struct AuthScopeTests {
    /// A bare glob means the controller's namespace; `namespace/name` globs reach others.
    @Test(arguments: [
        ("web-*", "keelson", "web-1", true), ("web-*", "tenant", "web-1", false), ("tenant/*", "tenant", "web-1", true),
        ("tenant/*", "keelson", "web-1", false), ("team-*/api", "team-b", "api", true), ("*/*", "any", "thing", true),
    ])
    func applicationGlobs(pattern: String, namespace: String, name: String, matches: Bool) throws {
        let glob = try #require(ApplicationGlob(pattern))
        #expect(glob.matches(namespace: namespace, name: name) == matches)
    }

    /// With `--namespace platform`, a bare glob means `platform`, not `keelson`.
    @Test func aBareGlobFollowsTheControllersNamespace() throws {
        let glob = try #require(ApplicationGlob("web-*", controllerNamespace: "platform"))
        #expect(glob.matches(namespace: "platform", name: "web-1"))
        #expect(!glob.matches(namespace: "keelson", name: "web-1"))
    }

    /// Malformed globs are refused when the tokens file is read.
    @Test(arguments: ["a/b/c", "/web", "web/", "../x"])
    func malformedGlobs(pattern: String) {
        #expect(ApplicationGlob(pattern) == nil)
    }

    /// Projects narrow a token further: both the application and the project must match.
    @Test func projectsAndApplicationsBothApply() throws {
        let file = """
            - {name: a, role: operator, sha256: \(String(repeating: "ab", count: 32)), applications: ["team/*"], projects: ["team-a"]}
            """
        let store = try TokenStore(file: "tokens.yaml", bytes: Array(file.utf8))
        let principal = try #require(store.entries.first?.principal)
        #expect(principal.canAccess(namespace: "team", name: "api", project: "team-a"))
        #expect(!principal.canAccess(namespace: "team", name: "api", project: "default"))
        #expect(!principal.canAccess(namespace: "keelson", name: "api", project: "team-a"))
        #expect(throws: TokenFileError.self) {
            try TokenStore(
                file: "t", bytes: Array("- {name: b, role: viewer, sha256: \(String(repeating: "ab", count: 32)), projects: [\"a/b\"]}".utf8))
        }
    }

    /// Sessions end when idle, at their lifetime, and when ended; the store never holds the id itself.
    @Test func sessionsExpire() {
        let clock = ManualClock()
        let sessions = SessionStore(idleTimeout: .seconds(60), lifetime: .seconds(300), clock: clock)
        let alice = Principal(name: "alice", role: .viewer)
        let id = sessions.start(alice)
        #expect(id.count == 64 && sessions.principal(id) == alice)
        clock.advance(by: .seconds(59))
        #expect(sessions.principal(id) == alice, "use keeps it alive")
        clock.advance(by: .seconds(60))
        #expect(sessions.principal(id) == nil, "idle for the idle timeout")
        let busy = sessions.start(alice)
        for _ in 0..<5 {
            clock.advance(by: .seconds(59))
            #expect(sessions.principal(busy) == alice)
        }
        clock.advance(by: .seconds(6))
        #expect(sessions.principal(busy) == nil, "past the lifetime")
        let ended = sessions.start(alice)
        sessions.end(ended)
        #expect(sessions.principal(ended) == nil)
        #expect(sessions.start(alice) != sessions.start(alice))
    }

    /// A single secret serves only the HMAC providers: it is not GitLab's token.
    @Test func aSingleSecretIsNotGitLabsToken() throws {
        let verifier = WebhookVerifier(secrets: WebhookSecrets(hmac: Array("one-secret".utf8)))
        let body = Array(#"{"ref":"refs/heads/main","project":{"git_http_url":"https://gitlab.example/g/p.git"}}"#.utf8)
        do {
            _ = try verifier.verify(.gitlab, headers: ["X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "one-secret"], body: body)
            Issue.record("GitLab accepted the signing secret as its token")
        } catch { #expect(error.code == .unauthenticated) }
    }

    /// Per-provider keys: unknown keys, no provider, and a GitLab token equal to a signing key are refused.
    @Test func perProviderKeys() throws {
        let split = try WebhookSecrets(keys: ["secret": Array("sign".utf8), "gitlab": Array("plain".utf8), "github": Array("gh".utf8)])
        #expect(split[.github] == Array("gh".utf8) && split[.gitea] == Array("sign".utf8) && split[.gitlab] == Array("plain".utf8))
        #expect(throws: WebhookSecretsError.self) { try WebhookSecrets(keys: ["gitlab": Array("same".utf8), "secret": Array("same".utf8)]) }
        #expect(throws: WebhookSecretsError.self) { try WebhookSecrets(keys: ["githbu": Array("x".utf8)]) }
        #expect(throws: WebhookSecretsError.self) { try WebhookSecrets(keys: [:]) }
    }
}
