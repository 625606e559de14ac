import Foundation
import Helm
import KeelsonTesting
import Testing

/// An HTTP Helm repository made by the real `helm package` and `helm repo index`, served on
/// 127.0.0.1 behind Basic auth, fetched by `ChartRepository` and compared with `helm pull`.
@Suite struct ChartRepositoryTests {
    static let versions = ["1.2.3", "1.2.9", "1.3.0", "2.0.0", "2.1.0-rc.1"]
    static let user = (user: "ci", password: "s3cret-pw")
    static let options = ChartSourceOptions(username: "ci", password: "s3cret-pw")

    /// Packages `demo` at every version into `stable/` and indexes it (relative URLs, or absolute under `url`).
    static func repository(_ fixtures: ChartSourceFixtures, url: String? = nil) async throws -> [String: String] {
        let archives = try await fixtures.package("demo", versions: versions, into: "stable")
        try await fixtures.helm(["repo", "index", fixtures.folder.path + "/stable"] + (url.map { ["--url", $0] } ?? []))
        return archives
    }

    /// Each range picks what `helm pull --version RANGE` picks, and the archive is the packaged file.
    @Test func rangePicksTheNewestMatchingVersionAsHelmDoes() async throws {
        let fixtures = try ChartSourceFixtures()
        defer { fixtures.folder.remove() }
        let archives = try await Self.repository(fixtures)
        let cases: [(range: String, expected: String)] = [
            ("1.2.x", "1.2.9"),  // a wildcard patch
            ("^1.0.0", "1.3.0"),  // a caret stays in major 1
            (">=1.0 <2", "1.3.0"),  // an AND of comparisons with short versions
            ("~1.2.3", "1.2.9"),  // a tilde stays in minor 1.2
            ("1.2.3", "1.2.3"),  // an exact version
            ("", "2.0.0"),  // no range: the newest release, never the pre-release
            (">=2.1.0-0", "2.1.0-rc.1"),  // a range naming a pre-release admits it
            ("2.1.0-rc.1", "2.1.0-rc.1"),  // an exact pre-release
            ("1.3.0 || 2.0.0", "2.0.0"),  // OR takes the highest alternative
        ]
        try await ChartRepositoryServer.with(root: fixtures.folder.path, credentials: Self.user) { server in
            try await ChartRepository.withRepository(url: server.base + "/stable", options: Self.options) { repository in
                for (range, expected) in cases {
                    let chart = try await repository.fetch("demo", version: range)
                    #expect(chart.version == expected, "range \(range)")
                    let file = try ChartSourceFixtures.bytes(archives[expected]!)
                    #expect(chart.archive == file && chart.digest == ChartSourceFixtures.digest(file) && !chart.cached, "range \(range)")
                    #expect(chart.location == "\(server.base)/stable/demo-\(expected).tgz")
                    let destination = fixtures.folder.path + "/pulled-\(cases.firstIndex { $0.range == range }!)"
                    try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
                    try await fixtures.helm(
                        ["pull", "demo", "--repo", server.base + "/stable", "--username", "ci", "--password", "s3cret-pw", "-d", destination]
                            + (range.isEmpty ? [] : ["--version", range]))
                    let pulled = try FileManager.default.contentsOfDirectory(atPath: destination)
                    #expect(pulled == ["demo-\(expected).tgz"], "helm pull --version \(range)")
                }
            }
        }
    }

    /// Absolute chart URLs in the index (`helm repo index --url`) are fetched as written.
    @Test func absoluteChartURLs() async throws {
        let fixtures = try ChartSourceFixtures()
        defer { fixtures.folder.remove() }
        try await ChartRepositoryServer.with(root: fixtures.folder.path) { server in
            let archives = try await Self.repository(fixtures, url: server.base + "/stable")
            let chart = try await ChartSources.fetch(repoURL: server.base + "/stable/", chart: "demo", version: "~1.2")
            let file = try ChartSourceFixtures.bytes(archives["1.2.9"]!)
            #expect(chart.version == "1.2.9" && chart.archive == file)
            #expect(server.served.map(\.path) == ["/stable/index.yaml", "/stable/demo-1.2.9.tgz"])
        }
    }

    /// A second fetch of the same version downloads no archive, and the index comes back 304 by ETag.
    @Test func cachedByDigest() async throws {
        let fixtures = try ChartSourceFixtures()
        defer { fixtures.folder.remove() }
        try await Self.repository(fixtures)
        let cache = ChartCache(directory: fixtures.folder.path + "/cache")
        try await ChartRepositoryServer.with(root: fixtures.folder.path, credentials: Self.user) { server in
            let first = try await ChartSources.fetch(
                repoURL: server.base + "/stable", chart: "demo", version: "^1", options: Self.options, cache: cache)
            let second = try await ChartSources.fetch(
                repoURL: server.base + "/stable", chart: "demo", version: "^1", options: Self.options, cache: cache)
            #expect(!first.cached && second.cached)
            #expect(second.archive == first.archive && second.digest == first.digest && second.version == "1.3.0")
            #expect(cache.archive(digest: first.digest) == first.archive)
            let served = server.served.filter { $0.status != 401 }
            #expect(served.filter { $0.path.hasSuffix(".tgz") }.count == 1, "one download: \(served)")
            #expect(served.filter { $0.path.hasSuffix("index.yaml") }.map(\.status) == [200, 304])
        }
    }

