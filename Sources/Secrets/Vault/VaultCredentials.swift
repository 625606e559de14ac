import Foundation

/// Credentials for every Vault server a SOPS file names: sops takes the server from the file
/// and the credentials from its environment, and so does Keelson.
public struct VaultCredentials: Sendable {
    /// How to log in.
    public var auth: VaultAuth
    /// `X-Vault-Namespace`, if any.
    public var namespace: String?
    /// PEM certificates trusted for https servers, if not the system's.
    public var caPEM: String?

    /// Creates credentials.
    public init(auth: VaultAuth, namespace: String? = nil, caPEM: String? = nil) {
        self.auth = auth
        self.namespace = namespace
        self.caPEM = caPEM
    }

    /// The client configuration for the server at `address`.
    public func configuration(address: String) -> VaultClient.Configuration {
        VaultClient.Configuration(address: address, auth: auth, namespace: namespace, caPEM: caPEM)
    }

    /// The credentials sops itself would use: `VAULT_TOKEN`, else the file `~/.vault-token`;
    /// `VAULT_NAMESPACE`; `VAULT_CACERT` (a PEM file). Nil when there is no token.
    public static func environment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, home: String? = nil
    ) throws(VaultError) -> VaultCredentials? {
        var token = environment["VAULT_TOKEN"].flatMap { $0.isEmpty ? nil : $0 }
        if token == nil, let home = home ?? environment["HOME"],
            let data = FileManager.default.contents(atPath: home + "/.vault-token"), data.count <= 64 << 10
        {
            let text = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            if !text.isEmpty { token = text }
        }
        guard let token else { return nil }
        var caPEM: String?
        if let file = environment["VAULT_CACERT"], !file.isEmpty {
            guard let data = FileManager.default.contents(atPath: file), data.count <= 1 << 20 else {
                throw VaultError(
                    .configuration, "VAULT_CACERT names \(file), which cannot be read or is over 1 MiB", address: environment["VAULT_ADDR"] ?? "")
            }
            caPEM = String(decoding: data, as: UTF8.self)
        }
        return VaultCredentials(auth: .token(token), namespace: environment["VAULT_NAMESPACE"], caPEM: caPEM)
    }
}
