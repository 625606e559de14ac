import Foundation
import Kube
import Manifests

/// A cluster Applications may deploy to, registered as a Secret in the controller's namespace
/// labelled `keelson.dev/secret-type: cluster`, in Argo CD's format:
///
/// ```yaml
/// apiVersion: v1
/// kind: Secret
/// metadata: {name: cluster-staging, namespace: keelson, labels: {keelson.dev/secret-type: cluster}}
/// stringData:
///   name: staging                       # what spec.destination.cluster names
///   server: https://staging.example.com:6443
///   config: |                           # bearerToken or username/password; TLS settings
///     {"bearerToken": "...", "tlsClientConfig": {"caData": "<base64 PEM>", "insecure": false}}
/// ```
///
/// `tlsClientConfig` also takes `certData` and `keyData` (base64 PEM, a client certificate) and
/// `serverName`. Instead of a token, `execProviderConfig` names a credential plugin the controller
/// runs, as Argo CD's does (`{"command": "aws", "args": ["eks", "get-token", …], "env": {"K": "V"},
/// "apiVersion": "client.authentication.k8s.io/v1beta1", "installHint": "…"}`): the program must be
/// in the controller's image. Nothing of `config` is ever printed.
public struct ClusterDefinition: Sendable {
    /// The label that marks cluster Secrets, and its value.
    public static let label = "keelson.dev/secret-type"
    public static let labelValue = "cluster"

    /// The name Applications use.
    public var name: String
    /// How to reach it.
    public var configuration: KubeConfiguration
    /// The Secret's resourceVersion: a change rebuilds the cluster's client.
    public var version: String

    /// Whether `name` may name a registered cluster: a DNS label, and not `in-cluster`.
    public static func isValidName(_ name: String) -> Bool {
        Application.isDNSLabel(name) && name != ApplicationSpec.Destination.inCluster
    }

    /// Reads a cluster Secret; `nil` for a Secret without the label.
    public static func parse(_ secret: Manifest) throws(ApplicationError) -> ClusterDefinition? {
        guard secret.labels[label] == labelValue else { return nil }
        func field(_ key: String) -> String? {
            if let text = secret.object["stringData"]?[key]?.stringValue { return text }
            guard let encoded = secret.object["data"]?[key]?.stringValue, let data = Data(base64Encoded: encoded) else { return nil }
            return String(decoding: data, as: UTF8.self)
        }
        func invalid(_ message: String) -> ApplicationError {
            ApplicationError(application: "\(secret.namespace)/\(secret.name)", field: "data", message: message, kind: "Secret")
        }
        guard let name = field("name"), isValidName(name) else {
            throw invalid("data.name must be a cluster name (lowercase letters, digits, '-', at most 63), not in-cluster")
        }
        guard let server = field("server"), let url = URL(string: server), ["https", "http"].contains(url.scheme ?? "") else {
            throw invalid("data.server must be an http(s) URL of the API server")
        }
        let config: JSONValue
        do { config = try JSONParser.parse(Array((field("config") ?? "{}").utf8), file: "config") } catch {
            throw invalid("data.config must be JSON (bearerToken, username, password, tlsClientConfig)")
        }
        func pem(_ key: String) throws(ApplicationError) -> [UInt8]? {
            guard let text = config["tlsClientConfig"]?[key]?.stringValue else { return nil }
            guard let data = Data(base64Encoded: text) else { throw invalid("tlsClientConfig.\(key) must be base64") }
            return Array(data)
        }
        let tls = KubeConfiguration.TLS(
            certificateAuthorityPEM: try pem("caData"), clientCertificatePEM: try pem("certData"), clientKeyPEM: try pem("keyData"),
            insecureSkipVerify: config["tlsClientConfig"]?["insecure"]?.boolValue ?? false,
            serverName: config["tlsClientConfig"]?["serverName"]?.stringValue)
        let credentials: KubeConfiguration.Credentials
        if let exec = config["execProviderConfig"], !exec.isNull {
            credentials = .exec(try execConfig(exec, invalid), server: server, certificateAuthorityPEM: tls.certificateAuthorityPEM)
        } else if let token = config["bearerToken"]?.stringValue, !token.isEmpty {
            credentials = .token(token)
        } else if let username = config["username"]?.stringValue, let password = config["password"]?.stringValue {
            credentials = .basic(username: username, password: password)
        } else {
            credentials = .none
        }
        return ClusterDefinition(
            name: name, configuration: KubeConfiguration(server: server, tls: tls, credentials: credentials, contextName: name),
            version: secret.resourceVersion ?? "")
    }

