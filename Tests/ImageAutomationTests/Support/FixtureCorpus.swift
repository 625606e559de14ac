import Foundation
import ImageAutomation
import KeelsonTesting
import Testing

/// A folder of `NAME.yaml` inputs, each with `NAME.expected.yaml` when it must change.
struct FixtureCorpus {
    let directory: String

    init(_ folder: String, filePath: String = #filePath) {
        directory = Fixtures.directory(filePath) + "/" + folder
    }

    /// The input files (not the expected ones), sorted.
    var inputs: [String] { Fixtures.files(in: directory, withExtension: "yaml").filter { !$0.hasSuffix(".expected.yaml") } }

    func read(_ name: String) throws -> [UInt8]? {
        let path = directory + "/" + name
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
    }

    /// Checks `update` of the input `name` against its expected file, byte for byte; without
    /// one, the file must not be rewritten. When no lines were added, every line not reported
    /// as changed must be identical.
    func check(_ name: String, _ update: (_ input: [UInt8]) throws -> FileUpdate?) throws {
        let input = try #require(try read(name))
        let expected = try read(name.replacingOccurrences(of: ".yaml", with: ".expected.yaml"))
        let result = try update(input)
        guard let expected else {
            #expect(result == nil, "a file with nothing to update must not be rewritten")
            return
        }
        let updated = try #require(result)
        if updated.bytes != expected {
            // Escaped text (\r, \t visible) reads better than two byte arrays.
            let got = String(decoding: updated.bytes, as: UTF8.self).debugDescription
            let want = String(decoding: expected, as: UTF8.self).debugDescription
            Issue.record("\(name) differs from its expected file\n got:  \(got)\n want: \(want)")
        }
        for change in updated.changes { #expect(change.file == name && change.old != change.new) }
        let before = Self.lines(input)
        let after = Self.lines(updated.bytes)
        guard before.count == after.count else { return }
        let changed = Set(updated.changes.map(\.line))
        for (index, (old, new)) in zip(before, after).enumerated() where !changed.contains(index + 1) {
            #expect(old == new, "line \(index + 1) changed without being reported")
        }
    }

    private static func lines(_ bytes: [UInt8]) -> [ArraySlice<UInt8>] {
        bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
    }
}
