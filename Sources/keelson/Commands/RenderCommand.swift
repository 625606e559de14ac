import ArgumentParser
import Manifests
import Render

/// `keelson render PATH [-o yaml|json]`: prints the objects a path renders to: a plain
/// directory in apply order, a kustomization in kustomize's own order.
struct RenderCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "render",
        abstract: "Render a kustomization, or a directory or file of manifests sorted in apply order."
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case yaml, json }

    @Argument(help: "A directory with a kustomization, a directory of YAML/JSON manifests, or one file.")
    var path: String

    @Option(name: .shortAndLong, help: "Output format: yaml or json (one v1 List).")
    var output: Format = .yaml

    @OptionGroup var options: RenderOptions

    func run() async throws {
        let result = try await options.renderUnwrapping(path)
        switch output {
        case .yaml:
            CLI.write(YAMLEncoder.encodeDocuments(result.manifests.map(\.value)))
        case .json:
            let list: JSONValue = ["apiVersion": "v1", "kind": "List", "items": .array(result.manifests.map(\.value))]
            CLI.write(JSONWriter.pretty(list))
        }
    }
}
