import Foundation
import KeelsonTesting
import Testing

@testable import Manifests

/// Every file of the YAML edge-case corpus is read by Keelson and by `kubectl kustomize`
/// (kustomize v5), and the two must agree: the same objects, or both refusing the file.
@Suite struct YAMLCorpusTests {
    static let corpus = Fixtures.directory() + "/yaml-corpus"
    static let files = Fixtures.files(in: corpus, withExtension: "yaml")

    /// Cases where Keelson deliberately differs from kustomize, and why.
    static let divergences: [String: String] = [
        // kustomize expands aliases with no limit: this file took 24 GiB before it was killed.
        "17-billion-laughs-fails.yaml": "kustomize has no alias-expansion limit",
        // kustomize re-emits folded scalars through go-yaml, which adds a line break before a
        // more-indented line; the YAML spec (and libyaml) keep one.
        "23-folded-blocks.yaml": "kustomize's go-yaml round trip changes folded scalars",
    ]

    @Test func corpusHasAtLeastFortyCases() {
        #expect(Self.files.count >= 40)
    }

    @Test(
        "Keelson reads each corpus file as kubectl kustomize does",
        .enabled(if: ProcessRunner.isAvailable("kubectl"), "kubectl is not installed; scripts/test installs it"),
        arguments: files.filter { divergences[$0] == nil })
    func matchesKustomize(_ name: String) async throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/" + name))
        let ours = Result { try Manifest.decode(bytes, file: name) }

        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("r.yaml", bytes)
        try dir.write("kustomization.yaml", "resources: [r.yaml]\n")
        let kustomize = try await ProcessRunner.run("kubectl", ["kustomize", dir.path])

        switch ours {
        case .failure(let error):
            #expect(kustomize.status != 0, "Keelson refused \(name) (\(error)) but kustomize read it")
        case .success(let objects):
            try #require(kustomize.status == 0, "kustomize refused \(name): \(kustomize.errorOutput.suffix(300))")
            let theirs = try Manifest.decode(kustomize.stdout, file: "kustomize-output")
            #expect(Self.byKey(objects) == Self.byKey(theirs), "\(name) reads differently")
            #expect(objects.count == theirs.count)
        }
    }

    @Test func billionLaughsFailsFast() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/17-billion-laughs-fails.yaml"))
        let started = ContinuousClock.now
        #expect(throws: ManifestError.self) { try Manifest.decode(bytes, file: "laughs.yaml") }
        #expect(ContinuousClock.now - started < .seconds(5))
        do {
            _ = try Manifest.decode(bytes, file: "laughs.yaml")
        } catch {
            #expect(error.code == .aliasExpansion)
            #expect(error.location.file == "laughs.yaml" && error.location.line > 0)
        }
    }

    @Test func foldedScalarsFollowTheSpec() throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/23-folded-blocks.yaml"))
        let values = try #require(try Manifest.decode(bytes, file: "f.yaml").first?.object["values"])
        #expect(values["a"] == "folded text\npara\n")
        #expect(values["b"] == "no newline at end")
        #expect(values["c"] == "keep\n  more indented\nback\n")
    }

    @Test(
        "Every corpus file that parses survives Keelson's YAML writer, read back by Keelson and by kustomize",
        .enabled(if: ProcessRunner.isAvailable("kubectl"), "kubectl is not installed; scripts/test installs it"),
        arguments: files.filter { divergences[$0] == nil })
    func writerRoundTrips(_ name: String) async throws {
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.corpus + "/" + name))
        guard let objects = try? Manifest.decode(bytes, file: name) else { return }
        let written = YAMLEncoder.encodeDocuments(objects.map(\.value))
        let reread = try Manifest.decode(Array(written.utf8), file: "written.yaml")
        #expect(Self.byKey(reread) == Self.byKey(objects))

        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("r.yaml", written)
        try dir.write("kustomization.yaml", "resources: [r.yaml]\n")
        let kustomize = try await ProcessRunner.run("kubectl", ["kustomize", dir.path])
        try #require(kustomize.status == 0, "kustomize refused Keelson's output for \(name): \(kustomize.errorOutput.suffix(300))")
        #expect(Self.byKey(try Manifest.decode(kustomize.stdout, file: "kustomize-output")) == Self.byKey(objects))
    }

    static func byKey(_ objects: [Manifest]) -> [ResourceKey: JSONObject] {
        Dictionary(objects.map { ($0.key, $0.object) }, uniquingKeysWith: { first, _ in first })
    }
}
