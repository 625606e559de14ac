import KeelsonTesting
import Testing

@testable import GitSource

@Suite struct GitURLTests {
    struct Case: Sendable, CustomTestStringConvertible {
        let input: String
        let transport: GitTransport
        let printed: String
        let key: String
        var testDescription: String { printed }
    }

    static let cases: [Case] = [
        // userinfo is never printed, and not part of the key
        Case(
            input: "https://user:s3cret@Example.COM/Org/Repo.git", transport: .https, printed: "https://Example.COM/Org/Repo.git",
            key: "https://example.com/Org/Repo"),
        // default port and trailing slash do not make a second mirror
        Case(
            input: "https://example.com:443/org/repo/", transport: .https, printed: "https://example.com:443/org/repo/",
            key: "https://example.com/org/repo"),
        Case(input: "http://example.com/r", transport: .http, printed: "http://example.com/r", key: "http://example.com/r"),
        // ssh user names stay for git but are not printed; they are part of the key (two users'
        // home-relative paths are two repositories)
        Case(
            input: "ssh://git@example.com:22/org/repo.git", transport: .ssh, printed: "ssh://example.com:22/org/repo.git",
            key: "ssh://git@example.com/org/repo"),
        // scp-like syntax is ssh and shares the ssh:// key
        Case(input: "git@example.com:org/repo.git", transport: .ssh, printed: "example.com:org/repo.git", key: "ssh://git@example.com/org/repo"),
        Case(input: "git://127.0.0.1:9418/repo", transport: .git, printed: "git://127.0.0.1:9418/repo", key: "git://127.0.0.1/repo"),
        Case(input: "file:///srv/git/repo.git", transport: .file, printed: "file:///srv/git/repo.git", key: "file:///srv/git/repo"),
        Case(input: "/srv/git/repo.git", transport: .file, printed: "/srv/git/repo.git", key: "file:///srv/git/repo"),
    ]

    @Test(arguments: cases)
    func parses(_ testCase: Case) throws {
        let url = try GitURL(testCase.input)
        #expect(url.transport == testCase.transport)
        #expect(url.description == testCase.printed)
        #expect(url.cacheKey == testCase.key)
        #expect(!url.value.contains("s3cret"))
    }

    /// Transport helpers, options and unknown schemes never reach git.
    @Test(arguments: [
        ("ext::sh -c touch% /tmp/pwned", GitError.Code.invalidRevision),  // spaces are refused first
        ("ext::sh", .protocolNotAllowed),
        ("fd::0", .protocolNotAllowed),
        ("ftp://example.com/r", .protocolNotAllowed),
        ("--upload-pack=touch /tmp/x", .invalidRevision),
        ("relative/path", .protocolNotAllowed),
        ("https://", .invalidRevision),
    ])
    func refuses(_ input: String, _ code: GitError.Code) {
        #expect { try GitURL(input) } throws: { ($0 as? GitError)?.code == code }
    }

    /// A password in the URL becomes basic credentials; explicit credentials win.
    @Test func passwordInURLBecomesCredentials() throws {
        let remote = try GitRemote("https://bot:tok3n@example.com/r.git")
        #expect(remote.credentials == .basic(username: "bot", password: "tok3n"))
        #expect(!remote.url.value.contains("tok3n"))
        let explicit = try GitRemote("https://bot:tok3n@example.com/r.git", credentials: .token("other"))
        #expect(explicit.credentials == .token("other"))
        #expect(!"\(explicit) \(explicit.credentials)".contains("other"))
    }

    /// Text git printed loses URL user information and credential values.
    @Test func scrubsText() throws {
        let remote = try GitRemote("https://example.com/r.git", credentials: .token("tok3n"))
        let text = "fatal: unable to access 'https://x:tok3n@example.com/r.git/': tok3n leaked"
        #expect(remote.scrub(text) == "fatal: unable to access 'https://example.com/r.git/': <redacted> leaked")
    }

    /// Cache directory names are stable, readable and distinct per key.
    @Test func directoryNames() {
        let a = GitCache.directoryName(for: "https://example.com/org/a")
        #expect(a == GitCache.directoryName(for: "https://example.com/org/a"))
        #expect(a != GitCache.directoryName(for: "https://example.com/org/b"))
        #expect(a.hasPrefix("example-com-org-a-"))
        #expect(!GitCache.directoryName(for: "file:///../../etc").contains("/"))
    }

    /// Every word of GIT_SSH_COMMAND survives the shell git hands it to, however odd the path.
    @Test(arguments: ["/tmp/plain", "/tmp/it's here", "/tmp/$(touch x)", "/tmp/a b\"c`d"])
    func sshCommandQuoting(_ path: String) async throws {
        let command = SSHCommand.build(key: path, knownHosts: path + ".hosts", strict: true)
        let printed = try await ProcessRunner.run("/bin/sh", ["-c", "printf '%s\\n' " + command.dropFirst("'ssh'".count)])
        let words = printed.output.split(separator: "\n").map(String.init)
        #expect(words.contains(path))
        #expect(words.contains("UserKnownHostsFile=\(path).hosts"))
        #expect(words.contains("StrictHostKeyChecking=yes"))
    }
}
