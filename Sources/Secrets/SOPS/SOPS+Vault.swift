import Crypto
import Foundation
import Manifests

/// SOPS with Vault transit keys, as sops' `--hc-vault-transit` and `hc_vault_transit_uri`.
///
/// Reading files is synchronous (a render's `SecureRoot` transform), so decryption unwraps the
/// data keys first: `SOPS.vaultKeys(in:)` lists a file's wrapped keys, `SOPS.unwrap(_:credentials:)`
/// asks Vault for each distinct one, and the resulting `SOPSKeyRing` decrypts.
/// ```swift
/// let wrapped = try SOPS.vaultKeys(in: bytes, format: .yaml)
/// let keys = await SOPS.unwrap(wrapped, credentials: VaultCredentials(auth: .token(token)))
/// let plain = try SOPS.decrypt(bytes, format: .yaml, keys: keys)
/// ```
extension SOPS {
    /// The most distinct wrapped data keys unwrapped at once.
    public static let maxVaultKeys = 256

    /// The `hc_vault` entries of a SOPS file; none when it has none or is not a SOPS file.
    public static func vaultKeys(in input: [UInt8], format: Format, limits: Limits = Limits()) throws(SOPSError) -> [SOPSVaultWrappedKey] {
        let file = try load(input, format: format, source: nil, limits: limits)
        guard case .some(let raw) = file.metadata else { return [] }
        return try SOPSMetadata(raw).vault
    }

    /// Encrypts a plaintext file for age `recipients` and Vault transit `vaultKeys` (at least
    /// one of either); any one of them can decrypt it, with Keelson or sops.
    public static func encrypt(
        _ plaintext: [UInt8], format: Format, recipients: [AgeRecipient], vaultKeys: [SOPSVaultTransitKey], credentials: VaultCredentials?,
        rules: SOPSEncryptionRules = SOPSEncryptionRules(), source: String? = nil, limits: Limits = Limits(), now: Date = Date()
    ) async throws(SOPSError) -> [UInt8] {
        guard !recipients.isEmpty || !vaultKeys.isEmpty else {
            throw SOPSError(.config, "no age recipients or Vault transit keys given", source: source)
        }
        let dataKey = SymmetricKey(size: .bits256)
        var entries: [SOPSVaultWrappedKey] = []
        if !vaultKeys.isEmpty {
            guard let credentials else {
                throw SOPSError(.config, "encrypting with a Vault transit key needs a Vault token (VAULT_TOKEN or ~/.vault-token)", source: source)
            }
            let keyBytes = dataKey.withUnsafeBytes { Array($0) }
            for key in vaultKeys {
                do {
                    let enc = try await VaultClient.withClient(credentials.configuration(address: key.address)) { client in
                        try await client.transitEncrypt(mount: key.enginePath, key: key.keyName, plaintext: keyBytes)
                    }
                    entries.append(SOPSVaultWrappedKey(key: key, enc: enc, createdAt: ""))
                } catch {
                    throw SOPSError(.config, "cannot wrap the data key with \(key): \(error)", source: source)
                }
            }
        }
        return try seal(
            plaintext, format: format, dataKey: dataKey, recipients: recipients, vault: entries, rules: rules, source: source,
            limits: limits, now: now)
    }

    /// Encrypts with the keys and rules of the first creation rule matching `path`, age and Vault alike.
    public static func encrypt(
        _ plaintext: [UInt8], format: Format, path: String, config: SOPSCreationRules, credentials: VaultCredentials?,
        limits: Limits = Limits(), now: Date = Date()
    ) async throws(SOPSError) -> [UInt8] {
        let rule = try config.rule(forPath: path)
        return try await encrypt(
            plaintext, format: format, recipients: rule.recipients, vaultKeys: rule.vaultKeys, credentials: credentials,
            rules: rule.encryption, source: path, limits: limits, now: now)
    }
}
