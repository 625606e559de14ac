import ArgumentParser
import Fleet

/// `keelson controller`'s flags for running Argo CD's and Flux's objects as they are.
struct ForeignObjectsOptions: ParsableArguments {
    @Flag(
        name: .customLong("argocd-objects"),
        help:
            "Run Argo CD's Applications and AppProjects (argoproj.io/v1alpha1) as Keelson objects where their CRDs are served; only once Argo CD is stopped."
    )
    var argoCD = false

    @Flag(
        name: .customLong("flux-objects"),
        help:
            "Run Flux's Kustomizations and HelmReleases (with their sources) as Keelson objects where their CRDs are served; only once Flux is stopped."
    )
    var flux = false

    /// The service's settings, or `nil` when neither is asked for.
    func configuration() -> ForeignObjectsConfiguration? {
        guard argoCD || flux else { return nil }
        var configuration = ForeignObjectsConfiguration()
        configuration.readArgoCD = argoCD
        configuration.readFlux = flux
        return configuration
    }
}
