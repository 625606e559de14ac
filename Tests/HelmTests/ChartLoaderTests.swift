import Foundation
import GoTemplate
import KeelsonFoundation
import KeelsonTesting
import Testing

@testable import Helm

@Suite struct ChartLoaderTests {
    /// A template listing `.Files` so the real helm shows which files it kept.
    static let filesTemplate = "{{ range $path, $_ := .Files.Glob \"**\" }}{{ $path }}\n{{ end }}"

    static func chart(name: String) -> [String: String] {
        [
            "\(name)/Chart.yaml": "apiVersion: v2\nname: \(name)\nversion: 0.1.0\n",
            "\(name)/values.yaml": "replicas: 2\nimage:\n  tag: v1\n",
            "\(name)/values.schema.json": "{\"type\": \"object\"}\n",
            "\(name)/templates/_helpers.tpl": "{{ define \"x\" }}x{{ end }}\n",
            "\(name)/templates/NOTES.txt": "notes\n",
            "\(name)/templates/cm.yaml": "kind: ConfigMap\n",
            "\(name)/templates/.hidden.yaml": "kind: Hidden\n",
            "\(name)/templates/files.yaml": "files: |\n" + filesTemplate.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n") + "\n",
            "\(name)/crds/crd.yaml": "kind: CustomResourceDefinition\n",
            "\(name)/README.md": "readme\n",
            "\(name)/docs/guide.md": "guide\n",
            "\(name)/notes.bak": "backup\n",
            "\(name)/secret.txt": "top-level only\n",
            "\(name)/sub/secret.txt": "kept: the rule is anchored\n",
            "\(name)/.helmignore": "# comment\n*.bak\n/secret.txt\ndocs/\n",
            "\(name)/charts/child/Chart.yaml": "apiVersion: v2\nname: child\nversion: 1.0.0\n",
            "\(name)/charts/child/templates/c.yaml": "kind: Child\n",
            "\(name)/charts/child/extra.txt": "child file\n",
            "\(name)/charts/_ignored/Chart.yaml": "not: a chart\n",
            "\(name)/charts/child.prov": "signature\n",
        ]
    }

    // Files are classified as Helm's loader does, and .helmignore (plus the default rule for
    // dotfiles in templates/) removes the same files helm removes.
    @Test func classifiesFilesAsHelmDoes() async throws {
        let fixture = try ChartFixture(Self.chart(name: "app"))
        defer { fixture.directory.remove() }
        let chart = try fixture.load("app")
        #expect(chart.name == "app")
        #expect(
            chart.templates.map(\.name).sorted() == ["templates/NOTES.txt", "templates/_helpers.tpl", "templates/cm.yaml", "templates/files.yaml"])
        #expect(chart.values["replicas"].map { "\($0)" } == "\(Value.float(2))")
        #expect(chart.schema.map { String(decoding: $0, as: UTF8.self) } == "{\"type\": \"object\"}\n")
        #expect(chart.crds.map(\.name) == ["crds/crd.yaml"])
        #expect(chart.dependencies.map(\.name) == ["child"])
        #expect(chart.allCRDs().map(\.name) == ["app/crds/crd.yaml"])

