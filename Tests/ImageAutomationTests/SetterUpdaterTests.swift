import Foundation
import ImageAutomation
import KeelsonTesting
import Testing

struct SetterUpdaterTests {
    static let digest = "sha256:" + String(repeating: "a", count: 64)
    static let policies: [String: SelectedImage] = [
        "flux-system:podinfo": SelectedImage(name: "ghcr.io/stefanprodan/podinfo", tag: "6.5.0", digest: digest),
        "apps:web": SelectedImage(name: "registry.example.com:5000/team/web", tag: "2.1.0"),
        "apps:worker": SelectedImage(name: "docker.io/acme/worker", tag: "v1.4.2"),
        "apps:numeric": SelectedImage(name: "example.com/numeric", tag: "6.0"),
    ]
    static let directory = Fixtures.directory() + "/setters"
    static let inputs = Fixtures.files(in: directory, withExtension: "yaml").filter { !$0.hasSuffix(".expected.yaml") }

    static func read(_ name: String) throws -> [UInt8]? {
        let path = directory + "/" + name
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    }

    /// Each fixture becomes exactly its `.expected.yaml` (byte for byte), or is left unwritten
    /// when there is none; lines not reported as changed are identical.
    @Test(arguments: inputs)
    func fixture(_ name: String) throws {
        let input = try #require(try Self.read(name))
        let expected = try Self.read(name.replacingOccurrences(of: ".yaml", with: ".expected.yaml"))
        let update = try SetterUpdater(policies: Self.policies).update(input, file: name)
        guard let expected else {
            #expect(update == nil, "a file without an applicable marker must not be rewritten")
            return
        }
        let result = try #require(update)
        #expect(result.bytes == expected, "\(String(decoding: result.bytes, as: UTF8.self))")
        let changedLines = Set(result.changes.map(\.line))
        let before = Self.lines(input)
        let after = Self.lines(result.bytes)
        #expect(before.count == after.count)
        for (index, (old, new)) in zip(before, after).enumerated() where !changedLines.contains(index + 1) {
            #expect(old == new, "line \(index + 1) changed without being reported")
        }
        for change in result.changes { #expect(change.file == name && change.old != change.new) }
    }

    @Test func reportsFileLineOldAndNew() throws {
        let input = try #require(try Self.read("kustomization.yaml"))
        let update = try #require(try SetterUpdater(policies: Self.policies).update(input, file: "overlays/prod/kustomization.yaml"))
        #expect(update.changes.map(\.description) == [
            "overlays/prod/kustomization.yaml:9 6.3.0 → 6.5.0",
            "overlays/prod/kustomization.yaml:11 old.example.com/web → registry.example.com:5000/team/web",
            "overlays/prod/kustomization.yaml:12 2.0.0 → 2.1.0",
            "overlays/prod/kustomization.yaml:14 sha256:\(String(repeating: "0", count: 64)) → \(Self.digest)",
        ])
    }

    @Test(arguments: [
        // A marker that is not NAMESPACE:NAME is an error naming the line, not a silent skip.
        ("image: a:1 # {\"$imagepolicy\": \"justname\"}\n", "x.yaml:1"),
        ("image: a:1 # {\"$imagepolicy\": \"ns:name:version\"}\n", "x.yaml:1"),
        // Broken YAML in a file that has markers names the line.
        ("a: 1 # {\"$imagepolicy\": \"ns:p\"}\nb: [\n", "x.yaml:"),
    ])
    func malformedInputIsAnError(_ text: String, _ subject: String) {
        let error = #expect(throws: ImageAutomationError.self) {
            try SetterUpdater(policies: Self.policies).update(Array(text.utf8), file: "x.yaml")
        }
        #expect(error?.code == .setter)
        #expect(error?.subject.hasPrefix(subject) == true, "\(String(describing: error))")
    }

    @Test func digestMarkerWithoutDigestLeavesValue() throws {
        let text = "digest: sha256:\(String(repeating: "0", count: 64)) # {\"$imagepolicy\": \"apps:web:digest\"}\n"
        #expect(try SetterUpdater(policies: Self.policies).update(Array(text.utf8), file: "x.yaml") == nil)
    }
}
