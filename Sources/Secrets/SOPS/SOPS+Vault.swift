import Foundation

/// The Vault transit side of SOPS' key services: `transit/decrypt` and `transit/encrypt` of the
/// data key, with a client per server.
extension SOPS {
    /// Asks the server at `address` for each of `entries` (distinct already) in turn, then
    /// revokes the login.
    static func unwrapVault(
        _ entries: [SOPSVaultWrappedKey], at address: String, credentials: VaultCredentials, late: String
    ) async -> ServiceUnwrap {
        var result = ServiceUnwrap()
        let client: VaultClient
        do { client = try VaultClient(credentials.configuration(address: address)) } catch {
            for entry in entries { result.failures[entry.enc] = error.description }
            return result
        }
        for entry in entries {
            guard !Task.isCancelled else {
                result.failures[entry.enc] = late
                continue
            }
            do {
                result.dataKeys[entry.enc] = try await client.transitDecrypt(
                    mount: entry.key.enginePath, key: entry.key.keyName, ciphertext: entry.enc)
            } catch {
                result.failures[entry.enc] = Task.isCancelled ? late : error.description
            }
        }
        // Awaited, but outside this task's cancellation: past the deadline the login is still
        // revoked (within `VaultClient`'s short revocation timeout) rather than left to its TTL.
        await Task.detached { await client.revokeLogin() }.value
        return result
    }

    /// Wraps `dataKey` with each transit key.
    static func wrapVault(
        _ dataKey: [UInt8], for keys: [SOPSVaultTransitKey], credentials: VaultCredentials?, source: String?
    ) async throws(SOPSError) -> [SOPSVaultWrappedKey] {
        guard !keys.isEmpty else { return [] }
        guard let credentials else {
            throw SOPSError(.config, "encrypting with a Vault transit key needs a Vault token (VAULT_TOKEN or ~/.vault-token)", source: source)
        }
        var entries: [SOPSVaultWrappedKey] = []
        for key in keys {
            do {
                let enc = try await VaultClient.withClient(credentials.configuration(address: key.address)) { client in
                    try await client.transitEncrypt(mount: key.enginePath, key: key.keyName, plaintext: dataKey)
                }
                entries.append(SOPSVaultWrappedKey(key: key, enc: enc, createdAt: ""))
            } catch {
                throw SOPSError(.config, "cannot wrap the data key with \(key): \(error)", source: source)
            }
        }
        return entries
    }
}
