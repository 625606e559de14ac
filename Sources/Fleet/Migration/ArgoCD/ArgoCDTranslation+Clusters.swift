import Controller
import Foundation
import Manifests

extension ArgoCDTranslation {
    /// The label of Argo CD's cluster Secrets, and its value.
    public static let clusterSecretLabel = "argocd.argoproj.io/secret-type"
    public static let clusterSecretLabelValue = "cluster"

    /// API server URL → cluster name, from Argo CD's cluster Secrets (`data.server`, `data.name`):
    /// what `TranslationOptions.clusters` takes when the clusters are registered in Keelson under
    /// the names Argo CD gives them. Only those two keys are read; `config` never is. Secrets
    /// without the label, naming Argo CD's own cluster, or with a name Keelson cannot use, are left out.
    public static func clusters(fromSecrets secrets: [Manifest]) -> [String: String] {
        var result: [String: String] = [:]
        for secret in secrets where secret.kind == "Secret" && secret.labels[clusterSecretLabel] == clusterSecretLabelValue {
            func field(_ key: String) -> String? {
                if let text = secret.object["stringData"]?[key]?.stringValue { return text }
                guard let encoded = secret.object["data"]?[key]?.stringValue, let data = Data(base64Encoded: encoded) else { return nil }
                return String(decoding: data, as: UTF8.self)
            }
            guard let server = field("server"), let name = field("name"), ClusterDefinition.isValidName(name) else { continue }
            let trimmed = server.hasSuffix("/") ? String(server.dropLast()) : server
            guard trimmed != inClusterServer else { continue }
            result[trimmed] = name
        }
        return result
    }
}
