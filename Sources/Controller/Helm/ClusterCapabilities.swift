import Helm
import Kube

/// `.Capabilities` from live discovery, as Helm builds them when it talks to a cluster: the
/// server's version, and every served `group/version` and `group/version/Kind`; then
/// `helm.kubeVersion` replaces the version and `helm.apiVersions` are added.
enum ClusterCapabilities {
    /// The capabilities of the destination, read through `client`.
    static func read(_ client: any KubernetesAPI, helm: ApplicationSpec.HelmOptions) async throws(KubeError) -> Capabilities {
        let version = try await client.serverVersion()
        let resources = try await client.serverResources(refresh: false)
        return capabilities(server: version, resources: resources, helm: helm)
    }

    /// The capabilities for a server reporting `server` and serving `resources`, with the
    /// Application's overrides. A `kubeVersion` the parser refused never gets here.
    static func capabilities(server: ServerVersion, resources: [APIResource], helm: ApplicationSpec.HelmOptions) -> Capabilities {
        let kubeVersion =
            helm.kubeVersion.flatMap(KubeVersion.init(parsing:)) ?? KubeVersion(parsing: server.gitVersion)
            ?? KubeVersion(parsing: "\(server.major).\(server.minor.filter(\.isNumber))") ?? Capabilities.defaultKubeVersion
        var versions = Set<String>()
        for resource in resources {
            let gvk = resource.groupVersionKind
            versions.insert(gvk.apiVersion)
            versions.insert(gvk.apiVersion + "/" + gvk.kind)
        }
        var apiVersions = versions.sorted()
        apiVersions += helm.apiVersions.filter { !versions.contains($0) }
        return Capabilities(kubeVersion: kubeVersion, apiVersions: apiVersions)
    }
}
