import Controller
import Kube
import Manifests

/// The clusters registered with Keelson, by API server URL: what an Argo CD destination's
/// `server` is mapped through when Argo CD's objects are read as they are.
enum RegisteredClusters {
    /// API server URL (without a trailing `/`) → cluster name, from the cluster Secrets of
    /// `namespace`; empty when they cannot be listed. Only `name` and `server` are read.
    static func servers(client: any KubernetesAPI, namespace: String) async -> [String: String] {
        let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")
        let selector: LabelSelector = [.equals(ClusterDefinition.label, ClusterDefinition.labelValue)]
        guard let list = try? await client.listAll(secrets, namespace: namespace, options: ListOptions(labelSelector: selector)) else {
            return [:]
        }
        var clusters: [String: String] = [:]
        for secret in list.items {
            guard let definition = try? ClusterDefinition.parse(secret) else { continue }
            let server = definition.configuration.server
            clusters[server.hasSuffix("/") ? String(server.dropLast()) : server] = definition.name
        }
        return clusters
    }
}
