import Foundation
import GoTemplate
import KeelsonFoundation
import KeelsonTesting
import Testing

@testable import Helm

/// Archive rules and limits, and symlinks in chart directories.
@Suite struct ChartArchiveTests {
    /// Builds a .tgz with Python's tarfile: `entries` are (name, contents, type) with type
    /// `file`, `dir` or `symlink`.
    static func archive(_ entries: [(String, String, String)], in directory: TemporaryDirectory) async throws -> String {
        let path = directory.path + "/chart-\(UUID().uuidString.prefix(6)).tgz"
        let script = """
            import io, json, sys, tarfile
            entries = json.loads(sys.stdin.read())
            with tarfile.open(sys.argv[1], "w:gz") as tar:
                for name, text, kind in entries:
                    info = tarfile.TarInfo(name)
                    data = text.encode()
                    if kind == "dir":
                        info.type = tarfile.DIRTYPE
                        tar.addfile(info)
                    elif kind == "symlink":
                        info.type = tarfile.SYMTYPE
                        info.linkname = text
                        tar.addfile(info)
                    else:
                        info.size = len(data)
                        tar.addfile(info, io.BytesIO(data))
            """
        let json = String(decoding: try JSONSerialization.data(withJSONObject: entries.map { [$0.0, $0.1, $0.2] }), as: UTF8.self)
        let result = try await ProcessRunner.run("python3", ["-c", script, path], input: Data(json.utf8))
        #expect(result.status == 0, "\(result.errorOutput)")
        return path
    }

    static let chartYAML = "apiVersion: v2\nname: c\nversion: 1.0.0\n"

    // Helm's archive rules, with Helm's messages: the archive sits in a parent chart's charts/,
    // where Helm 4.2.3 reports the loader's reason (for a top-level .tgz it only says "unable to
    // load chart archive"; Keelson gives the reason there too).
    @Test(arguments: [
        [("c/Chart.yaml", chartYAML, "file"), ("c/../evil.yaml", "x", "file")],  // parent reference
        [("c/Chart.yaml", chartYAML, "file"), ("c//etc/passwd", "x", "file")],  // absolute after the top folder
        [("Chart.yaml", chartYAML, "file")],  // Chart.yaml not in a folder
        [("c/", "", "dir")],  // nothing but a folder
        [("c/Chart.yaml", chartYAML, "file"), ("c", "x", "file")],  // an entry that is the top folder itself
        [("c/values.yaml", "a: 1\n", "file")],  // no Chart.yaml
    ])
    func archiveRulesMatchHelm(_ entries: [(String, String, String)]) async throws {
        let fixture = try ChartFixture(["p/Chart.yaml": "apiVersion: v2\nname: p\nversion: 1.0.0\n"])
        defer { fixture.directory.remove() }
        let path = try await Self.archive(entries, in: fixture.directory)
        try fixture.directory.makeDirectory("p/charts")
        try FileManager.default.moveItem(atPath: path, toPath: fixture.path("p/charts/bad.tgz"))
        let helm = try await HelmRun.template(fixture.path("p"))
        let ours = fixture.loadFailure("p")
        #expect(ours != nil)
        #expect(ours == helm.error?.trimmingCharacters(in: .newlines))
        let top = Array(try Data(contentsOf: URL(fileURLWithPath: fixture.path("p/charts/bad.tgz"))))
        #expect(throws: ChartError.self) { try ChartLoader.load(archive: top) }
    }

    // A folder named like an archive in charts/, a stray file there, and bytes that are not gzip.
    @Test(arguments: [("charts/s.tgz/x", "x"), ("charts/stray", "x"), ("charts/bad.tgz", "x"), ("charts/bad.tgz", "not gzip at all, but long")])
    func chartsFolderMatchesHelm(_ name: String, _ text: String) async throws {
        let fixture = try ChartFixture(["p/Chart.yaml": "apiVersion: v2\nname: p\nversion: 1.0.0\n", "p/" + name: text])
        defer { fixture.directory.remove() }
        let helm = try await HelmRun.template(fixture.path("p"))
        let ours = fixture.loadFailure("p")
        #expect(ours == helm.error?.trimmingCharacters(in: .newlines))
    }

    // Names longer than ustar's 100 bytes (PAX headers) load in full.
    @Test func longNamesLoad() async throws {
        let directory = try TemporaryDirectory(prefix: "keelson-archive")
        defer { directory.remove() }
        let long = "c/files/" + String(repeating: "d", count: 120) + "/" + String(repeating: "f", count: 90) + ".txt"
        let path = try await Self.archive([("c/Chart.yaml", Self.chartYAML, "file"), (long, "long\n", "file")], in: directory)
        let chart = try ChartLoader.load(archive: Array(try Data(contentsOf: URL(fileURLWithPath: path))))
        #expect(chart.files.map(\.name) == [String(long.dropFirst(2))])
        #expect(chart.files.first?.text == "long\n")
    }

    // Links in an archive are refused (Helm would load them as empty files).
    @Test func linksInArchivesAreRefused() async throws {
        let directory = try TemporaryDirectory(prefix: "keelson-archive")
        defer { directory.remove() }
        let path = try await Self.archive([("c/Chart.yaml", Self.chartYAML, "file"), ("c/link", "/etc/passwd", "symlink")], in: directory)
        #expect(throws: ChartError.self) { try ChartLoader.load(archive: Array(try Data(contentsOf: URL(fileURLWithPath: path)))) }
    }