    /// An index without digests (hand-written ones have none): the archive is cached by its URL's last digest.
    @Test func indexWithoutDigestsCachesByURL() async throws {
        let fixtures = try ChartSourceFixtures()
        defer { fixtures.folder.remove() }
        try await Self.repository(fixtures)
        let index = fixtures.folder.path + "/stable/index.yaml"
        let text = try String(contentsOfFile: index, encoding: .utf8)
        try text.split(separator: "\n").filter { !$0.contains("digest:") }.joined(separator: "\n").write(
            toFile: index, atomically: true, encoding: .utf8)
        let cache = ChartCache(directory: fixtures.folder.path + "/cache")
        try await ChartRepositoryServer.with(root: fixtures.folder.path) { server in
            let first = try await ChartSources.fetch(repoURL: server.base + "/stable", chart: "demo", version: "1.2.9", cache: cache)
            let second = try await ChartSources.fetch(repoURL: server.base + "/stable", chart: "demo", version: "1.2.9", cache: cache)
            #expect(!first.cached && second.cached && second.archive == first.archive)
            #expect(server.served.filter { $0.path.hasSuffix(".tgz") }.count == 1)
        }
    }

    /// An archive whose sha256 differs from the index's digest is refused and not cached.
    @Test func digestMismatchRefused() async throws {
        let fixtures = try ChartSourceFixtures()
        defer { fixtures.folder.remove() }
        let archives = try await Self.repository(fixtures)
        // The 1.3.0 archive replaced after indexing: the index still names the original digest.
        try await fixtures.package("demo", versions: ["1.3.0"], into: "tampered")
        var tampered = try ChartSourceFixtures.bytes(fixtures.folder.path + "/tampered/demo-1.3.0.tgz")
        tampered.append(0)
        try Data(tampered).write(to: URL(fileURLWithPath: archives["1.3.0"]!))
        let cache = ChartCache(directory: fixtures.folder.path + "/cache")
        try await ChartRepositoryServer.with(root: fixtures.folder.path) { server in
            let error = await #expect(throws: ChartSourceError.self) {
                try await ChartSources.fetch(repoURL: server.base + "/stable", chart: "demo", version: "1.3.0", cache: cache)
            }
            #expect(error?.code == .digestMismatch)
            #expect(error?.message.contains(ChartSourceFixtures.digest(tampered)) == true)
            #expect(cache.archive(digest: ChartSourceFixtures.digest(tampered)) == nil)
        }
    }

    /// Failures say what failed: an unreachable repository, refused credentials, a chart or version not there.
    @Test func errorsNameTheFailure() async throws {
        let fixtures = try ChartSourceFixtures()
        defer { fixtures.folder.remove() }
        try await Self.repository(fixtures)
        let closed = try Ports.free()
        let unreachable = await #expect(throws: ChartSourceError.self) {
            try await ChartSources.fetch(repoURL: "http://127.0.0.1:\(closed)/stable", chart: "demo", version: "1.2.3")
        }
        #expect(unreachable?.code == .unreachable && unreachable?.source == "http://127.0.0.1:\(closed)/stable")
        try await ChartRepositoryServer.with(root: fixtures.folder.path, credentials: Self.user) { server in
            let url = server.base + "/stable"
            for options in [ChartSourceOptions(username: "ci", password: "wrong"), ChartSourceOptions()] {
                let refused = await #expect(throws: ChartSourceError.self) {
                    try await ChartSources.fetch(repoURL: url, chart: "demo", version: "", options: options)
                }
                #expect(refused?.code == .unauthorized)
                #expect(refused?.description.contains("wrong") == false, "no password in errors")
            }
            let missing = await #expect(throws: ChartSourceError.self) {
                try await ChartSources.fetch(repoURL: url, chart: "nope", version: "", options: Self.options)
            }
            #expect(missing?.code == .chartNotFound && missing?.message.contains("nope") == true)
            let none = await #expect(throws: ChartSourceError.self) {
                try await ChartSources.fetch(repoURL: url, chart: "demo", version: ">=3", options: Self.options)
            }
            #expect(none?.code == .noMatchingVersion)
            #expect(none?.message == "no version of chart demo matches >=3 (newest: 2.1.0-rc.1, 2.0.0, 1.3.0, 1.2.9, 1.2.3)")
            let invalid = await #expect(throws: ChartSourceError.self) {
                try await ChartSources.fetch(repoURL: url, chart: "demo", version: "one.two", options: Self.options)
            }
            #expect(invalid?.code == .invalidRange)
        }
    }
}
