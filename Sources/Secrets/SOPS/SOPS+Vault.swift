import Foundation

/// The Vault transit side of SOPS' key services: `transit/decrypt` and `transit/encrypt` of the
/// data key, with a client per server.
extension SOPS {
    /// Unwraps `entries` (distinct already) into `ring`.
    static func unwrapVault(_ entries: [SOPSVaultWrappedKey], credentials: VaultCredentials, into ring: inout SOPSKeyRing) async {
        let byServer = Dictionary(grouping: entries, by: \.key.address)
        for (address, entries) in byServer.sorted(by: { $0.key < $1.key }) {
            let client: VaultClient
            do { client = try VaultClient(credentials.configuration(address: address)) } catch {
                for entry in entries { ring.failures[entry.enc] = error.description }
                continue
            }
            for entry in entries {
                do {
                    ring.dataKeys[entry.enc] = try await client.transitDecrypt(
                        mount: entry.key.enginePath, key: entry.key.keyName, ciphertext: entry.enc)
                } catch {
                    ring.failures[entry.enc] = error.description
                }
            }
        }
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
