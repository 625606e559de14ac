import Foundation
import Manifests

/// How to authenticate to one registry. Descriptions never show secrets.
public enum RegistryCredential: Sendable, Hashable, CustomStringConvertible {
    /// No credentials; token endpoints are asked anonymously.
    case anonymous
    /// A username and password (or personal access token), sent as Basic auth or to the token endpoint.
    case basic(username: String, password: String)
    /// A ready bearer token for the registry.
    case bearer(String)

    /// Names the kind of credential only.
    public var description: String {
        switch self {
        case .anonymous: "anonymous"
        case .basic(let username, _): "basic auth as \(username)"
        case .bearer: "bearer token"
        }
    }

    /// The `Authorization` value for Basic auth, if this is a username and password.
    var basicAuthorization: String? {
        guard case .basic(let username, let password) = self else { return nil }
        return "Basic " + Data("\(username):\(password)".utf8).base64EncodedString()
    }
}

/// Credentials from a docker `config.json`: `auths` entries with `auth` (base64 `user:pass`)
/// or `username`/`password`. Credential helpers are refused with a clear error, never run.
public struct DockerConfig: Sendable {
    private var auths: [String: RegistryCredential] = [:]
    private var emptyEntries: Set<String> = []
    private var helpers: [String: String] = [:]
    private var credsStore: String?
    /// The file read, for errors.
    public let source: String

    /// Reads the file at `path`; errors name the file, never its contents.
    public static func load(path: String) throws(RegistryError) -> DockerConfig {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw RegistryError(.credentials, "docker config cannot be read", subject: path)
        }
        guard data.count <= 1 << 20 else { throw RegistryError(.credentials, "docker config is larger than 1 MiB", subject: path) }
        return try DockerConfig(Array(data), source: path)
    }

    /// `$DOCKER_CONFIG/config.json`, else `~/.docker/config.json`.
    public static func defaultPath(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
        if let directory = environment["DOCKER_CONFIG"], !directory.isEmpty { return directory + "/config.json" }
        return (environment["HOME"] ?? NSHomeDirectory()) + "/.docker/config.json"
    }

    /// Parses config.json bytes.
    public init(_ bytes: [UInt8], source: String) throws(RegistryError) {
        self.source = source
        let root: JSONValue
        do { root = try JSONParser.parse(bytes, file: source) } catch {
            throw RegistryError(.credentials, "docker config is not valid JSON at \(error.location)", subject: source)
        }
        credsStore = root["credsStore"]?.stringValue
        for (host, helper) in root["credHelpers"]?.objectValue ?? [:] {
            if let helper = helper.stringValue { helpers[Self.normalise(host)] = helper }
        }
        for (key, entry) in root["auths"]?.objectValue ?? [:] {
            let host = Self.normalise(key)
            if let encoded = entry["auth"]?.stringValue, !encoded.isEmpty {
                guard let decoded = Data(base64Encoded: encoded).flatMap({ String(data: $0, encoding: .utf8) }),
                    let colon = decoded.firstIndex(of: ":")
                else {
                    throw RegistryError(
                        .credentials, "auths entry for \(host) has an auth value that is not base64 of user:password", subject: source)
                }
                auths[host] = .basic(username: String(decoded[..<colon]), password: String(decoded[decoded.index(after: colon)...]))
            } else if let username = entry["username"]?.stringValue, let password = entry["password"]?.stringValue {
                auths[host] = .basic(username: username, password: password)
            } else if let token = entry["registrytoken"]?.stringValue {
                auths[host] = .bearer(token)
            } else {
                emptyEntries.insert(host)
            }
        }
    }

    /// The credential for `registry` (a host as in an image reference; `docker.io` for Docker Hub).
    public func credential(for registry: String) throws(RegistryError) -> RegistryCredential {
        let host = Self.normalise(registry)
        if let helper = helpers[host] {
            throw RegistryError(
                .credentials, "credential helper docker-credential-\(helper) is not supported; put the credentials under auths", subject: source)
        }
        if let credential = auths[host] { return credential }
        if emptyEntries.contains(host), let credsStore {
            throw RegistryError(
                .credentials,
                "credentials for \(host) are in the docker-credential-\(credsStore) store, which is not supported; put them under auths",
                subject: source)
        }
        return .anonymous
    }

    /// `https://index.docker.io/v1/` → `docker.io`; `https://ghcr.io/` → `ghcr.io`.
    private static func normalise(_ key: String) -> String {
        var host = Substring(key)
        for scheme in ["https://", "http://"] where host.hasPrefix(scheme) { host = host.dropFirst(scheme.count) }
        if let slash = host.firstIndex(of: "/") { host = host[..<slash] }
        let lower = host.lowercased()
        return ["index.docker.io", "registry-1.docker.io", "registry.hub.docker.com"].contains(lower) ? ImageReference.dockerHub : lower
    }
}
