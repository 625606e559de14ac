import Foundation

/// A Vault (or OpenBao) transit key as sops names it: `--hc-vault-transit
/// https://vault.example:8200/v1/ENGINE/keys/KEY`, written into a file's metadata as
/// `hc_vault` entries (`vault_address`, `engine_path`, `key_name`).
public struct SOPSVaultTransitKey: Sendable, Hashable, CustomStringConvertible {
    /// The server, `scheme://host[:port]`.
    public var address: String
    /// The transit engine's mount path (`transit`, or `team/transit`).
    public var enginePath: String
    /// The key's name in that engine.
    public var keyName: String

    /// Creates a key reference.
    public init(address: String, enginePath: String, keyName: String) {
        self.address = address
        self.enginePath = enginePath
        self.keyName = keyName
    }

    /// Parses a URI of the form sops accepts: `scheme://host[:port]/v1/ENGINE/keys/KEY`, where
    /// ENGINE may hold `/`. A prefix before `/v1` (a proxy path) is refused, as sops refuses it.
    public init(uri: String) throws(SOPSError) {
        let trimmed = uri.trimmingCharacters(in: .whitespaces)
        guard let components = URLComponents(string: trimmed), let scheme = components.scheme, !scheme.isEmpty,
            let host = components.host, !host.isEmpty, components.query == nil
        else { throw SOPSError(.config, "\(uri) is not a Vault transit URI like https://vault.example:8200/v1/transit/keys/KEY") }
        var parts = components.path.split(separator: "/").map(String.init)
        guard parts.count >= 4, parts[0].hasPrefix("v"), Int(parts[0].dropFirst()) != nil, parts[parts.count - 2] == "keys" else {
            throw SOPSError(
                .config,
                "\(uri): the path must be /v1/ENGINE/keys/KEY (a Vault behind a path prefix is not supported, as in sops)")
        }
        let key = parts.removeLast()
        parts.removeLast()
        var address = "\(scheme)://\(host)"
        if let port = components.port { address += ":\(port)" }
        self.init(address: address, enginePath: parts.dropFirst().joined(separator: "/"), keyName: key)
    }

    /// The URI sops prints and accepts.
    public var uri: String { "\(address)/v1/\(enginePath)/keys/\(keyName)" }

    /// The URI.
    public var description: String { uri }
}

/// One `hc_vault` entry of a file's metadata: the key and the data key it wrapped (`vault:v1:…`).
public struct SOPSVaultWrappedKey: Sendable, Hashable {
    /// The transit key.
    public var key: SOPSVaultTransitKey
    /// The wrapped data key, a `vault:vN:` ciphertext.
    public var enc: String
    /// When sops wrapped it, RFC 3339.
    public var createdAt: String

    /// Creates an entry.
    public init(key: SOPSVaultTransitKey, enc: String, createdAt: String) {
        self.key = key
        self.enc = enc
        self.createdAt = createdAt
    }
}
