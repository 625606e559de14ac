import ArgumentParser
import Foundation
import Helm
import KeelsonFoundation

/// `keelson helm template RELEASE CHART`: renders a chart as `helm template` does, in process.
struct HelmCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "helm", abstract: "Work with Helm charts, natively (no helm binary).", subcommands: [HelmTemplateCommand.self])
}

/// `keelson helm template`.
struct HelmTemplateCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "template",
        abstract: "Render a chart as `helm template` (Helm 4.2.3) does: same objects, same order, same errors.")

    @Argument(help: "The release name.")
    var release: String

    @Argument(help: "A chart directory or a packaged chart (.tgz).")
    var chart: String

    @Option(name: .shortAndLong, help: "The release namespace.")
    var namespace = "default"

    @Option(name: [.customShort("f"), .customLong("values")], help: "A values file (repeatable; later files win).")
    var valueFiles: [String] = []

    @Option(name: .customLong("set"), help: "Set a value: a.b=1,c[0]=x (repeatable).")
    var set: [String] = []

    @Option(name: .customLong("set-string"), help: "Set a value as a string (repeatable).")
    var setString: [String] = []

    @Option(name: .customLong("set-json"), help: "Set a value from JSON: a={\"b\":1} (repeatable).")
    var setJSON: [String] = []

    @Option(name: .customLong("set-literal"), help: "Set one value to the literal text after '=' (repeatable).")
    var setLiteral: [String] = []

    @Option(name: .customLong("set-file"), help: "Set a value to a file's contents: a=path (repeatable).")
    var setFile: [String] = []

    @Option(name: .customLong("kube-version"), help: "The Kubernetes version templates see (default v1.36.0).")
    var kubeVersion: String?

    @Option(name: [.short, .customLong("api-versions")], help: "An API version templates see, added to the defaults (repeatable).")
    var apiVersions: [String] = []

    @Flag(name: .customLong("include-crds"), help: "Print the chart's crds/ files too.")
    var includeCRDs = false

    @Flag(name: .customLong("skip-tests"), help: "Leave out test hooks.")
    var skipTests = false

    @Flag(name: .customLong("is-upgrade"), help: "Render as an upgrade (.Release.IsUpgrade).")
    var isUpgrade = false

    @Flag(name: .customLong("no-hooks"), help: "Leave out hooks.")
    var noHooks = false

    @Option(
        name: [.short, .customLong("show-only")],
        help: "Print only the templates matching this path below the chart (templates/web.yaml, templates/*.yaml; repeatable).")
    var showOnly: [String] = []

    func run() throws {
        var capabilities = Capabilities()
        if let kubeVersion {
            do {
                capabilities.kubeVersion = try KubeVersion.parse(kubeVersion)
            } catch {
                throw HelmCLIError(message: "invalid kube version '\(kubeVersion)': \(error)")
            }
        }
        capabilities.apiVersions += apiVersions
        do {
            let chart = try Self.load(chart)
            let values = try HelmValueOptions(
                files: valueFiles, set: set, setString: setString, setJSON: setJSON, setLiteral: setLiteral, setFile: setFile
            ).merged { path in String(decoding: try Self.readFile(path), as: UTF8.self) }
            let options = ChartRenderer.Options(
                release: ReleaseInfo(name: release, namespace: namespace, isUpgrade: isUpgrade), capabilities: capabilities)
            let rendered = try ChartRenderer(options: options).render(chart, values: values)
            for warning in rendered.warnings { CLI.error("warning: \(warning)") }
            if showOnly.isEmpty {
                CLI.write(rendered.templateOutput(includeCRDs: includeCRDs, skipTests: skipTests, noHooks: noHooks))
            } else {
                CLI.write(try rendered.templateOutput(includeCRDs: includeCRDs, skipTests: skipTests, noHooks: noHooks, showOnly: showOnly))
            }
        } catch let error as HelmError {
            throw HelmCLIError(message: error.message)
        } catch let error as HelmValuesError {
            throw HelmCLIError(message: error.message)
        } catch let error as ChartError {
            throw HelmCLIError(message: error.message)
        }
    }

    /// A chart directory (read through a `SecureRoot`, so no symlink leaves it) or a `.tgz` archive.
    static func load(_ path: String) throws -> Chart {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw HelmCLIError(message: "path \"\(path)\" not found")
        }
        if isDirectory.boolValue {
            return try ChartLoader.load(directory: try SecureRoot(directory: path), path: ".")
        }
        return try ChartLoader.load(archive: try readFile(path))
    }

    static func readFile(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw HelmCLIError(message: "open \(path): no such file or directory")
        }
        return Array(data)
    }
}

/// A failure printed as Helm prints it: `Error: MESSAGE`.
struct HelmCLIError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
