import Foundation
import KeelsonTesting
import Testing

@testable import GitSource

/// URLs are printed without user information, query or fragment: signed URLs carry tokens there.
@Suite struct URLRedactionTests {
    @Test(arguments: [
        // user information goes, the query becomes a marker
        ("https://robot:pw@example.com/org/repo.git?sig=SECRET", "https://example.com/org/repo.git?<redacted>"),
        ("https://example.com/repo.git#SECRET", "https://example.com/repo.git#<redacted>"),
        ("https://example.com?sig=SECRET", "https://example.com?<redacted>"),
        ("git@example.com:org/repo.git", "git@example.com:org/repo.git"),  // an ssh user name is not a secret
        ("/srv/repo.git?sig=SECRET", "/srv/repo.git?<redacted>"),
        ("https://example.com/org/repo.git", "https://example.com/org/repo.git"),
    ])
    func redactsOneURL(_ input: String, _ expected: String) {
        #expect(URLRedaction.redact(input) == expected)
    }

    /// Every URL in a text is redacted up to white space or a quote; the rest stays.
    @Test func scrubsText() {
        let text = "fatal: unable to access 'https://u:pw@h.example/r.git/?sig=SECRET': 403\nretry https://h.example/x?token=SECRET now"
        #expect(
            URLRedaction.scrub(text) == "fatal: unable to access 'https://h.example/r.git/?<redacted>': 403\nretry https://h.example/x?<redacted> now"
        )
    }

    /// `GitURL.description`, parse errors and cache directory names carry neither a password nor a query.
    @Test func gitURLsPrintNoSecrets() throws {
        let url = try GitURL("https://robot:PASSWORD@example.com/org/repo.git?sig=SECRET")
        #expect(url.description == "https://example.com/org/repo.git?<redacted>")
        #expect(url.value.contains("sig=SECRET"), "git still gets the query")
        #expect(!GitCache.directoryName(for: url.cacheKey).contains("SECRET"))
        #expect { try GitURL("nonsense?sig=SECRET") } throws: { !"\($0)".contains("SECRET") }
    }

    /// A failing fetch of a URL with a password and a signed query: neither appears in the
    /// error, its cause (git's standard error), the logs, or any file or file name of the cache.
    @Test func failingFetchesShowNoSecrets() async throws {
        let server = try UnauthorizedHTTPServer()
        defer { server.stop() }
        let fixture = try CacheFixture(transports: [.http, .file])
        defer { fixture.folder.remove() }
        let remotes = [
            try GitRemote("http://robot:PASSWORD-7c1@127.0.0.1:\(server.port)/org/repo.git?sig=SECRET-9d2"),
            try GitRemote("file://\(fixture.folder.path)-missing/repo.git?sig=SECRET-9d2"),
        ]
        var texts: [String] = []
        for remote in remotes {
            for revision in [Revision.branch("main"), .commit(String(repeating: "a", count: 40))] {
                await #expect(throws: GitError.self) {
                    do { _ = try await fixture.cache.resolve(remote, revision) } catch {
                        texts.append("\(error) \(String(reflecting: error))")
                        throw error
                    }
                }
            }
            texts.append(remote.description)
        }
        #expect(texts.contains { $0.contains("127.0.0.1") && $0.contains("<redacted>") })
        for text in texts + fixture.logs.lines {
            #expect(!text.contains("PASSWORD-7c1") && !text.contains("SECRET-9d2"), "leaked: \(URLRedaction.redact(text))")
        }
        let names = FileManager.default.enumerator(atPath: fixture.folder.path)?.allObjects.compactMap { $0 as? String } ?? []
        #expect(!names.isEmpty && !names.contains { $0.contains("SECRET-9d2") })
        #expect(fixture.folder.scan(for: "SECRET-9d2").containing.isEmpty)
        #expect(fixture.folder.scan(for: "PASSWORD-7c1").containing.isEmpty)
    }
}