    /// Argo CD's `execProviderConfig`: `env` is a map, `apiVersion` is required.
    private static func execConfig(_ exec: JSONValue, _ invalid: (String) -> ApplicationError) throws(ApplicationError) -> Kubeconfig.ExecConfig {
        guard let command = exec["command"]?.stringValue, !command.isEmpty else { throw invalid("execProviderConfig.command is required") }
        guard let apiVersion = exec["apiVersion"]?.stringValue, ExecPlugin.supportedAPIVersions.contains(apiVersion) else {
            throw invalid("execProviderConfig.apiVersion must be client.authentication.k8s.io/v1 or v1beta1")
        }
        let arguments = exec["args"]?.arrayValue ?? []
        guard arguments.allSatisfy({ $0.stringValue != nil }) else { throw invalid("execProviderConfig.args must be strings") }
        var environment: [(name: String, value: String)] = []
        for (name, value) in (exec["env"]?.objectValue ?? [:]).sorted(by: { $0.key < $1.key }) {
            guard let text = value.stringValue else { throw invalid("execProviderConfig.env values must be strings") }
            environment.append((name, text))
        }
        // The controller runs without a terminal.
        return Kubeconfig.ExecConfig(
            command: command, args: arguments.compactMap(\.stringValue), env: environment, apiVersion: apiVersion,
            installHint: exec["installHint"]?.stringValue ?? "", provideClusterInfo: exec["provideClusterInfo"]?.boolValue ?? false,
            interactiveMode: "Never")
    }
}

extension ClusterDefinition {
    /// The cluster Secret (in `namespace`) that registers `configuration` as cluster `name`:
    /// what `keelson cluster add` writes. A token file is read now; an exec credential plugin is
    /// stored as `execProviderConfig`, which the controller runs (so it must be in its image).
    public static func secret(name: String, configuration: KubeConfiguration, namespace: String) throws(ApplicationError) -> Manifest {
        func refused(_ message: String) -> ApplicationError {
            ApplicationError(application: "\(namespace)/cluster-\(name)", field: "data", message: message, kind: "Secret")
        }
        guard isValidName(name) else {
            throw refused("the cluster name must be lowercase letters, digits and '-' (at most 63), not in-cluster")
        }
        var config = JSONObject()
        switch configuration.credentials {
        case .none: break
        case .token(let token): config["bearerToken"] = .string(token)
        case .tokenFile(let path):
            guard let token = try? String(contentsOfFile: path, encoding: .utf8) else { throw refused("cannot read the token file \(path)") }
            config["bearerToken"] = .string(token.trimmingCharacters(in: .whitespacesAndNewlines))
        case .basic(let username, let password):
            config["username"] = .string(username)
            config["password"] = .string(password)
        case .exec(let exec, _, _):
            var plugin: JSONObject = [
                "command": .string(exec.command), "args": .array(exec.args.map { .string($0) }), "apiVersion": .string(exec.apiVersion),
            ]
            if !exec.env.isEmpty {
                var environment = JSONObject()
                for variable in exec.env { environment[variable.name] = .string(variable.value) }
                plugin["env"] = .object(environment)
            }
            if !exec.installHint.isEmpty { plugin["installHint"] = .string(exec.installHint) }
            // Not in Argo CD's schema; Keelson keeps the kubeconfig's choice.
            if exec.provideClusterInfo { plugin["provideClusterInfo"] = true }
            config["execProviderConfig"] = .object(plugin)
        }
        var tls = JSONObject()
        if let pem = configuration.tls.certificateAuthorityPEM { tls["caData"] = .string(Data(pem).base64EncodedString()) }
        if let pem = configuration.tls.clientCertificatePEM { tls["certData"] = .string(Data(pem).base64EncodedString()) }
        if let pem = configuration.tls.clientKeyPEM { tls["keyData"] = .string(Data(pem).base64EncodedString()) }
        if configuration.tls.insecureSkipVerify { tls["insecure"] = true }
        if let serverName = configuration.tls.serverName { tls["serverName"] = .string(serverName) }
        if !tls.isEmpty { config["tlsClientConfig"] = .object(tls) }
        return Manifest(unchecked: [
            "apiVersion": "v1", "kind": "Secret",
            "metadata": [
                "name": .string("cluster-" + name), "namespace": .string(namespace), "labels": [label: .string(labelValue)],
            ],
            "type": "Opaque",
            "stringData": ["name": .string(name), "server": .string(configuration.server), "config": .string(JSONWriter.compact(.object(config)))],
        ])
    }
}
