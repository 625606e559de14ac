import Foundation

/// Where to look for configuration, as `--kubeconfig`, `--context` and the environment say.
public struct KubeconfigOptions: Sendable {
    /// `--kubeconfig`: only this file is read, and it must exist.
    public var explicitPath: String?
    /// `--context`: the context to use instead of `current-context`.
    public var context: String?
    /// Allow clusters with `insecure-skip-tls-verify`.
    public var allowInsecure: Bool
    /// The environment (`KUBECONFIG`, `KUBERNETES_SERVICE_HOST`, `HOME`); the process's by default.
    public var environment: [String: String]
    /// The home directory holding `.kube/config`.
    public var homeDirectory: String
    /// The service-account directory for in-cluster configuration.
    public var serviceAccountDirectory: String

    /// The standard service-account directory inside a pod.
    public static let defaultServiceAccountDirectory = "/var/run/secrets/kubernetes.io/serviceaccount"

    /// Creates options.
    public init(
        explicitPath: String? = nil, context: String? = nil, allowInsecure: Bool = false,
        environment: [String: String] = ProcessInfo.processInfo.environment, homeDirectory: String? = nil,
        serviceAccountDirectory: String = KubeconfigOptions.defaultServiceAccountDirectory
    ) {
        self.explicitPath = explicitPath
        self.context = context
        self.allowInsecure = allowInsecure
        self.environment = environment
        self.homeDirectory = homeDirectory ?? environment["HOME"] ?? NSHomeDirectory()
        self.serviceAccountDirectory = serviceAccountDirectory
    }

    /// The kubeconfig files to merge, in precedence order.
    public var kubeconfigPaths: [String] {
        if let explicitPath, !explicitPath.isEmpty { return [explicitPath] }
        if let list = environment["KUBECONFIG"], !list.isEmpty {
            return list.split(separator: ":", omittingEmptySubsequences: true).map(String.init)
        }
        return [homeDirectory + "/.kube/config"]
    }
}

extension KubeConfiguration {
    /// Loads configuration like kubectl: `--kubeconfig`, else the merged `$KUBECONFIG` list,
    /// else `~/.kube/config`; with none of them present, the in-cluster service account.
    public static func load(_ options: KubeconfigOptions = KubeconfigOptions()) throws(KubeconfigError) -> KubeConfiguration {
        let paths = options.kubeconfigPaths
        let config = try Kubeconfig.load(paths: paths, requireExisting: options.explicitPath != nil)
        let hasConfig = !config.contexts.isEmpty || !config.clusters.isEmpty
        if !hasConfig && options.explicitPath == nil && options.context == nil,
            options.environment["KUBERNETES_SERVICE_HOST"] != nil
        {
            return try inCluster(environment: options.environment, serviceAccountDirectory: options.serviceAccountDirectory)
        }
        guard hasConfig else {
            throw KubeconfigError(.notFound, "no kubeconfig found (looked in \(paths.joined(separator: ", "))) and not running in a cluster")
        }
        return try KubeConfiguration(kubeconfig: config, context: options.context, allowInsecure: options.allowInsecure)
    }

    /// The in-cluster configuration: `KUBERNETES_SERVICE_HOST`/`PORT`, and the service
    /// account's token (re-read as it rotates), CA and namespace from `serviceAccountDirectory`.
    public static func inCluster(
        environment: [String: String] = ProcessInfo.processInfo.environment,
        serviceAccountDirectory: String = KubeconfigOptions.defaultServiceAccountDirectory
    ) throws(KubeconfigError) -> KubeConfiguration {
        guard let host = environment["KUBERNETES_SERVICE_HOST"], !host.isEmpty,
            let port = environment["KUBERNETES_SERVICE_PORT"], !port.isEmpty
        else {
            throw KubeconfigError(.notFound, "not running in a cluster: KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be set")
        }
        let tokenPath = serviceAccountDirectory + "/token"
        guard FileManager.default.fileExists(atPath: tokenPath) else {
            throw KubeconfigError(.notFound, "service account token is missing", file: tokenPath)
        }
        let caPath = serviceAccountDirectory + "/ca.crt"
        let ca = try Kubeconfig.readFile(caPath, what: "service account CA", limit: maximumCredentialFileSize, from: caPath)
        let namespacePath = serviceAccountDirectory + "/namespace"
        var namespace = "default"
        if FileManager.default.fileExists(atPath: namespacePath) {
            let bytes = try Kubeconfig.readFile(namespacePath, what: "namespace", limit: 4096, from: namespacePath)
            let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { namespace = text }
        }
        let hostPart = host.contains(":") ? "[\(host)]" : host
        return KubeConfiguration(
            server: "https://\(hostPart):\(port)", tls: TLS(certificateAuthorityPEM: ca), credentials: .tokenFile(tokenPath),
            namespace: namespace)
    }
}