        let (output, error) = try await HelmRun.template(fixture.path("app"))
        #expect(error == nil)
        let sources = HelmRun.sources(output)
        let helmFiles = (sources["app/templates/files.yaml"] ?? "").split(separator: "\n").dropFirst().map {
            $0.trimmingCharacters(in: .whitespaces)
        }
        #expect(chart.files.map(\.name).sorted() == helmFiles.sorted())
        let rendered = Set(sources.keys)
        let ours = Set(
            chart.tree().flatMap { node in
                node.chart.templates.filter { !$0.name.hasSuffix("NOTES.txt") && !($0.name.split(separator: "/").last!.hasPrefix("_")) }
                    .map { node.fullPath + "/" + $0.name }
            })
        #expect(ours == rendered)
    }

    // An archive built by the real `helm package` loads to the same chart as its directory,
    // subchart archives in charts/ included.
    @Test func loadsArchivesLikeDirectories() async throws {
        var files = Self.chart(name: "app")
        files["app/.helmignore"] = nil
        let fixture = try ChartFixture(files)
        defer { fixture.directory.remove() }
        let helm = try HelmReference.executable()
        let packaged = try await ProcessRunner.run(helm, ["package", fixture.path("app/charts/child"), "-d", fixture.path("app/charts")])
        #expect(packaged.status == 0, "\(packaged.errorOutput)")
        try FileManager.default.removeItem(atPath: fixture.path("app/charts/child"))
        let result = try await ProcessRunner.run(helm, ["package", fixture.path("app"), "-d", fixture.path()])
        #expect(result.status == 0, "\(result.errorOutput)")
        let archive = try Array(Data(contentsOf: URL(fileURLWithPath: fixture.path("app-0.1.0.tgz"))))
        let chart = try ChartLoader.load(archive: archive)
        let directory = try fixture.load("app")
        #expect(chart.templates.map(\.name).sorted() == directory.templates.map(\.name).sorted())
        #expect(chart.files.map(\.name).sorted() == directory.files.map(\.name).sorted())
        #expect(chart.dependencies.map(\.name) == ["child"])
        #expect(chart.dependencies.first?.files.map(\.name) == ["extra.txt"])
        #expect(chart.values.keys.sorted() == ["image", "replicas"])
    }

    // Scalars in string fields read as sigs.k8s.io/yaml writes them (floats through float32 'g').
    @Test func scalarFieldsReadAsHelmReadsThem() throws {
        let fixture = try ChartFixture([
            "c/Chart.yaml": "apiVersion: v2\nname: c\nversion: 1.0\nappVersion: 1.10\ndescription: 0x10\nhome: 1e3\nicon: true\n"
        ])
        defer { fixture.directory.remove() }
        let metadata = try fixture.load("c").metadata
        #expect([metadata.version, metadata.appVersion, metadata.description, metadata.home, metadata.icon] == ["1", "1.1", "16", "1000", "true"])
    }

    // Chart.yaml is read and validated with Helm's rules and messages.
    @Test(arguments: [
        "apiVersion: v2\nname: v\nversion: 1.0\n",  // a float version reads as "1"
        "apiVersion: v2\nname: v\nversion: \"v1.2.3\"\n",  // a leading v is allowed
        "apiVersion: v2\nname: v\nversion: \"01.2.3\"\n",  // leading zeros in the numbers are allowed
        "apiVersion: v2\nname: v\nversion: \"1.2.3.4\"\n",  // four numbers are not
        "apiVersion: v2\nname: v\nversion: \"1.0.0-01\"\n",  // nor a numeric pre-release with a leading zero
        "apiVersion: v2\nname: v\n",  // version is required
        "name: v\nversion: 1.2.3\n",  // a missing apiVersion means v1
        "apiVersion: v3\nname: v\nversion: 1.2.3\n",  // unknown apiVersion
        "apiVersion: v2\nversion: 1.2.3\n",  // name is required
        "apiVersion: v2\nname: a/b\nversion: 1.2.3\n",  // name must be a base name
        "apiVersion: v2\nname: v\nversion: 1.2.3\ntype: foo\n",  // type is application or library
        "apiVersion: v2\nname: v\nversion: 1.2.3\ntype: library\n",  // a library chart is not installable
        "apiVersion: v2\nname: v\nversion: 1.2.3\nkubeVersion: \">=1.40\"\n",  // kubeVersion excludes the default v1.36.0
        "apiVersion: v2\nname: v\nversion: 1.2.3\nkubeVersion: \">=1.20.0-0\"\n",  // and includes it here
        "apiVersion: v2\nname: v\nversion: 1.2.3\nkubeVersion: garbage\n",  // an unreadable constraint is incompatible
        "apiVersion: v2\nname: v\nversion: 1.2.3\ndependencies:\n- name: x\n  alias: a.b\n",  // alias characters
        "apiVersion: v2\nname: v\nversion: 1.2.3\ndependencies:\n- name: x\n- name: x\n",  // duplicate dependency
        "apiVersion: v2\nname: v\nversion: 1.2.3\ndependencies:\n- null\n",  // null dependency
        "apiVersion: v2\nname: v\nversion: 1.2.3\ndependencies:\n- name: missing\n  version: 1.0.0\n",  // not in charts/
        "apiVersion: v2\nname: v\nversion: 1.2.3\nmaintainers:\n- null\n",  // null maintainer
        "apiVersion: v2\nname: v\nversion: 1.2.3\nappVersion: [1]\n",  // a list in a string field
        "apiVersion: v2\nname: v\nversion: 1.2.3\nkeywords: a\n",  // a string in a list field
        "apiVersion: v2\nName: v\nversion: 1.2.3\n",  // field names match case-insensitively
    ])
    func chartYAMLMatchesHelm(_ chartYAML: String) async throws {
        let fixture = try ChartFixture(["c/Chart.yaml": chartYAML, "c/templates/v.yaml": "v: {{ .Chart.Version }} {{ .Chart.Name }}\n"])
        defer { fixture.directory.remove() }
        let (_, helmError) = try await HelmRun.template(fixture.path("c"))
        var ours: String?
        do {
            _ = try ChartValues.prepare(chart: try fixture.load("c"), user: [:])
        } catch let error as ChartError {
            ours = error.message
        }
        #expect(ours == helmError?.trimmingCharacters(in: .newlines).components(separatedBy: "\n\n").first)
    }
}
