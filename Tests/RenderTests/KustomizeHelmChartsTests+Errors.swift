import Foundation
import Helm
import KeelsonTesting
import Manifests
import Testing

@testable import Render

/// Keelson's own wording of `helmCharts` failures: each names the kustomization file and the chart.
extension KustomizeHelmChartsTests {
    struct Failure: CustomTestStringConvertible, Sendable {
        var name: String
        var kustomization: String
        var path = "."
        var files: [String: String] = [:]
        var code: RenderError.Code
        var message: String
        var testDescription: String { name }
    }

    static let failures: [Failure] = [
        // No chart in the chart home and no repo: kustomize's own message, with the root-relative path.
        Failure(
            name: "missing chart", kustomization: "helmCharts:\n- name: nothere\n", code: .read,
            message: "kustomization.yaml: helmCharts nothere: no repo specified for pull, no chart found at 'charts/nothere'"),
        // With a repo, kustomize would pull; Keelson never does, and says so.
        Failure(
            name: "chart to pull", kustomization: "helmCharts:\n- {name: web, repo: 'oci://registry.example.com/charts', version: 2.0.0}\n",
            code: .unsupported,
            message:
                "kustomization.yaml: helmCharts web: no chart found at 'charts/web-2.0.0/web': Keelson does not pull charts from 'oci://registry.example.com/charts'; vendor the chart there"
        ),
        // The chart home may not leave the kustomization's directory (kustomize's load restrictor).
        Failure(
            name: "chart home outside", kustomization: "helmGlobals: {chartHome: ../charts}\nhelmCharts:\n- name: web\n", path: "app",
            code: .read, message: "app/kustomization.yaml: helmGlobals.chartHome: security; file 'charts/web' is not in or below 'app'"),
        // An absolute chart home is refused before anything is read.
        Failure(
            name: "absolute chart home", kustomization: "helmGlobals: {chartHome: /srv/charts}\nhelmCharts:\n- name: web\n", code: .kustomization,
            message: "kustomization.yaml: helmGlobals: chartHome '/srv/charts' is absolute; it must be a path inside the kustomization's directory"),
        // A values file outside the kustomization's directory is refused like any file kustomize loads.
        Failure(
            name: "values file outside", kustomization: "helmCharts:\n- {name: web, valuesFile: ../values.yaml}\n", path: "app",
            files: ["app/charts/web/Chart.yaml": "apiVersion: v2\nname: web\nversion: 1.0.0\n", "values.yaml": "a: 1\n"], code: .read,
            message: "app/kustomization.yaml: helmCharts web: security; file 'app/../values.yaml' is not in or below 'app'"),
        // A remote values file is never fetched.
        Failure(
            name: "remote values file", kustomization: "helmCharts:\n- {name: web, valuesFile: 'https://example.com/values.yaml'}\n",
            code: .unsupported, message: "kustomization.yaml: helmCharts web: remote resource 'https://example.com/values.yaml' is not supported"),
        // A template failure carries Helm's text after the file and the chart.
        Failure(
            name: "template error", kustomization: "helmCharts:\n- {name: web, valuesInline: {fail: stop here}}\n", code: .helm,
            message: "kustomization.yaml: helmCharts web: execution error at (web/templates/info.yaml:1:25): stop here"),
        // kyaml cannot merge a mapping into a scalar.
        Failure(
            name: "mapping over scalar", kustomization: "helmCharts:\n- {name: web, valuesInline: {replicas: {a: 1}}}\n", code: .helm,
            message:
                "kustomization.yaml: helmCharts web: could not merge values: wrong node kind at 'replicas': expected MappingNode but got ScalarNode"),
        // Strict fields, as kustomize decodes them.
        Failure(
            name: "unknown field", kustomization: "helmCharts:\n- {name: web, postRenderer: x}\n", code: .kustomization,
            message: "kustomization.yaml: helmCharts: json: unknown field \"postRenderer\""),
        Failure(
            name: "bad valuesMerge", kustomization: "helmCharts:\n- {name: web, valuesMerge: deep}\n", code: .kustomization,
            message: "kustomization.yaml: helmCharts: valuesMerge must be one of [override merge replace], found 'deep'"),
    ]

    @Test("A failing helmCharts entry names the kustomization file and the chart", arguments: failures)
    func failsNamingTheKustomization(_ failure: Failure) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        if failure.files.isEmpty { try TestCharts.write(in: dir) }
        _ = try dir.write(failure.path == "." ? "kustomization.yaml" : failure.path + "/kustomization.yaml", failure.kustomization)
        for (path, text) in failure.files { _ = try dir.write(path, text) }
        do {
            let result = try Kustomizer().render(try SecureRoot(directory: dir.path), path: failure.path)
            Issue.record("\(failure.name): rendered \(result.manifests.count) objects instead of failing")
        } catch let error as RenderError {
            #expect(error.code == failure.code, "\(failure.name): \(error)")
            #expect(error.message == failure.message)
        }
    }

    /// The chart's files count among the files a render read (what a controller watches for changes).
    @Test func chartFilesAreRecordedAsRead() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try TestCharts.write(in: dir)
        _ = try dir.write("kustomization.yaml", "namePrefix: x-\nhelmCharts:\n- {name: web, releaseName: shop, skipHooks: true}\n")
        let root = try SecureRoot(directory: dir.path)
        let result = try Kustomizer().render(root, path: ".")
        #expect(result.files.contains("charts/web/templates/deployment.yaml"), "\(result.files)")
        #expect(result.manifests.map(\.key.description).contains("Deployment/default/x-shop-web"))
    }

    /// With a seeded source, a chart using `randAlphaNum` renders the same twice; the system source differs.
    @Test func seededRandomnessRepeats() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        _ = try dir.write("charts/pw/Chart.yaml", "apiVersion: v2\nname: pw\nversion: 0.1.0\n")
        _ = try dir.write("charts/pw/values.yaml", "")
        _ = try dir.write(
            "charts/pw/templates/secret.yaml",
            "apiVersion: v1\nkind: Secret\nmetadata: {name: pw}\nstringData: {password: {{ randAlphaNum 24 | quote }}}\n")
        _ = try dir.write("kustomization.yaml", "helmCharts:\n- name: pw\n")
        let root = try SecureRoot(directory: dir.path)
        func password(_ renderer: Kustomizer) throws -> JSONValue? {
            try renderer.render(root).manifests.first?.object["stringData"]?["password"]
        }
        // One source per render, as the controller makes one per reconcile (a source counts its calls).
        func seeded() -> Kustomizer {
            var renderer = Kustomizer()
            renderer.helm = KustomizeHelmOptions(random: SeededRandomSource(seed: Array("app-seed".utf8)))
            return renderer
        }
        let first = try password(seeded())
        #expect(first != nil)
        #expect(try password(seeded()) == first)
        #expect(try password(Kustomizer()) != first)
    }
}
