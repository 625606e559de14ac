import Foundation
import Helm
import KeelsonTesting
import Registry
import Testing

/// Charts pushed by the real `helm push` to a real `docker-registry` on 127.0.0.1, fetched by
/// `OCIChartSource` and compared with `helm pull oci://...`.
@Suite(.enabled(if: LocalRegistry.missing == nil, "\(LocalRegistry.missing ?? "")"))
struct OCIChartSourceTests {
    static let versions = ["1.2.3", "1.3.0", "1.4.0+build.1", "2.0.0", "2.1.0-rc.1"]
    static let options = ChartSourceOptions(username: "robot", password: "tok3n-pw", plainHTTP: true)

    /// Pushes every version of `demo` to `host/charts` with helm; returns the archive paths.
    static func push(_ fixtures: ChartSourceFixtures, host: String, login: [String] = []) async throws -> [String: String] {
        let archives = try await fixtures.package("demo", versions: versions, into: "out")
        for version in versions {
            try await fixtures.helm(["push", archives[version]!, "oci://\(host)/charts", "--plain-http"] + login)
        }
        return archives
    }

    /// Tags are chosen by an exact version or a range as `helm pull` chooses them (`+` is `_` in
    /// tags); the archive is the pushed file, checked by digest, and cached by it.
    @Test func rangePicksTheNewestMatchingTagAsHelmDoes() async throws {
        let fixtures = try ChartSourceFixtures()
        defer { fixtures.folder.remove() }
        let htpasswd = try await LocalRegistry.htpasswd(user: "robot", password: "tok3n-pw")
        try await LocalRegistry.with(.htpasswd(htpasswd)) { registry in
            let login = ["--username", "robot", "--password", "tok3n-pw"]
            let archives = try await Self.push(fixtures, host: registry.host, login: login)
            let reference = "oci://\(registry.host)/charts/demo"
            let cases: [(range: String, expected: String)] = [
                ("^1.0.0", "1.4.0+build.1"),  // build metadata rides in the tag as `_`
                ("1.3.0", "1.3.0"),  // an exact version
                ("1.2.x", "1.2.3"),  // a wildcard
                ("", "2.0.0"),  // no range: the newest release
                (">=2.1.0-0", "2.1.0-rc.1"),  // a range naming a pre-release admits it
            ]
            let cache = ChartCache(directory: fixtures.folder.path + "/cache")
            try await OCIChartSource.withSource(options: Self.options, cache: cache) { source in
                for (index, (range, expected)) in cases.enumerated() {
                    let chart = try await source.fetch(reference, version: range)
                    let file = try ChartSourceFixtures.bytes(archives[expected]!)
                    #expect(chart.version == expected && chart.name == "demo", "range \(range)")
                    #expect(chart.archive == file && chart.digest == ChartSourceFixtures.digest(file) && !chart.cached, "range \(range)")
                    let destination = fixtures.folder.path + "/pulled-\(index)"
                    try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true)
                    try await fixtures.helm(
                        ["pull", reference, "--plain-http", "-d", destination] + login + (range.isEmpty ? [] : ["--version", range]))
                    let pulled = try FileManager.default.contentsOfDirectory(atPath: destination)
                    #expect(pulled == ["demo-\(expected).tgz"], "helm pull --version \(range)")
                }
                let again = try await source.fetch(reference, version: "1.3.0")
                #expect(again.cached && again.version == "1.3.0")
                let tagged = try await source.fetch(reference + ":1.4.0_build.1", version: "")
                #expect(tagged.version == "1.4.0+build.1" && tagged.cached)
            }
            for options in [ChartSourceOptions(username: "robot", password: "wrong", plainHTTP: true), ChartSourceOptions(plainHTTP: true)] {
                let refused = await #expect(throws: ChartSourceError.self) {
                    try await ChartSources.fetch(repoURL: "oci://\(registry.host)/charts", chart: "demo", version: "1.3.0", options: options)
                }
                #expect(refused?.code == .unauthorized)
            }
            let none = await #expect(throws: ChartSourceError.self) {
                try await ChartSources.fetch(repoURL: "oci://\(registry.host)/charts", chart: "demo", version: "^3", options: Self.options)
            }
            #expect(none?.code == .noMatchingVersion && none?.message.contains("newest: 2.1.0-rc.1, 2.0.0") == true)
        }
    }

    /// An image that is not a Helm chart is refused by its config media type.
    @Test func anImageIsNotAChart() async throws {
        try await LocalRegistry.with { registry in
            let image = try ImageReference.parse("\(registry.host)/charts/app:1.0.0")
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: { _ in .anonymous }) { client in
                let config = Array(#"{"architecture":"amd64","os":"linux"}"#.utf8)
                let layer = Array("not a chart".utf8)
                try await client.pushBlob(config, digest: ChartSourceFixtures.digest(config), to: image)
                try await client.pushBlob(layer, digest: ChartSourceFixtures.digest(layer), to: image)
                let manifest = """
                    {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
                    "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(ChartSourceFixtures.digest(config))","size":\(config.count)},\
                    "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\(ChartSourceFixtures.digest(layer))","size":\(layer.count)}]}
                    """
                try await client.pushManifest(Array(manifest.utf8), mediaType: "application/vnd.oci.image.manifest.v1+json", to: image)
            }
            let error = await #expect(throws: ChartSourceError.self) {
                try await ChartSources.fetch(
                    repoURL: "oci://\(registry.host)/charts", chart: "app", version: "1.0.0", options: ChartSourceOptions(plainHTTP: true))
            }
            #expect(error?.code == .notAChart && error?.message.contains("application/vnd.oci.image.config.v1+json") == true)
        }
    }
}
