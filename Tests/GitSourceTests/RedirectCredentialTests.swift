import Foundation
import KeelsonTesting
import Testing

@testable import GitSource

/// The askpass helper answers only for the remote's own scheme, host and port: a server that
/// redirects git elsewhere never gets the credentials sent there.
@Suite struct RedirectCredentialTests {
    enum Redirect: String, CaseIterable, Sendable {
        /// The remote answers 301 at once; the target then asks for credentials.
        case immediate
        /// The remote asks for credentials first (and gets them), then answers 301.
        case afterAuthentication
    }

    @Test(arguments: Redirect.allCases)
    func credentialsAreNeverSentToARedirectTarget(_ redirect: Redirect) async throws {
        let password = "pw-\(UUID().uuidString)"
        let folder = try TemporaryDirectory(prefix: "keelson-redirect")
        defer { folder.remove() }
        let target = try await ScriptedHTTPServer("record", in: folder)
        defer { target.stop() }
        let targetURL = "http://127.0.0.1:\(target.port)"
        let origin = try await ScriptedHTTPServer(
            "redirect", redirect == .immediate ? [targetURL] : [targetURL, "deploy", password], in: folder)
        defer { origin.stop() }
        let fixture = try CacheFixture(transports: [.http])
        defer { fixture.folder.remove() }
        let remote = try GitRemote("http://127.0.0.1:\(origin.port)/org/repo.git", credentials: .basic(username: "deploy", password: password))

        await #expect { try await fixture.cache.resolve(remote, .branch("main")) } throws: { ($0 as? GitError)?.code == .authentication }

        #expect(!target.authorizations.isEmpty, "git followed the redirect")
        let leaked = target.authorizations.filter { $0 != "none" }
        #expect(leaked.isEmpty, "the redirect target received \(leaked.count) Authorization headers")
        if redirect == .afterAuthentication {
            #expect(origin.authorizations.contains(ScriptedHTTPServer.basic("deploy", password)), "the remote itself got the credentials")
        }
    }

    /// The audit's attack, black-box: the real `keelson promote` with a token, against a remote
    /// that answers 301 to another host. The target never sees the token, and neither does stderr.
    @Test func theRealBinaryNeverSendsItsTokenToARedirectTarget() async throws {
        let token = "tok-\(UUID().uuidString)"
        let folder = try TemporaryDirectory(prefix: "keelson-redirect")
        defer { folder.remove() }
        let target = try await ScriptedHTTPServer("record", in: folder)
        defer { target.stop() }
        let origin = try await ScriptedHTTPServer("redirect", ["http://127.0.0.1:\(target.port)"], in: folder)
        defer { origin.stop() }
        let run = try await ProcessRunner.run(
            Fixtures.keelsonExecutable(),
            [
                "promote", "--repo", "http://127.0.0.1:\(origin.port)/org/repo.git", "--path", "apps", "--image", "app=example.com/app:2",
                "--allow-http",
            ],
            environment: ProcessInfo.processInfo.environment.merging(["KEELSON_GIT_TOKEN": token]) { $1 })
        #expect(run.status != 0, "nothing to promote from a server that only redirects")
        #expect(!target.authorizations.isEmpty, "git followed the redirect")
        #expect(target.authorizations.allSatisfy { $0 == "none" }, "the redirect target received the token")
        #expect(!run.errorOutput.contains(token) && !run.output.contains(token))
    }

    /// The helper's own rule, case by case: git's prompt names the URL it wants credentials for.
    @Test(arguments: [
        // The remote's own origin, however git spells it, is answered.
        ("Password for 'https://deploy@git.example.com': ", "https://git.example.com", true),
        ("Username for 'https://GIT.example.com:443': ", "https://git.example.com", true),
        ("Username for 'http://127.0.0.1:8080': ", "http://127.0.0.1:8080", true),
        // Another host, another port, or a downgrade to http gets nothing.
        ("Username for 'https://evil.example.com': ", "https://git.example.com", false),
        ("Password for 'https://deploy@git.example.com:8443': ", "https://git.example.com", false),
        ("Password for 'http://deploy@git.example.com': ", "https://git.example.com", false),
        ("Password for 'https://git.example.com@evil.example.com': ", "https://git.example.com", false),
        // No remote origin (no credentials), or a prompt without a URL, gets nothing.
        ("Password for 'https://git.example.com': ", "", false),
        ("Password: ", "https://git.example.com", false),
    ])
    func askpassAnswersOnlyTheRemotesOrigin(_ prompt: String, _ origin: String, _ answered: Bool) async throws {
        let runner = try GitRunner()
        let result = try await ProcessRunner.run(
            runner.home + "/askpass", [prompt],
            environment: ["PATH": "/usr/bin:/bin", "KEELSON_GIT_ORIGIN": origin, "KEELSON_GIT_USERNAME": "deploy", "KEELSON_GIT_PASSWORD": "pw"])
        #expect((result.status == 0) == answered, "\(prompt)")
        if answered { #expect(["deploy", "pw"].contains(result.output.trimmingCharacters(in: .newlines))) }
    }
}