    // The entry count, per-file and total size limits hold, and a gzip bomb stops at the cap.
    @Test func limitsHold() async throws {
        let directory = try TemporaryDirectory(prefix: "keelson-archive")
        defer { directory.remove() }
        let big = String(repeating: "0", count: 200_000)
        let path = try await Self.archive(
            [("c/Chart.yaml", Self.chartYAML, "file"), ("c/a.txt", big, "file"), ("c/b.txt", big, "file"), ("c/c.txt", big, "file")], in: directory)
        let bytes = Array(try Data(contentsOf: URL(fileURLWithPath: path)))
        #expect(try ChartLoader.load(archive: bytes).files.count == 3)
        var limits = ChartLoader.Limits()
        limits.maximumEntries = 3
        #expect(performing: { try ChartLoader.load(archive: bytes, limits: limits) }, throws: { ($0 as? ChartError)?.code == .tooLarge })
        limits = ChartLoader.Limits()
        limits.maximumFileBytes = 100_000
        #expect(performing: { try ChartLoader.load(archive: bytes, limits: limits) }, throws: { ($0 as? ChartError)?.code == .tooLarge })
        limits = ChartLoader.Limits()
        limits.maximumTotalBytes = 500_000
        #expect(performing: { try ChartLoader.load(archive: bytes, limits: limits) }, throws: { ($0 as? ChartError)?.code == .tooLarge })
        #expect(performing: { try ChartLoader.load(archive: Array("not gzip".utf8)) }, throws: { ($0 as? ChartError)?.code == .invalidArchive })
    }

    // A directory's limits fail at the first file, in the walk's order, that breaks them.
    @Test func directoryLimitsFailInWalkOrder() throws {
        var files = ["c/Chart.yaml": Self.chartYAML]
        for index in 0..<40 { files["c/files/f\(String(format: "%02d", index)).txt"] = String(repeating: "x", count: 1_000 + index) }
        let fixture = try ChartFixture(files)
        defer { fixture.directory.remove() }
        #expect(try fixture.load("c").files.count == 40)
        var limits = ChartLoader.Limits()
        limits.maximumTotalBytes = 10_500
        for _ in 0..<5 {
            let error = #expect(throws: ChartError.self) {
                try ChartLoader.load(directory: try SecureRoot(directory: fixture.path()), path: "c", limits: limits)
            }
            // Chart.yaml (small) and f00-f09 (10,045 bytes) fit; f10 takes the total past 10,500.
            #expect(error?.path == "files/f10.txt")
        }
        limits = ChartLoader.Limits()
        limits.maximumFileBytes = 1_020
        let error = #expect(throws: ChartError.self) {
            try ChartLoader.load(directory: try SecureRoot(directory: fixture.path()), path: "c", limits: limits)
        }
        #expect(error?.path == "files/f21.txt")
    }

    // A symlink inside the chart is followed as Helm follows it; one leading out of the chart
    // directory (even if still inside the SecureRoot) is refused.
    @Test func symlinksStayInsideTheChart() throws {
        let fixture = try ChartFixture([
            "c/Chart.yaml": Self.chartYAML, "c/templates/a.yaml": "kind: A\n", "c/shared/data.txt": "inside\n", "outside.txt": "outside\n",
        ])
        defer { fixture.directory.remove() }
        try fixture.directory.symlink("c/link.txt", to: "shared/data.txt")
        try fixture.directory.symlink("c/linked", to: "shared")
        let chart = try fixture.load("c")
        #expect(chart.files.map(\.name) == ["link.txt", "linked/data.txt", "shared/data.txt"])
        try fixture.directory.symlink("c/escape.txt", to: "../outside.txt")
        #expect(throws: ChartError.self) { try fixture.load("c") }
    }

    // .helmignore's own dialect: `**` is an error, a `!` rule ignores what it does not match.
    @Test(arguments: ["**/*.txt\n", "!templates\n", "[\n", "*.txt\n!keep.txt\n"])
    func helmignoreMatchesHelm(_ rules: String) async throws {
        let fixture = try ChartFixture([
            "c/Chart.yaml": Self.chartYAML, "c/.helmignore": rules, "c/a.txt": "a\n", "c/keep.txt": "k\n",
            "c/templates/files.yaml": "files: {{ range $p, $_ := .Files.Glob \"**\" }}{{ $p }} {{ end }}\n",
        ])
        defer { fixture.directory.remove() }
        let helm = try await HelmRun.template(fixture.path("c"))
        do {
            let chart = try fixture.load("c")
            #expect(helm.error == nil)
            let helmFiles = HelmRun.sources(helm.output)["c/templates/files.yaml"]?.dropFirst("files: ".count)
                .split(separator: " ").map(String.init)
            #expect(chart.files.map(\.name).sorted() == (helmFiles ?? []).sorted())
        } catch let error as ChartError {
            #expect(helm.error != nil, "\(error.message)")
            #expect(helm.error?.trimmingCharacters(in: .newlines) == error.message)
        }
    }
}
