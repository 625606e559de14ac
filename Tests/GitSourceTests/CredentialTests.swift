import Foundation
import KeelsonTesting
import Testing

@testable import GitSource

@Suite struct CredentialTests {
    static let canary = "CANARY-7f3a9c1e-do-not-print"

    /// Credentials reach the server through the askpass helper, a refusal is
    /// `.authentication`, and the canary appears in no error, cause, description or log line.
    @Test func credentialsAreSentButNeverPrinted() async throws {
        let server = try UnauthorizedHTTPServer()
        defer { server.stop() }
        // Long enough for `git init` under a loaded machine; the stalled fetch below still times out.
        let fixture = try CacheFixture(transports: [.http, .git], timeout: .seconds(20))
        defer { fixture.folder.remove() }
        let stall = try StallingServer()
        defer { stall.close() }
        let base = "http://127.0.0.1:\(server.port)/org/repo.git"
        let remotes = [
            try GitRemote(base, credentials: .token(Self.canary)),
            try GitRemote(base, credentials: .basic(username: "robot", password: Self.canary)),
            try GitRemote("http://robot:\(Self.canary)@127.0.0.1:\(server.port)/org/repo.git"),
        ]
        var texts: [String] = []
        for remote in remotes {
            texts.append("\(remote) \(remote.credentials) \(remote.url)")
            await #expect {
                try await fixture.cache.resolve(remote, .branch("main"))
            } throws: { error in
                texts.append("\(error) \(String(reflecting: error))")
                return (error as? GitError)?.code == .authentication
            }
            let push = PushRequest(branch: "main", author: GitSignature(name: "a", email: "a@b"), message: "m")
            await #expect(throws: GitError.self) {
                do { _ = try await fixture.cache.commitAndPush(remote, push) { _ in [] } } catch {
                    texts.append("\(error) \(String(reflecting: error))")
                    throw error
                }
            }
        }
        // A timeout while credentials are configured says nothing about them either.
        let slow = try GitRemote("git://127.0.0.1:\(stall.port)/r.git", credentials: .token(Self.canary))
        await #expect {
            try await fixture.cache.resolve(slow, .branch("main"))
        } throws: { error in
            texts.append("\(error)")
            return (error as? GitError)?.code == .timeout
        }
        let expected = Data("x-access-token:\(Self.canary)".utf8).base64EncodedString()
        #expect(server.requests.contains { $0.contains("Authorization: Basic \(expected)") }, "the token never reached the server")
        let robot = Data("robot:\(Self.canary)".utf8).base64EncodedString()
        #expect(server.requests.contains { $0.contains("Authorization: Basic \(robot)") })
        let everything = texts + fixture.logs.lines
        #expect(everything.count > 6)
        #expect(fixture.logs.lines.contains { $0.contains("127.0.0.1") }, "debug logs name the repository")
        for text in everything {
            #expect(!text.contains(Self.canary), "credential leaked: \(text)")
        }
        // No credential file is left behind in the runner's private home.
        let leftovers = try FileManager.default.subpathsOfDirectory(atPath: fixture.runner.inner.home)
        #expect(leftovers.allSatisfy { !$0.hasPrefix("secrets-") }, "\(leftovers)")
    }

    /// Credential files are read and trimmed; a missing file is an `.authentication` error that names the file only.
    @Test func readsCredentialFiles() throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let user = try folder.write("username", "robot\n")
        let password = try folder.write("password", Self.canary + "\n")
        #expect(try GitCredentials.basic(usernameFile: user, passwordFile: password) == .basic(username: "robot", password: Self.canary))
        #expect(try GitCredentials.token(file: password) == .token(Self.canary))
        #expect { try GitCredentials.token(file: folder.path + "/missing") } throws: { ($0 as? GitError)?.code == .authentication }
    }
}
