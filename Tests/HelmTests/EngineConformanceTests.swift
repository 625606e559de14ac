import Foundation
import GoTemplate
import Helm
import KeelsonTesting
import Testing

/// Renders small charts with Keelson's engine and with the real `helm template`, and compares the output
/// per template file (documents trimmed, empty ones dropped, as Helm prints them) or the error text.
@Suite struct EngineConformanceTests {
    /// A chart named `conf`: template files by path below the chart folder, and its values both as the YAML
    /// Helm reads and as the `Value` Keelson's engine gets (numbers are `float64`, as Helm reads YAML).
    struct ChartCase: Sendable, CustomStringConvertible {
        var name: String
        var files: [String: String]
        var valuesYAML = "{}"
        var values: Value = .map([:])
        var description: String { name }
    }

    static let cases: [ChartCase] = [
        // Definition precedence: the parent's partial beats the subchart's; among one chart's files the
        // lexically first file's define wins (parsed last).
        ChartCase(
            name: "define precedence",
            files: [
                "templates/_a.tpl": #"{{ define "shared" }}parent-a{{ end }}{{ define "only.a" }}A{{ end }}"#,
                "templates/_b.tpl": #"{{ define "shared" }}parent-b{{ end }}{{ define "only.b" }}B{{ end }}"#,
                "templates/out.yaml": #"x: {{ include "shared" . }} {{ include "only.a" . }} {{ include "only.b" . }} {{ include "sub.thing" . }}"#,
                "charts/sub/Chart.yaml": "apiVersion: v2\nname: sub\nversion: 0.1.0\n",
                "charts/sub/templates/_h.tpl": #"{{ define "shared" }}sub{{ end }}{{ define "sub.thing" }}{{ template "shared" }}{{ end }}"#,
                "charts/sub/templates/s.yaml": #"s: {{ include "shared" . }} {{ .Template.Name }} {{ .Template.BasePath }} {{ .Values.x }}"#,
            ], valuesYAML: "sub: {x: 7}", values: .map(["sub": .map(["x": .float(7)])])),
        // `.Template`, `<no value>` removal, a NOTES.txt left out of the manifests, partials not rendered.
        ChartCase(
            name: "template object and no value",
            files: [
                "templates/a.yaml": "name: {{ .Template.Name }}\nbase: {{ .Template.BasePath }}\nmissing: '{{ .Values.nothing }}'\n",
                "templates/NOTES.txt": "Notes for {{ .Values.who }}",
                "templates/_skip.yaml": "skipped: true\n",
            ], valuesYAML: "who: me", values: .map(["who": .string("me")])),
        // Control flow and variables over values read from YAML.
        ChartCase(
            name: "range with and variables",
            files: [
                "templates/list.yaml": """
                items:
                {{- range $i, $v := .Values.items }}
                  - {{ $i }}-{{ $v.name }}{{ if $v.enabled }}-on{{ end }}
                {{- end }}
                {{- with .Values.extra }}
                extra: {{ .k }}
                {{- end }}
                {{- $root := . }}
                {{- range $k, $v := .Values.map }}
                {{ $k }}: {{ $v }} {{ $root.Values.extra.k }}
                {{- end }}
                count: {{ len .Values.items }}
                """
            ],
            valuesYAML: "items: [{name: a, enabled: true}, {name: b}]\nextra: {k: v}\nmap: {z: 1, a: 2.5}",
            values: .map([
                "items": .list([.map(["name": .string("a"), "enabled": .bool(true)]), .map(["name": .string("b")])]),
                "extra": .map(["k": .string("v")]), "map": .map(["z": .float(1), "a": .float(2.5)]),
            ])),
        // tpl renders values text under the caller's template set; its defines are visible to include.
        ChartCase(
            name: "tpl",
            files: [
                "templates/t.yaml": #"""
                a: {{ tpl .Values.text . }}
                b: {{ tpl "{{ define \"in.tpl\" }}D{{ end }}{{ include \"in.tpl\" . }}" . }}
                c: {{ tpl "{{ .Template.Name }}" . }}
                """#
            ], valuesYAML: "text: '{{ .Values.who }}-x'\nwho: me", values: .map(["text": .string("{{ .Values.who }}-x"), "who": .string("me")])),
        // A define in tpl's text shadows the chart's for that text only.
        ChartCase(
            name: "tpl shadows a define",
            files: [
                "templates/_h.tpl": #"{{ define "shared" }}outer{{ end }}"#,
                "templates/t.yaml": #"""
                a: {{ tpl "{{ define \"shared\" }}in-tpl{{ end }}{{ include \"shared\" . }}" . }}
                b: {{ include "shared" . }}
                c: {{ tpl "{{ include \"shared\" . }}" . }}
                """#,
            ]),
        // Errors: required, fail, nil pointers, include chains, tpl, Go builtin errors, parse errors.
        ChartCase(name: "required", files: ["templates/r.yaml": "a: 1\nb: {{ required \"who is required\" .Values.who }}"]),
        ChartCase(name: "fail in include", files: ["templates/r.yaml": #"a: {{ include "f" . }}{{ define "f" }}{{ fail "stop here" }}{{ end }}"#]),
        ChartCase(name: "nil pointer", files: ["templates/r.yaml": "a: {{ .Values.a.b.c }}"]),
        ChartCase(name: "missing include", files: ["templates/r.yaml": #"a: {{ include "nope" . }}"#]),
        ChartCase(
            name: "nested include error",
            files: ["templates/r.yaml": #"a: {{ include "y" . }}{{ define "y" }}{{ include "x" . }}{{ end }}{{ define "x" }}{{ .a.b }}{{ end }}"#]),
        ChartCase(name: "builtin error in include", files: ["templates/r.yaml": #"a: {{ include "x" . }}{{ define "x" }}{{ len .a }}{{ end }}"#]),
        ChartCase(name: "tpl error", files: ["templates/r.yaml": #"a: {{ tpl "{{ .x.y }}" . }}"#]),
        ChartCase(name: "tpl parse error", files: ["templates/r.yaml": #"a: {{ tpl "{{ if }}" . }}"#]),
        ChartCase(name: "comparison error", files: ["templates/r.yaml": "a: {{ eq 1 1.5 }}"]),
        ChartCase(name: "parse error", files: ["templates/r.yaml": "a: 1\nb: {{ if }}"]),
        ChartCase(name: "undefined function", files: ["templates/r.yaml": "a: {{ nosuch 1 }}"]),
        ChartCase(name: "template not defined", files: ["templates/r.yaml": #"a: {{ template "nope" }}"#]),
        ChartCase(name: "wrong argument type", files: ["templates/r.yaml": #"a: {{ include .Values.missing . }}"#]),
        ChartCase(name: "notes error", files: ["templates/a.yaml": "a: 1", "templates/NOTES.txt": #"{{ fail "notes" }}"#]),
        ChartCase(
            name: "recursive include",
            files: ["templates/r.yaml": #"a: {{ include "r" . }}{{ define "r" }}{{ include "r" . }}{{ end }}"#]),
        ChartCase(
            name: "recursive template",
            files: ["templates/r.yaml": #"a: {{ template "r" . }}{{ define "r" }}{{ template "r" . }}{{ end }}"#]),
    ]

    @Test(arguments: cases)
    func matchesHelm(_ chart: ChartCase) async throws {
        let directory = try TemporaryDirectory(prefix: "engine-conformance")
        defer { directory.remove() }
        try directory.write("conf/Chart.yaml", "apiVersion: v2\nname: conf\nversion: 0.1.0\n")
        try directory.write("conf/values.yaml", chart.valuesYAML + "\n")
        for (path, text) in chart.files { try directory.write("conf/" + path, text) }
        let helm = try await Self.helmTemplate(directory.path + "/conf")
        let keelson = Self.keelsonTemplate(chart)
        switch (helm, keelson) {
        case (.success(let expected), .success(let actual)): #expect(actual == expected)
        case (.failure(let expected), .failure(let actual)): #expect(actual.message == expected.message)
        default: Issue.record("helm: \(helm)\nkeelson: \(keelson)")
        }
    }

    struct HelmFailure: Error { var message: String }

    /// Runs `helm template` and returns each source file's trimmed, non-empty documents, or Helm's error text.
    static func helmTemplate(_ chart: String) async throws -> Result<[String: [String]], HelmFailure> {
        let result = try await HelmReference.run(["template", "rel", chart])
        guard result.status == 0 else {
            var text = result.errorOutput
            if text.hasPrefix("Error: ") { text.removeFirst("Error: ".count) }
            if let range = text.range(of: "\n\nUse --debug flag") { text = String(text[..<range.lowerBound]) }
            return .failure(HelmFailure(message: text.trimmingCharacters(in: .whitespacesAndNewlines)))
        }
        var documents: [String: [String]] = [:]
        for part in result.output.components(separatedBy: "---\n# Source: ").dropFirst() {
            guard let newline = part.firstIndex(of: "\n") else { continue }
            let source = String(part[..<newline])
            let body = part[part.index(after: newline)...].trimmingCharacters(in: .whitespacesAndNewlines)
            if !body.isEmpty { documents[source, default: []].append(body) }
        }
        return .success(documents)
    }

    /// Renders the same chart with Keelson's engine and splits the output as Helm does.
    static func keelsonTemplate(_ chart: ChartCase) -> Result<[String: [String]], TemplateRenderError> {
        var templates: [String: RenderableTemplate] = [:]
        for (path, text) in chart.files {
            let parts = path.split(separator: "/").map(String.init)
            if parts.first == "templates" {
                templates["conf/" + path] = RenderableTemplate(text: text, data: data(chart.values, chart: "conf"), basePath: "conf/templates")
            } else if parts.count > 3, parts[0] == "charts", parts[2] == "templates" {
                let sub = parts[1]
                var values: Value = .map([:])
                if let own = chart.values.mapEntries?[sub] { values = own }
                templates["conf/" + path] = RenderableTemplate(
                    text: text, data: data(values, chart: sub), basePath: "conf/charts/\(sub)/templates")
            }
        }
        do {
            let rendered = try TemplateEngine().render(templates)
            var documents: [String: [String]] = [:]
            for (path, output) in rendered where !path.hasSuffix("NOTES.txt") {
                for document in output.components(separatedBy: "\n---") {
                    let body = document.trimmingCharacters(in: .whitespacesAndNewlines)
                    let trimmed = body.hasPrefix("---") ? String(body.dropFirst(3)).trimmingCharacters(in: .whitespacesAndNewlines) : body
                    if !trimmed.isEmpty { documents[path, default: []].append(trimmed) }
                }
            }
            return .success(documents)
        } catch {
            return .failure(error)
        }
    }

    static func data(_ values: Value, chart: String) -> Value {
        .map(["Values": values, "Chart": .map(["Name": .string(chart)]), "Release": .map(["Name": .string("rel")])])
    }
}
