import Foundation
import KeelsonTesting
import Manifests
import Testing

/// `keelson helm template` in process against the real `helm template` on the fixture charts: the
/// same documents (`# Source:` paths and parsed objects, in order), or the same error message.
@Suite struct ChartConformanceTests {
    /// Where the fixture charts are; case paths are relative to it.
    static let charts = Fixtures.directory() + "/charts"

    /// What one side made of a case.
    enum Outcome: Sendable, CustomStringConvertible {
        /// The documents printed.
        case rendered([HelmReference.Document])
        /// The error message (Helm's after `Error: `).
        case failed(String)

        var description: String {
            switch self {
            case .rendered(let documents): "\(documents.count) documents"
            case .failed(let message): "error: \(message)"
            }
        }
    }

    @Test(arguments: ChartCases.all) func keelsonRendersAsHelmDoes(_ chartCase: ChartCase) async throws {
        let helm = try await Self.helm(chartCase)
        Self.compare(Self.keelson(chartCase), helm)
    }

    /// The table says which cases fail; Helm must agree (a wrong fixture is caught here, not
    /// mistaken for a Keelson bug).
    @Test(arguments: ChartCases.all) func helmAgreesWithTheTable(_ chartCase: ChartCase) async throws {
        let helm = try await Self.helm(chartCase)
        switch helm {
        case .rendered(let documents):
            #expect(!chartCase.fails, "helm rendered \(documents.count) documents")
            #expect(!documents.isEmpty || chartCase.fails)
        case .failed(let message):
            #expect(chartCase.fails, "helm failed: \(message)")
        }
    }

    @Test func theCorpusCoversEveryChart() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: Self.charts).sorted()
        let used = Set(ChartCases.all.map { String($0.chart.split(separator: "/")[0]) })
        #expect(names.filter { !used.contains($0) } == [])
        #expect(ChartCases.all.count >= 60)
        #expect(Set(ChartCases.all.map(\.name)).count == ChartCases.all.count, "case names are unique")
    }

    /// Runs the real helm in the charts folder, so `# Source:` paths and flag paths are relative.
    static func helm(_ chartCase: ChartCase) async throws -> Outcome {
        let result = try await HelmReference.run(["template", chartCase.release, chartCase.chart] + chartCase.arguments, directory: charts)
        guard result.status == 0 else { return .failed(helmMessage(result.errorOutput)) }
        return .rendered(HelmReference.documents(result.output))
    }

    /// Helm's error message: from the `Error: ` line (after warnings) to the end, without the
    /// `Use --debug` advice.
    static func helmMessage(_ standardError: String) -> String {
        var text = Substring(standardError)
        if let start = text.range(of: "Error: ") { text = text[start.upperBound...] }
        if let advice = text.range(of: "\n\nUse --debug flag") { text = text[..<advice.lowerBound] }
        return String(text).trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Records the first difference between Keelson's outcome and Helm's.
    static func compare(_ ours: Outcome, _ helm: Outcome) {
        switch (ours, helm) {
        case (.failed(var mine), .failed(let theirs)):
            mine = mine.trimmingCharacters(in: .whitespacesAndNewlines)
            let firstLine = { (text: String) in String(text.prefix { $0 != "\n" }) }
            #expect(firstLine(mine) == firstLine(theirs), "first error line")
            if firstLine(mine) == firstLine(theirs) { #expect(mine == theirs, "whole error message") }
        case (.rendered(let mine), .rendered(let theirs)):
            compare(mine, theirs)
        default:
            Issue.record("Keelson: \(ours)\nhelm: \(helm)")
        }
    }

    /// Compares documents in order: the `# Source:` paths, then the parsed YAML.
    static func compare(_ ours: [HelmReference.Document], _ helm: [HelmReference.Document]) {
        #expect(ours.map(\.source) == helm.map(\.source), "# Source: paths in order")
        for (index, (mine, theirs)) in zip(ours, helm).enumerated() {
            let left = parse(mine)
            let right = parse(theirs)
            if let difference = difference(left, right, at: "") {
                Issue.record("document \(index) (\(theirs.source)): \(difference)\n--- Keelson:\n\(mine.content)\n--- helm:\n\(theirs.content)")
                return
            }
        }
    }

    /// A document's YAML values (a parse failure is compared as text).
    static func parse(_ document: HelmReference.Document) -> JSONValue {
        do {
            return .array(try YAMLDecoder().decode(document.content, file: document.source).map(\.value))
        } catch {
            return .string("unparsable: " + document.content.trimmingCharacters(in: .whitespacesAndNewlines))
        }
    }

    /// The first path where two values differ, with both values; nil when equal.
    static func difference(_ ours: JSONValue, _ helm: JSONValue, at path: String) -> String? {
        switch (ours, helm) {
        case (.object(let left), .object(let right)):
            for key in Set(left.keys).union(right.keys).sorted() {
                guard let mine = left[key] else { return "\(path).\(key): missing in Keelson's output" }
                guard let theirs = right[key] else { return "\(path).\(key): not in helm's output" }
                if let found = difference(mine, theirs, at: path + "." + key) { return found }
            }
            return nil
        case (.array(let left), .array(let right)):
            for (index, (mine, theirs)) in zip(left, right).enumerated() {
                if let found = difference(mine, theirs, at: "\(path)[\(index)]") { return found }
            }
            return left.count == right.count ? nil : "\(path): \(left.count) items in Keelson's output, \(right.count) in helm's"
        default:
            return ours == helm ? nil : "\(path): Keelson \(JSONWriter.compact(ours)), helm \(JSONWriter.compact(helm))"
        }
    }
}
