import Foundation

/// What may unwrap a SOPS file's data key: age identities, and data keys a key service (Vault
/// transit, AWS KMS) already unwrapped, by the `enc` of their metadata entry, since reading files
/// is synchronous and those services are not.
public struct SOPSKeyRing: Sendable {
    /// The age identities.
    public var identities: [AgeIdentity]
    /// Unwrapped data keys by the `enc` they were unwrapped from.
    public var dataKeys: [String: [UInt8]]
    /// Why a key service did not unwrap an `enc` (its error's description, which holds no secret).
    public var failures: [String: String]

    /// Creates a key ring.
    public init(identities: [AgeIdentity] = [], dataKeys: [String: [UInt8]] = [:], failures: [String: String] = [:]) {
        self.identities = identities
        self.dataKeys = dataKeys
        self.failures = failures
    }

    /// Whether it holds nothing that could decrypt, nor any reason a key service gave for not unwrapping.
    public var isEmpty: Bool { identities.isEmpty && dataKeys.isEmpty && failures.isEmpty }
}

/// The data keys of SOPS files that a key service must unwrap before a (synchronous) decrypt:
/// `hc_vault` and `kms` metadata entries.
public struct SOPSWrappedKeys: Sendable, Hashable {
    /// The Vault transit entries.
    public var vault: [SOPSVaultWrappedKey]
    /// The AWS KMS entries.
    public var kms: [SOPSKMSWrappedKey]

    /// Creates a set of entries.
    public init(vault: [SOPSVaultWrappedKey] = [], kms: [SOPSKMSWrappedKey] = []) {
        self.vault = vault
        self.kms = kms
    }

    /// Whether there is nothing to unwrap.
    public var isEmpty: Bool { vault.isEmpty && kms.isEmpty }

    /// Adds the entries of `other` whose `enc` is not here yet.
    mutating func add(_ other: SOPSWrappedKeys, seen: inout Set<String>) {
        for entry in other.vault where seen.insert(entry.enc).inserted { vault.append(entry) }
        for entry in other.kms where seen.insert(entry.enc).inserted { kms.append(entry) }
    }
}

/// The credentials key services are asked with: Vault's, AWS's, and the environment that may
/// point AWS calls elsewhere (`AWS_ENDPOINT_URL_KMS`, `AWS_ENDPOINT_URL`). Printing it shows no secret.
public struct SOPSCredentials: Sendable, CustomStringConvertible {
    /// Vault credentials, for `hc_vault` entries.
    public var vault: VaultCredentials?
    /// AWS credentials, for `kms` entries.
    public var aws: AWSCredentials?
    /// Variables the KMS endpoint is read from.
    public var environment: [String: String]

    /// Creates credentials.
    public init(vault: VaultCredentials? = nil, aws: AWSCredentials? = nil, environment: [String: String] = ProcessInfo.processInfo.environment) {
        self.vault = vault
        self.aws = aws
        self.environment = environment
    }

    /// What sops reads: `VAULT_TOKEN` (or `~/.vault-token`), and `AWS_ACCESS_KEY_ID`,
    /// `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`.
    public static func environment(
        _ environment: [String: String] = ProcessInfo.processInfo.environment, home: String? = nil
    ) throws(VaultError) -> SOPSCredentials {
        SOPSCredentials(
            vault: try VaultCredentials.environment(environment, home: home), aws: AWSCredentials.environment(environment),
            environment: environment)
    }

    /// Which credentials are present.
    public var description: String {
        "SOPSCredentials(vault: \(vault == nil ? "none" : "given"), aws: \(aws?.description ?? "none"))"
    }
}
