import Foundation
import GoTemplate
import KeelsonFoundation
import KeelsonTesting
import Testing

@testable import Helm

/// Runs the real `helm` (4.2.3) on charts the tests write, and reads what it prints.
enum HelmRun {
    /// `helm template rel CHART ARGS…`: stdout on success, the first line of stderr after `Error: ` on failure.
    static func template(_ chart: String, _ arguments: [String] = []) async throws -> (output: String, error: String?) {
        let result = try await HelmReference.run(["template", "rel", chart] + arguments)
        guard result.status == 0 else {
            var text = result.errorOutput
            if let range = text.range(of: "Error: ") { text = String(text[range.upperBound...]) }
            return ("", text)
        }
        return (result.output, nil)
    }

    /// The documents of `helm template` output keyed by their `# Source:` path (the last one of a
    /// file that renders several).
    static func sources(_ output: String) -> [String: String] {
        let documents = HelmReference.documents(output).map { ($0.source, $0.content.trimmingCharacters(in: .whitespacesAndNewlines)) }
        return Dictionary(documents, uniquingKeysWith: { $1 })
    }

    /// The `.Values` each chart of the tree saw, from templates `values.yaml` printing `{{ toJson .Values }}`.
    static func values(_ chart: String, _ arguments: [String] = []) async throws -> (values: [String: JSONDocument], error: String?) {
        let (output, error) = try await template(chart, arguments)
        if let error { return ([:], error) }
        var values: [String: JSONDocument] = [:]
        for (source, text) in sources(output) where source.hasSuffix("/templates/values.yaml") {
            values[String(source.dropLast("/templates/values.yaml".count))] = try JSONDocument.parse(Array(text.utf8))
        }
        return (values, nil)
    }
}

/// A chart written into a temporary folder by a test.
struct ChartFixture {
    let directory: TemporaryDirectory

    /// Writes `files` (path → text) under a fresh folder.
    init(_ files: [String: String]) throws {
        directory = try TemporaryDirectory(prefix: "keelson-chart")
        for (name, text) in files { try directory.write(name, text) }
    }

    /// The folder's path joined with `relative`.
    func path(_ relative: String = "") -> String { relative.isEmpty ? directory.path : directory.path + "/" + relative }

    /// Loads the chart at `relative` through a `SecureRoot` on the fixture's folder.
    func load(_ relative: String) throws -> Chart {
        try ChartLoader.load(directory: try SecureRoot(directory: directory.path), path: relative)
    }

    /// The message loading the chart at `relative` fails with, or nil when it loads.
    func loadFailure(_ relative: String) -> String? {
        do {
            _ = try load(relative)
            return nil
        } catch {
            return (error as? ChartError)?.message ?? "\(error)"
        }
    }

    /// What Keelson's preparation gives each chart of the tree as `.Values`, as JSON documents
    /// keyed like `HelmRun.values` (by full chart path).
    func keelsonValues(_ relative: String, user: [String: Value] = [:]) throws -> (values: [String: JSONDocument], error: String?) {
        do {
            let prepared = try ChartValues.prepare(chart: try load(relative), user: user)
            var values: [String: JSONDocument] = [:]
            for node in prepared.chart.tree() where node.chart.templates.contains(where: { $0.name == "templates/values.yaml" }) {
                values[node.fullPath] = SchemaValidator.document(.map(ChartValues.scoped(prepared.values, for: node)))
            }
            return (values, nil)
        } catch let error as ChartError {
            return ([:], error.message)
        }
    }
}

/// A subchart or root chart's `Chart.yaml` plus a values template.
func chartFiles(_ prefix: String, _ chartYAML: String, values: String? = nil, extra: [String: String] = [:]) -> [String: String] {
    var files = [prefix + "/Chart.yaml": chartYAML, prefix + "/templates/values.yaml": "{{ toJson .Values }}\n"]
    if let values { files[prefix + "/values.yaml"] = values }
    for (name, text) in extra { files[prefix + "/" + name] = text }
    return files
}
