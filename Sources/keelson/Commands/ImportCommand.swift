import ArgumentParser
import Fleet
import Foundation
import Manifests

/// `keelson import argocd|flux`: prints the Keelson objects equivalent to Argo CD's or Flux's,
/// read from files or from a cluster, and on standard error every field not carried over.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Translate Argo CD or Flux objects into Keelson Applications and Projects.",
        subcommands: [ImportArgoCDCommand.self, ImportFluxCommand.self])
}

struct ImportArgoCDCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "argocd",
        abstract: "Translate Argo CD Applications, AppProjects and ApplicationSets.",
        discussion: ImportOptions.discussion)

    @OptionGroup var options: ImportOptions

    func run() async throws { try await options.run(.argoCD) }
}

struct ImportFluxCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "flux",
        abstract: "Translate Flux Kustomizations and HelmReleases, with the sources they name.",
        discussion: ImportOptions.discussion)

    @OptionGroup var options: ImportOptions

    func run() async throws { try await options.run(.flux) }
}

/// The tool whose objects are imported: the kinds it reads, how they are translated, and what
/// is said of the objects it leaves alone.
enum ImportedTool {
    case argoCD, flux

    /// The kinds listed with `--from-cluster`: group, kind, and the versions tried in order.
    var servedKinds: [(group: String, kind: String, versions: [String])] {
        switch self {
        case .argoCD:
            [
                (ArgoCDTranslation.group, "Application", ["v1alpha1"]), (ArgoCDTranslation.group, "AppProject", ["v1alpha1"]),
                (ArgoCDTranslation.group, "ApplicationSet", ["v1alpha1"]),
            ]
        case .flux:
            [
                (FluxTranslation.kustomizeGroup, "Kustomization", ["v1", "v1beta2"]),
                (FluxTranslation.helmGroup, "HelmRelease", ["v2", "v2beta2", "v2beta1"]),
                (FluxTranslation.sourceGroup, "GitRepository", ["v1", "v1beta2"]),
                (FluxTranslation.sourceGroup, "HelmRepository", ["v1", "v1beta2"]),
                (FluxTranslation.sourceGroup, "HelmChart", ["v1", "v1beta2"]),
                (FluxTranslation.sourceGroup, "OCIRepository", ["v1", "v1beta2"]),
            ]
        }
    }

    func translate(_ manifests: [Manifest], options: TranslationOptions) -> Translation {
        switch self {
        case .argoCD: ArgoCDTranslation.translate(manifests, options: options)
        case .flux: FluxTranslation.translate(manifests, options: options)
        }
    }

    /// Why `manifest` is not translated, or nil when it is read.
    func skipReason(_ manifest: Manifest) -> String? {
        switch self {
        case .argoCD:
            if manifest.group == ArgoCDTranslation.group, ArgoCDTranslation.kinds.contains(manifest.kind) { return nil }
            return "not an Argo CD Application or AppProject"
        case .flux:
            if FluxTranslation.reads(manifest) { return nil }
            return "not a Flux Kustomization, HelmRelease or source"
        }
    }
}
