import Foundation
import KeelsonTesting
import Manifests
import Testing

/// `keelson render` as a user runs it: the real binary, real files, exit statuses.
@Suite struct RenderCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    let examples = Fixtures.packageRoot() + "/examples"

    @Test func rendersTheBundledExampleInApplyOrder() async throws {
        let result = try await ProcessRunner.run(keelson, ["render", examples + "/apps"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let objects = try Manifest.decode(result.stdout, file: "out")
        #expect(objects.first?.kind == "CustomResourceDefinition")
        #expect(objects.map(\.kind).firstIndex(of: "Namespace")! < objects.map(\.kind).firstIndex(of: "Deployment")!)
        #expect(objects.last?.kind == "Widget")
    }

    @Test func aChartDirectoryRendersAsAnInstallNamedAfterTheDirectory() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("web/Chart.yaml", "apiVersion: v2\nname: webchart\nversion: 0.1.0\n")
        try dir.write("web/values.yaml", "replicas: 1000000\n")
        try dir.write(
            "web/templates/all.yaml",
            """
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: {{ .Release.Name }}-config}
            data: {replicas: "{{ .Values.replicas }}", chart: {{ .Chart.Name }}}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: upgrade-only
              annotations: {helm.sh/hook: pre-upgrade}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata:
              name: install-hook
              annotations: {helm.sh/hook: pre-install}

            """)
        let result = try await ProcessRunner.run(keelson, ["render", dir.path + "/web"])
        #expect(result.status == 0, "\(result.errorOutput)")
        let objects = try Manifest.decode(result.stdout, file: "out")
        // Helm reads every values number as a float64: 1000000 prints as 1e+06.
        #expect(objects.map(\.name) == ["web-config", "install-hook"])
        #expect(objects.first?.object["data"]?["replicas"] == "1e+06")
    }

    @Test func aKustomizationWithHelmChartsRendersTheVendoredChart() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 0.1.0\n")
        try dir.write("charts/web/values.yaml", "replicas: 1\n")
        try dir.write(
            "charts/web/templates/cm.yaml",
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: {{ .Release.Name }}-config, namespace: {{ .Release.Namespace }}}\ndata: {replicas: \"{{ .Values.replicas }}\"}\n"
        )
        try dir.write(
            "kustomization.yaml", "namespace: shop\nnamePrefix: blue-\nhelmCharts:\n- {name: web, releaseName: web, valuesInline: {replicas: 3}}\n")
        let result = try await ProcessRunner.run(keelson, ["render", dir.path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let objects = try Manifest.decode(result.stdout, file: "out")
        #expect(objects.map(\.key.description) == ["ConfigMap/shop/blue-web-config"])
        #expect(objects.first?.object["data"]?["replicas"] == "3")
    }

    @Test func aKustomizationWhoseChartIsMissingFailsNamingIt() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("kustomization.yaml", "helmCharts:\n- name: web\n")
        let result = try await ProcessRunner.run(keelson, ["render", dir.path])
        #expect(result.status == 1)
        #expect(
            result.errorOutput.hasPrefix("keelson: kustomization.yaml: helmCharts web: no repo specified for pull, no chart found at 'charts/web'"),
            "\(result.errorOutput)")
    }

    @Test func jsonOutputIsOneList() async throws {
        let result = try await ProcessRunner.run(keelson, ["render", examples + "/apps/guestbook", "-o", "json"])
        #expect(result.status == 0)
        let list = try JSONParser.parse(result.stdout)
        #expect(list["kind"] == "List")
        #expect(list["apiVersion"] == "v1")
        #expect(list["items"]?.arrayValue?.count == 5)
    }

    @Test func renderIsByteForByteDeterministic() async throws {
        let first = try await ProcessRunner.run(keelson, ["render", examples + "/apps"])
        let second = try await ProcessRunner.run(keelson, ["render", examples + "/apps"])
        #expect(first.stdout == second.stdout)
    }

    @Test func aBrokenFileFailsWithOneLineNamingIt() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("ok.yaml", "apiVersion: v1\nkind: Namespace\nmetadata: {name: a}\n")
        try dir.write("sub/bad.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\n  name: y\n")
        let result = try await ProcessRunner.run(keelson, ["render", dir.path])
        #expect(result.status == 1)
        #expect(result.stdout.isEmpty)
        #expect(result.errorOutput.hasPrefix("keelson: sub/bad.yaml:4:3: "), "\(result.errorOutput)")
        #expect(result.errorOutput.split(separator: "\n").count == 1)
    }

    @Test func aMissingPathIsNamed() async throws {
        let result = try await ProcessRunner.run(keelson, ["render", "/nonexistent/keelson-path"])
        #expect(result.status == 1)
        #expect(result.errorOutput == "keelson: /nonexistent/keelson-path: no such file or directory\n")
    }

    @Test func aKustomizationRendersAsKubectlKustomizeDoes() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
        try dir.write("base/kustomization.yaml", "resources: [cm.yaml]\n")
        try dir.write("overlay/kustomization.yaml", "namePrefix: prod-\nnamespace: prod\nresources: [../base]\n")
        let result = try await ProcessRunner.run(keelson, ["render", dir.path + "/overlay", "--root", dir.path])
        #expect(result.status == 0, "\(result.errorOutput)")
        let objects = try Manifest.decode(result.stdout, file: "out")
        #expect(objects.map(\.key.description) == ["ConfigMap/prod/prod-settings"])
    }

    /// Outside any Git work tree an overlay is its own root: the error names that root and `--root`.
    @Test func anOverlayWhoseBaseLeavesTheRootNamesTheRootAndTheFlag() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("base/cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}\n")
        try dir.write("base/kustomization.yaml", "resources: [cm.yaml]\n")
        try dir.write("overlay/kustomization.yaml", "resources: [../base]\n")
        let result = try await ProcessRunner.run(keelson, ["render", dir.path + "/overlay"])
        #expect(result.status == 1)
        #expect(
            result.errorOutput.hasPrefix(
                "keelson: kustomization.yaml: resources: '../base': the path leads outside the root \(dir.path)/overlay ("),
            "\(result.errorOutput)")
        #expect(result.errorOutput.contains("--root DIR"), "\(result.errorOutput)")
    }

    @Test func aRefusedKustomizationFieldFailsNamingFileAndField() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("kustomization.yaml", "resources:\n- https://example.com/repo//base\n")
        let result = try await ProcessRunner.run(keelson, ["render", dir.path])
        #expect(result.status == 1)
        #expect(result.errorOutput.hasPrefix("keelson: kustomization.yaml: resources: remote resource"), "\(result.errorOutput)")
    }

    @Test(arguments: [["render"], ["render", "x", "-o", "xml"], ["render", "x", "--include", "../*.yaml"], ["nonsense"]])
    func badUsageExitsTwo(_ arguments: [String]) async throws {
        let result = try await ProcessRunner.run(keelson, arguments)
        // `--include ../` is refused before anything is read: usage, not a failed render.
        #expect(result.status == 2, "\(arguments): \(result.status)")
        #expect(!result.errorOutput.isEmpty)
    }
}
