import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import Render

/// Every fixture under `Fixtures/kustomize` is rendered by Keelson and by kustomize v5.8.1 (the
/// `kubectl kustomize` of kubectl 1.37.1, which scripts/test installs): both must give the same
/// objects in the same order, or both must fail.
/// Each fixture's `case.yaml` says which rule it pins (`rule:`) and, optionally, which
/// directory to build (`entry:`, default the fixture itself).
@Suite struct KustomizeTests {
    static let fixtures = Fixtures.directory() + "/kustomize"
    static let cases: [String] = ((try? FileManager.default.contentsOfDirectory(atPath: fixtures)) ?? [])
        .filter { FileManager.default.fileExists(atPath: fixtures + "/" + $0 + "/case.yaml") }
        .sorted()

    struct Case {
        var rule: String
        var entry: String
    }

    static func load(_ name: String) throws -> Case {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: fixtures + "/" + name + "/case.yaml"))
        let value = try #require(try YAMLDecoder().decode(Array(bytes), file: "case.yaml").first?.value)
        let rule = try #require(value["rule"]?.stringValue, "\(name)/case.yaml has no rule")
        return Case(rule: rule, entry: value["entry"]?.stringValue ?? ".")
    }

    @Test func suiteHasAtLeastEightyCases() {
        #expect(Self.cases.count >= 80, "\(Self.cases.count) fixtures")
    }

    @Test("Keelson renders each fixture as kustomize v5.8.1 does", arguments: cases)
    func matchesKustomize(_ name: String) async throws {
        let fixture = try Self.load(name)
        let directory = Self.fixtures + "/" + name
        let kustomize = try await ProcessRunner.run(try KustomizeReference.kubectl(), ["kustomize", directory + "/" + fixture.entry])
        let root = try SecureRoot(directory: directory)
        let ours = Result { () throws(RenderError) in try Kustomizer().render(root, path: fixture.entry) }
        switch ours {
        case .failure(let error):
            #expect(kustomize.status != 0, "\(name) (\(fixture.rule)): Keelson failed (\(error)) but kustomize rendered it")
        case .success(let result):
            try #require(
                kustomize.status == 0,
                "\(name) (\(fixture.rule)): kustomize failed but Keelson rendered it: \(kustomize.errorOutput.suffix(400))")
            // kustomize prints objects without apiVersion as it took them.
            let theirs = try Manifest.objects(from: YAMLDecoder().decode(kustomize.stdout, file: "kustomize-output"), requiringAPIVersion: false)
                .map(\.object)
            let mine = result.manifests.map(\.object)
            #expect(mine.count == theirs.count, "\(name): \(mine.count) objects, kustomize \(theirs.count)")
            for (index, (a, b)) in zip(mine, theirs).enumerated() where a != b {
                Issue.record(
                    """
                    \(name) (\(fixture.rule)): object \(index) differs
                    --- keelson
                    \(YAMLEncoder.encode(.object(a)))--- kustomize
                    \(YAMLEncoder.encode(.object(b)))
                    """)
                break
            }
        }
    }
}
