import Foundation
import GoTemplate
import Helm
import KeelsonFoundation
import KeelsonTesting
import Manifests
import Testing

/// The chart renderer end to end, compared with the real `helm template` on charts written here.
@Suite struct ChartRendererTests {
    private func compare(_ templates: [String: String], arguments: [String] = []) async throws -> (ours: [String], helm: [String]) {
        let directory = try TemporaryDirectory(prefix: "helm-render")
        defer { directory.remove() }
        try directory.write("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
        for (name, text) in templates { try directory.write("c/templates/\(name)", text) }
        let chart = try ChartLoader.load(directory: try SecureRoot(directory: directory.path), path: "c")
        let rendered = try ChartRenderer(options: .init(release: ReleaseInfo(name: "r"))).render(chart, values: [:])
        let ours = HelmReference.documents(rendered.templateOutput()).map { "\($0.source)\n\($0.content)" }
        let helm = try await HelmReference.template("r", directory.path + "/c", arguments).map { "\($0.source)\n\($0.content)" }
        return (ours, helm)
    }

    /// Go maps are shared: `set`, `unset` and `merge` change the map a variable holds, as charts rely on.
    @Test func mapFunctionsChangeTheVariablesMap() async throws {
        let template = """
            {{- $d := dict "a" 1 }}{{- $_ := set $d "b" 2 }}
            a: {{ toJson $d | quote }}
            {{- $ctx := dict "x" (dict) }}{{ $_ := set $ctx.x "y" 3 }}
            b: {{ toJson $ctx | quote }}
            {{- $m := dict "a" 1 }}{{ $_ := merge $m (dict "c" 4) }}
            c: {{ toJson $m | quote }}
            {{- $_ := unset $m "a" }}
            d: {{ toJson $m | quote }}
            {{- $_ := set $.Values "k" "v" }}
            e: {{ toJson $.Values | quote }}

            """
        let (ours, helm) = try await compare(["cm.yaml": template])
        #expect(ours == helm)
        #expect(ours.first?.contains(#"d: "{\"c\":4}""#) == true)
    }

    // Helm copies the values before a render: a template's `set` reaches neither the loaded chart
    // (rendered again by the controller) nor the caller's values.
    @Test func aRenderDoesNotChangeTheChartOrTheCallersValues() throws {
        let directory = try TemporaryDirectory(prefix: "helm-render")
        defer { directory.remove() }
        try directory.write("c/Chart.yaml", "apiVersion: v2\nname: c\nversion: 0.1.0\n")
        try directory.write("c/values.yaml", "nested:\n  count: 0\n")
        try directory.write(
            "c/templates/cm.yaml",
            #"{{ $_ := set .Values.nested "count" (add1 .Values.nested.count) }}{{ $_ := set .Values.user "seen" true }}count: {{ .Values.nested.count }}"#
                + "\n")
        let chart = try ChartLoader.load(directory: try SecureRoot(directory: directory.path), path: "c")
        let user: [String: Value] = ["user": .map(["a": .int(1)])]
        let renderer = ChartRenderer(options: .init(release: ReleaseInfo(name: "r")))
        for _ in 0..<2 {
            let output = try renderer.render(chart, values: user).templateOutput()
            #expect(output.contains("count: 1"), "\(output)")
        }
        #expect(user["user"]?.mapEntries?["seen"] == nil)
    }

    @Test func builtInObjectsMarshalAsHelmMarshalsThem() async throws {
        let template = """
            a: {{ .Capabilities.HelmVersion | toJson | quote }}
            b: {{ .Capabilities.KubeVersion | toJson | quote }}
            c: '{{ .Capabilities.KubeVersion | quote }} {{ .Capabilities.KubeVersion }} {{ .Capabilities.APIVersions.Has "apps/v1" }}'
            d: {{ .Release | toJson | quote }}
            e: {{ .Chart | toJson | quote }}
            f: {{ .Template | toJson | quote }}

            """
        let (ours, helm) = try await compare(["cm.yaml": template])
        #expect(ours == helm)
    }
}
