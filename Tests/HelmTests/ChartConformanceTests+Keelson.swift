import Foundation
import Helm
import KeelsonFoundation
import KeelsonTesting

extension ChartConformanceTests {
    /// Renders a case with Keelson in process, as `keelson helm template` does with the same flags.
    static func keelson(_ chartCase: ChartCase) -> Outcome {
        do {
            let flags = try TemplateFlags(chartCase.arguments)
            var capabilities = Capabilities()
            if let text = flags.kubeVersion {
                do {
                    capabilities.kubeVersion = try KubeVersion.parse(text)
                } catch {
                    return .failed("invalid kube version '\(text)': \(error)")
                }
            }
            capabilities.apiVersions += flags.apiVersions
            let path = charts + "/" + chartCase.chart
            let chart =
                path.hasSuffix(".tgz")
                ? try ChartLoader.load(archive: try read(path))
                : try ChartLoader.load(directory: try SecureRoot(directory: path), path: ".")
            let values = try HelmValueOptions(
                files: flags.files, set: flags.set, setString: flags.setString, setJSON: flags.setJSON, setLiteral: flags.setLiteral,
                setFile: flags.setFile
            ).merged { file in String(decoding: try read(charts + "/" + file), as: UTF8.self) }
            let release = ReleaseInfo(name: chartCase.release, namespace: flags.namespace, isUpgrade: flags.isUpgrade)
            let rendered = try ChartRenderer(options: .init(release: release, capabilities: capabilities)).render(chart, values: values)
            let output = rendered.templateOutput(includeCRDs: flags.includeCRDs, skipTests: flags.skipTests, noHooks: flags.noHooks)
            return .rendered(HelmReference.documents(output))
        } catch {
            return .failed(String(describing: error))
        }
    }

    /// Reads a file a flag names.
    static func read(_ path: String) throws -> [UInt8] {
        guard let data = FileManager.default.contents(atPath: path) else { throw FlagError("open \(path): no such file or directory") }
        return Array(data)
    }

    /// A flag the table's parser does not know.
    struct FlagError: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// The `helm template` flags the cases use, read as Helm reads them.
    struct TemplateFlags {
        var namespace = "default"
        var files: [String] = []
        var set: [String] = []
        var setString: [String] = []
        var setJSON: [String] = []
        var setLiteral: [String] = []
        var setFile: [String] = []
        var kubeVersion: String?
        var apiVersions: [String] = []
        var includeCRDs = false
        var skipTests = false
        var isUpgrade = false
        var noHooks = false

        init(_ arguments: [String]) throws {
            var remaining = arguments[...]
            while let flag = remaining.popFirst() {
                switch flag {
                case "--include-crds": includeCRDs = true
                case "--skip-tests": skipTests = true
                case "--is-upgrade": isUpgrade = true
                case "--no-hooks": noHooks = true
                default:
                    guard let value = remaining.popFirst() else { throw FlagError("flag needs an argument: \(flag)") }
                    switch flag {
                    case "-n", "--namespace": namespace = value
                    case "-f", "--values": files.append(value)
                    case "--set": set.append(value)
                    case "--set-string": setString.append(value)
                    case "--set-json": setJSON.append(value)
                    case "--set-literal": setLiteral.append(value)
                    case "--set-file": setFile.append(value)
                    case "--kube-version": kubeVersion = value
                    case "-a", "--api-versions": apiVersions.append(value)
                    default: throw FlagError("unknown flag: \(flag)")
                    }
                }
            }
        }
    }
}
