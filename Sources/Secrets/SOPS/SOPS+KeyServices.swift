import Crypto
import Foundation
import Manifests

/// SOPS with key services: Vault transit keys (sops' `--hc-vault-transit`, `hc_vault`) and AWS
/// KMS keys (`--kms`, `kms`).
///
/// Reading files is synchronous (a render's `SecureRoot` transform), so decryption unwraps the
/// data keys first: `SOPS.wrappedKeys(in:)` lists a file's wrapped keys, `SOPS.unwrap(_:credentials:)`
/// asks each service for each distinct one, and the resulting `SOPSKeyRing` decrypts.
/// ```swift
/// let wrapped = try SOPS.wrappedKeys(in: bytes, format: .yaml)
/// let keys = await SOPS.unwrap(wrapped, credentials: try SOPSCredentials.environment())
/// let plain = try SOPS.decrypt(bytes, format: .yaml, keys: keys)
/// ```
extension SOPS {
    /// The most distinct wrapped data keys unwrapped at once.
    public static let maxWrappedKeys = 256

    /// The `hc_vault` and `kms` entries of a SOPS file; none when it has none or is not a SOPS file.
    public static func wrappedKeys(in input: [UInt8], format: Format, limits: Limits = Limits()) throws(SOPSError) -> SOPSWrappedKeys {
        let file = try load(input, format: format, source: nil, limits: limits)
        guard case .some(let raw) = file.metadata else { return SOPSWrappedKeys() }
        let metadata = try SOPSMetadata(raw)
        return SOPSWrappedKeys(vault: metadata.vault, kms: metadata.kms)
    }

    /// Encrypts a plaintext file for age `recipients`, Vault transit `vaultKeys` and AWS KMS
    /// `kmsKeys` (at least one key in all); any one of them can decrypt it, with Keelson or sops.
    public static func encrypt(
        _ plaintext: [UInt8], format: Format, recipients: [AgeRecipient], vaultKeys: [SOPSVaultTransitKey] = [], kmsKeys: [SOPSKMSKey] = [],
        credentials: SOPSCredentials, rules: SOPSEncryptionRules = SOPSEncryptionRules(), source: String? = nil, limits: Limits = Limits(),
        now: Date = Date()
    ) async throws(SOPSError) -> [UInt8] {
        guard !recipients.isEmpty || !vaultKeys.isEmpty || !kmsKeys.isEmpty else {
            throw SOPSError(.config, "no age recipients, Vault transit keys or KMS keys given", source: source)
        }
        let dataKey = SymmetricKey(size: .bits256)
        let keyBytes = dataKey.withUnsafeBytes { Array($0) }
        let vault = try await wrapVault(keyBytes, for: vaultKeys, credentials: credentials.vault, source: source)
        let kms = try await wrapKMS(keyBytes, for: kmsKeys, credentials: credentials, source: source)
        return try seal(
            plaintext, format: format, dataKey: dataKey, recipients: recipients, wrapped: SOPSWrappedKeys(vault: vault, kms: kms), rules: rules,
            source: source, limits: limits, now: now)
    }

    /// Encrypts with the keys and rules of the first creation rule matching `path`: age, Vault and KMS alike.
    public static func encrypt(
        _ plaintext: [UInt8], format: Format, path: String, config: SOPSCreationRules, credentials: SOPSCredentials,
        limits: Limits = Limits(), now: Date = Date()
    ) async throws(SOPSError) -> [UInt8] {
        let rule = try config.rule(forPath: path)
        return try await encrypt(
            plaintext, format: format, recipients: rule.recipients, vaultKeys: rule.vaultKeys, kmsKeys: rule.kmsKeys,
            credentials: credentials, rules: rule.encryption, source: path, limits: limits, now: now)
    }
}
