import Crypto
import Foundation
import GitSource
import Testing

@testable import Server

@Suite struct WebhookVerifierTests {
    static let secret = Array("s3cret-webhook".utf8)
    static let gitlabToken = Array("gitlab-plain-token".utf8)
    let verifier = WebhookVerifier(secrets: try! WebhookSecrets(keys: ["secret": secret, "gitlab": gitlabToken]))

    static func sign(_ body: [UInt8]) -> String {
        HMAC<SHA256>.authenticationCode(for: body, using: SymmetricKey(data: secret)).map { String(format: "%02x", $0) }.joined()
    }

    static let githubPush = Array(
        #"{"ref":"refs/heads/main","repository":{"clone_url":"https://github.com/Team/App.git","ssh_url":"git@github.com:Team/App.git"}}"#.utf8)

    @Test func githubPushIsAcceptedWithTheRightSignature() throws {
        let push = try verifier.verify(
            .github, headers: ["x-hub-signature-256": "sha256=" + Self.sign(Self.githubPush), "X-GitHub-Event": "push"], body: Self.githubPush)
        #expect(push.branch == "main")
        #expect(push.repositories.contains("github.com/Team/App"))
    }

    @Test(arguments: [
        // wrong signature, missing signature, signature of another body, non-hex
        ["X-Hub-Signature-256": "sha256=" + String(repeating: "0", count: 64)],
        [:],
        ["X-Hub-Signature-256": "sha256=" + sign(Array("{}".utf8))],
        ["X-Hub-Signature-256": "sha256=zz"],
    ])
    func badSignaturesAreRefused(_ headers: [String: String]) {
        #expect(throws: WebhookError.self) { try verifier.verify(.github, headers: headers, body: Self.githubPush) }
        do { _ = try verifier.verify(.github, headers: headers, body: Self.githubPush) } catch { #expect(error.httpStatus == 401) }
    }

    @Test func oversizedBodiesAreRefusedBeforeVerification() {
        let body = [UInt8](repeating: UInt8(ascii: "a"), count: WebhookVerifier.maximumBodyBytes + 1)
        do {
            _ = try verifier.verify(.github, headers: ["X-Hub-Signature-256": "sha256=" + Self.sign(body)], body: body)
            Issue.record("accepted an oversized body")
        } catch { #expect(error.httpStatus == 413) }
    }

    @Test func malformedJSONWithAGoodSignatureIs400() {
        let body = Array("{not json".utf8)
        do {
            _ = try verifier.verify(.generic, headers: ["X-Keelson-Signature": Self.sign(body)], body: body)
            Issue.record("accepted malformed JSON")
        } catch { #expect(error.httpStatus == 400) }
    }

    @Test func gitlabUsesItsToken() throws {
        let body = Array(#"{"ref":"refs/heads/dev","project":{"git_http_url":"https://gitlab.example.com/g/p.git"}}"#.utf8)
        #expect(
            try verifier.verify(.gitlab, headers: ["X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "gitlab-plain-token"], body: body).branch == "dev"
        )
        #expect(throws: WebhookError.self) { try verifier.verify(.gitlab, headers: ["X-Gitlab-Token": "guess"], body: body) }
        // The signing secret is not GitLab's token.
        #expect(throws: WebhookError.self) {
            try verifier.verify(.gitlab, headers: ["X-Gitlab-Event": "Push Hook", "X-Gitlab-Token": "s3cret-webhook"], body: body)
        }
    }

    @Test func tagPushesAreTagsNotBranches() throws {
        let body = Array(#"{"ref":"refs/tags/v1","repository":{"clone_url":"https://github.com/a/b"}}"#.utf8)
        let push = try verifier.verify(.github, headers: ["X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=" + Self.sign(body)], body: body)
        #expect(push.tag == "v1")
        #expect(push.branch == nil)
    }

    @Test func otherRefsAreIgnored() {
        let body = Array(#"{"ref":"refs/notes/commits","repository":{"clone_url":"https://github.com/a/b"}}"#.utf8)
        do {
            _ = try verifier.verify(.github, headers: ["X-GitHub-Event": "push", "X-Hub-Signature-256": "sha256=" + Self.sign(body)], body: body)
            Issue.record("a notes push was taken for a branch push")
        } catch { #expect(error.httpStatus == 202) }
    }

    /// Signed events that are not pushes refresh nothing, whatever `ref` they carry.
    @Test(arguments: [
        (WebhookProvider.github, "X-GitHub-Event", "create"), (.github, "X-GitHub-Event", "pull_request"), (.gitea, "X-Gitea-Event", "create"),
        (.bitbucket, "X-Event-Key", "pullrequest:created"), (.generic, "X-Keelson-Event", "release"), (.github, "X-Other", "push"),
    ])
    func onlyPushEventsRefresh(provider: WebhookProvider, header: String, event: String) {
        let body = Array(
            #"{"ref":"refs/heads/main","repository":{"clone_url":"https://github.com/a/b","links":{"html":{"href":"https://bitbucket.org/a/b"}}},"push":{"changes":[{"new":{"type":"branch","name":"main"}}]}}"#
                .utf8)
        let signature = Self.sign(body)
        let headers = [
            header: event, "X-Hub-Signature-256": "sha256=" + signature, "X-Hub-Signature": "sha256=" + signature, "X-Keelson-Signature": signature,
        ]
        do {
            _ = try verifier.verify(provider, headers: headers, body: body)
            Issue.record("\(provider) \(event) refreshed")
        } catch { #expect(error.code == .ignored, "\(error)") }
    }

    @Test(arguments: [
        ("https://github.com/Team/App.git", "github.com/Team/App"),
        ("git@GitHub.com:Team/App.git", "github.com/Team/App"),
        ("ssh://git@github.com:22/Team/App", "github.com/Team/App"),
        ("https://user:token@GITHUB.com:443/Team/App/", "github.com/Team/App"),
        ("file:///srv/git/app.git", "/srv/git/app"),
    ])
    func repositoryURLsNormalise(_ url: String, _ normal: String) {
        #expect(RepositoryURL.normalize(url) == normal)
    }

    @Test func tokensAuthenticateByHashWithRolesAndScopes() throws {
        let hash = SHA256.hash(data: Data("token-abc".utf8)).map { String(format: "%02x", $0) }.joined()
        let file = "- {name: ci, role: operator, sha256: \(hash), applications: [\"web-*\"]}\n"
        let store = try TokenStore(file: "tokens.yaml", bytes: Array(file.utf8))
        let ci = try #require(store.authenticate("token-abc"))
        #expect(ci.role == .operator && ci.role >= .viewer && ci.role < .admin)
        #expect(ci.canAccess(namespace: "keelson", name: "web-frontend", project: "default"))
        #expect(!ci.canAccess(namespace: "keelson", name: "billing", project: "default"))
        #expect(store.authenticate("token-abd") == nil)
        #expect(throws: TokenFileError.self) { try TokenStore(file: "t", bytes: Array("- {name: x, role: root, sha256: \(hash)}".utf8)) }
    }
}
