import Foundation
import Manifests

extension Kubeconfig {
    /// Parses kubeconfig YAML; `file` (absolute) names it in errors and anchors relative paths.
    public static func parse(_ bytes: [UInt8], file: String) throws(KubeconfigError) -> Kubeconfig {
        let documents: [YAMLDocument]
        do {
            documents = try YAMLDecoder().decode(bytes, file: file)
        } catch {
            throw KubeconfigError(.syntax, "not valid YAML: \(error.message)", file: file, cause: error)
        }
        guard let root = documents.first?.value, !root.isNull else { return Kubeconfig() }
        guard root.objectValue != nil else { throw KubeconfigError(.syntax, "kubeconfig is not a mapping", file: file) }
        let directory = (file as NSString).deletingLastPathComponent
        let parser = EntryParser(file: file, directory: directory)
        var config = Kubeconfig()
        config.currentContext = root["current-context"]?.stringValue ?? ""
        for (name, entry) in try parser.namedList(root["clusters"], list: "clusters", field: "cluster") where config.clusters[name] == nil {
            config.clusters[name] = try parser.cluster(entry, name: name)
        }
        for (name, entry) in try parser.namedList(root["users"], list: "users", field: "user") where config.users[name] == nil {
            config.users[name] = try parser.user(entry, name: name)
        }
        for (name, entry) in try parser.namedList(root["contexts"], list: "contexts", field: "context") where config.contexts[name] == nil {
            config.contexts[name] = Context(
                cluster: entry["cluster"]?.stringValue ?? "", user: entry["user"]?.stringValue ?? "",
                namespace: entry["namespace"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 }
            )
        }
        return config
    }
}

/// Reads the entries of one kubeconfig file.
private struct EntryParser {
    let file: String
    let directory: String

    func namedList(_ value: JSONValue?, list: String, field: String) throws(KubeconfigError) -> [(String, JSONValue)] {
        guard let value, !value.isNull else { return [] }
        guard let items = value.arrayValue else { throw KubeconfigError(.syntax, "\(list) is not a list", file: file) }
        var result: [(String, JSONValue)] = []
        for item in items {
            guard let name = item["name"]?.stringValue, !name.isEmpty else {
                throw KubeconfigError(.invalid, "an entry in \(list) has no name", file: file)
            }
            result.append((name, item[field] ?? [:]))
        }
        return result
    }

    /// An absolute path for a path written in this file.
    func resolve(_ path: String?) -> String? {
        guard let path, !path.isEmpty else { return nil }
        if path.hasPrefix("/") { return path }
        if path.hasPrefix("~/") { return NSHomeDirectory() + path.dropFirst(1) }
        return directory + "/" + path
    }

    func base64(_ value: JSONValue?, field: String, entry: String) throws(KubeconfigError) -> [UInt8]? {
        guard let text = value?.stringValue, !text.isEmpty else { return nil }
        let cleaned = text.filter { !$0.isWhitespace }
        guard let data = Data(base64Encoded: cleaned) else {
            throw KubeconfigError(.invalid, "\(field) of \(entry) is not valid base64", file: file)
        }
        return [UInt8](data)
    }

    func bool(_ value: JSONValue?) -> Bool {
        value?.boolValue ?? (value?.stringValue == "true")
    }

    func cluster(_ entry: JSONValue, name: String) throws(KubeconfigError) -> Kubeconfig.Cluster {
        Kubeconfig.Cluster(
            server: entry["server"]?.stringValue ?? "",
            certificateAuthority: resolve(entry["certificate-authority"]?.stringValue),
            certificateAuthorityData: try base64(entry["certificate-authority-data"], field: "certificate-authority-data", entry: "cluster \(name)"),
            insecureSkipTLSVerify: bool(entry["insecure-skip-tls-verify"]),
            tlsServerName: entry["tls-server-name"]?.stringValue,
            file: file
        )
    }

    func user(_ entry: JSONValue, name: String) throws(KubeconfigError) -> Kubeconfig.User {
        let what = "user \(name)"
        return Kubeconfig.User(
            clientCertificate: resolve(entry["client-certificate"]?.stringValue),
            clientCertificateData: try base64(entry["client-certificate-data"], field: "client-certificate-data", entry: what),
            clientKey: resolve(entry["client-key"]?.stringValue),
            clientKeyData: try base64(entry["client-key-data"], field: "client-key-data", entry: what),
            token: entry["token"]?.stringValue.flatMap { $0.isEmpty ? nil : $0 },
            tokenFile: resolve(entry["tokenFile"]?.stringValue),
            username: entry["username"]?.stringValue,
            password: entry["password"]?.stringValue,
            exec: try exec(entry["exec"], user: name),
            authProvider: entry["auth-provider"]?["name"]?.stringValue,
            file: file
        )
    }

    func exec(_ value: JSONValue?, user: String) throws(KubeconfigError) -> Kubeconfig.ExecConfig? {
        guard let value, !value.isNull else { return nil }
        guard let command = value["command"]?.stringValue, !command.isEmpty else {
            throw KubeconfigError(.invalid, "exec of user \(user) has no command", file: file)
        }
        guard let apiVersion = value["apiVersion"]?.stringValue, !apiVersion.isEmpty else {
            throw KubeconfigError(.invalid, "exec of user \(user) has no apiVersion", file: file)
        }
        var env: [(name: String, value: String)] = []
        for item in value["env"]?.arrayValue ?? [] {
            guard let name = item["name"]?.stringValue else {
                throw KubeconfigError(.invalid, "an exec env entry of user \(user) has no name", file: file)
            }
            env.append((name, item["value"]?.stringValue ?? ""))
        }
        // client-go resolves a command relative to the kubeconfig only when it contains a slash;
        // a bare name is looked up on PATH.
        let resolvedCommand = command.contains("/") ? (resolve(command) ?? command) : command
        return Kubeconfig.ExecConfig(
            command: resolvedCommand,
            args: (value["args"]?.arrayValue ?? []).compactMap(\.stringValue),
            env: env,
            apiVersion: apiVersion,
            installHint: value["installHint"]?.stringValue ?? "",
            provideClusterInfo: bool(value["provideClusterInfo"]),
            interactiveMode: value["interactiveMode"]?.stringValue ?? "IfAvailable"
        )
    }
}
