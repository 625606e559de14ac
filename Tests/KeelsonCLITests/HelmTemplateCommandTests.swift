import Foundation
import KeelsonTesting
import Manifests
import Testing

/// `keelson helm template` as a user runs it (the built binary, flags, files) against the real
/// `helm template` on the HelmTests fixture charts.
@Suite struct HelmTemplateCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    let charts = Fixtures.packageRoot() + "/Tests/HelmTests/Fixtures/charts"

    /// Runs both binaries in the charts folder with the same arguments.
    private func both(_ arguments: [String]) async throws -> (ours: ProcessResult, helm: ProcessResult) {
        let ours = try await ProcessRunner.run(keelson, ["helm", "template"] + arguments, directory: charts)
        let helm = try await HelmReference.run(["template"] + arguments, directory: charts)
        return (ours, helm)
    }

    /// Each document's `# Source:` path and parsed YAML.
    private func parsed(_ output: String) throws -> [String] {
        try HelmReference.documents(output).map { document in
            let values = try YAMLDecoder().decode(document.content, file: document.source).map(\.value)
            return document.source + " " + JSONWriter.compact(.array(values))
        }
    }

    /// The first line of an error, without the `Error: ` (helm) or `keelson: ` prefix; helm's log
    /// lines (`level=`) and Keelson's warnings before it are passed over.
    private func firstErrorLine(_ standardError: String) -> String {
        let lines = standardError.split(separator: "\n").filter { !$0.hasPrefix("level=") && !$0.hasPrefix("keelson: warning: ") }
        var text = Substring(lines.first ?? "")
        for prefix in ["Error: ", "keelson: "] where text.hasPrefix(prefix) {
            text = text.dropFirst(prefix.count)
            break
        }
        return String(text)
    }

    @Test func valueFilesAndEverySetFlavourRenderAsHelmRendersThem() async throws {
        let arguments = [
            "rel", "values-typing", "-f", "values-typing/overrides/prod.yaml", "--values", "values-typing/overrides/second.yaml",
            "--set", #"set.a=1,set.list[1]=x,set.esc=a\,b,set.dot\.key=v"#, "--set-string", "set.s=123", "--set-json", #"set.j={"k":[1,2.5]}"#,
            "--set-literal", "set.lit=a,b", "--set-file", "set.file=values-typing/overrides/note.txt", "--namespace", "team",
        ]
        let (ours, helm) = try await both(arguments)
        #expect(helm.status == 0, "\(helm.errorOutput)")
        #expect(ours.status == 0, "\(ours.errorOutput)")
        guard ours.status == 0, helm.status == 0 else { return }
        let mine = try parsed(ours.output)
        let theirs = try parsed(helm.output)
        #expect(mine == theirs)
    }

    @Test func chartFlagsRenderAsHelmRendersThem() async throws {
        let arguments = ["rel", "hooks", "--include-crds", "--skip-tests", "--is-upgrade", "--kube-version", "1.30.2", "-a", "example.invalid/v1"]
        let (ours, helm) = try await both(arguments)
        #expect(ours.status == 0, "\(ours.errorOutput)")
        guard ours.status == 0, helm.status == 0 else { return }
        #expect(try parsed(ours.output) == parsed(helm.output))
    }

    // --show-only: Go's filepath.Match on the template path below the chart, pattern by pattern.
    @Test(arguments: [
        ["rel", "hooks", "-s", "templates/kinds.yaml"],
        ["rel", "hooks", "-s", "templates/*.yaml", "--skip-tests"],
        ["rel", "hooks", "--show-only", "templates/tests/*", "-s", "templates/[^a-j]inds.yaml", "-s", "templates/kinds.yaml"],
        ["rel", "hooks", "--include-crds", "-s", "crds/*", "-s", "templates/\\kinds.yaml"],
        ["rel", "umbrella", "-s", "charts/*/templates/*.yaml"],
    ])
    func showOnlyPrintsWhatHelmPrints(_ arguments: [String]) async throws {
        let (ours, helm) = try await both(arguments)
        #expect(helm.status == 0, "\(helm.errorOutput)")
        #expect(ours.status == 0, "\(ours.errorOutput)")
        guard ours.status == 0, helm.status == 0 else { return }
        #expect(try parsed(ours.output) == parsed(helm.output))
    }

    @Test(arguments: [
        ["rel", "hooks", "-s", "templates/nope.yaml"],
        ["rel", "hooks", "-s", "templates/empty.yaml"],
        ["rel", "hooks", "-s", "templates/hooks.yaml", "--no-hooks"],
        ["rel", "hooks", "-s", "templates/kinds.yaml", "-s", "templates/["],
        ["rel", "hooks", "-s", "templates/*/*.yaml", "--skip-tests"],
        ["rel", "values-typing", "-f", "values-typing/overrides/missing.yaml"],
        ["rel", "values-typing", "--set-file", "a=values-typing/overrides/missing.txt"],
        ["rel", "values-typing", "--kube-version", "abc"],
        ["rel", "./no-such-chart"],
        ["rel", "errors", "--set", "mode=required"],
    ])
    func failuresPrintHelmsFirstErrorLine(_ arguments: [String]) async throws {
        let (ours, helm) = try await both(arguments)
        #expect(helm.status != 0)
        #expect(ours.status != 0)
        #expect(firstErrorLine(ours.errorOutput) == firstErrorLine(helm.errorOutput))
    }
}
