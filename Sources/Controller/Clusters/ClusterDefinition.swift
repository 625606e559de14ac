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
/// `serverName`. Nothing of `config` is ever printed.
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
        if let token = config["bearerToken"]?.stringValue, !token.isEmpty {
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
}

extension ClusterDefinition {
    /// The cluster Secret (in `namespace`) that registers `configuration` as cluster `name`:
    /// what `keelson cluster add` writes. A token file is read now; exec credential plugins are
    /// refused (the controller runs no plugins).
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
        case .exec:
            throw refused("exec credential plugins cannot be stored in a cluster Secret; use a ServiceAccount token or a client certificate")
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
