import Foundation

extension SOPS {
    /// Bounds on asking Vault to unwrap data keys, so a commit that names many slow or silent
    /// servers cannot stall a render.
    public struct UnwrapLimits: Sendable, Hashable {
        /// How long unwrapping may take in all; keys not unwrapped by then fail with a message
        /// that says so.
        public var deadline: Duration
        /// How many servers are asked at once.
        public var maxConcurrentServers: Int

        /// Creates limits that suit a render: a minute in all, four servers at a time.
        public init(deadline: Duration = .seconds(60), maxConcurrentServers: Int = 4) {
            self.deadline = deadline
            self.maxConcurrentServers = maxConcurrentServers
        }
    }

    /// Unwraps each distinct data key once, with a client per server (a few servers at a time,
    /// within `limits.deadline` on `clock`); each client's login is revoked when its server is
    /// done. Failures are kept as messages (which hold no secret) so a decrypt can say why.
    public static func unwrap(
        _ wrapped: [SOPSVaultWrappedKey], credentials: VaultCredentials, identities: [AgeIdentity] = [],
        limits: UnwrapLimits = UnwrapLimits(), clock: any Clock<Duration> = ContinuousClock()
    ) async -> SOPSKeyRing {
        var ring = SOPSKeyRing(identities: identities)
        var distinct: [String: SOPSVaultWrappedKey] = [:]
        for entry in wrapped where distinct[entry.enc] == nil && distinct.count < maxVaultKeys { distinct[entry.enc] = entry }
        let late = "not unwrapped: asking Vault took longer than the \(limits.deadline) allowed"
        var pending = Dictionary(grouping: distinct.values, by: \.key.address).sorted { $0.key < $1.key }[...]
        await withTaskGroup(of: ServerUnwrap?.self) { group in
            // The timer's nil ends the wait; cancelling the servers' tasks ends their calls.
            group.addTask {
                try? await clock.sleep(for: limits.deadline)
                return nil
            }
            var running = 0
            func start() {
                guard let (address, entries) = pending.popFirst() else { return }
                running += 1
                group.addTask { await unwrap(entries, at: address, credentials: credentials, late: late) }
            }
            for _ in 0..<max(1, limits.maxConcurrentServers) { start() }
            while running > 0, let finished = await group.next() {
                guard let finished else {
                    group.cancelAll()
                    for entry in pending.flatMap(\.value) { ring.vaultFailures[entry.enc] = late }
                    pending.removeAll()
                    continue
                }
                running -= 1
                ring.vaultDataKeys.merge(finished.keys) { first, _ in first }
                ring.vaultFailures.merge(finished.failures) { first, _ in first }
                start()
            }
            group.cancelAll()
        }
        return ring
    }

    /// What one server unwrapped, and why it did not unwrap the rest.
    struct ServerUnwrap: Sendable {
        var keys: [String: [UInt8]] = [:]
        var failures: [String: String] = [:]
    }

    /// Asks the server at `address` for each of `entries` in turn, then revokes the login.
    static func unwrap(
        _ entries: [SOPSVaultWrappedKey], at address: String, credentials: VaultCredentials, late: String
    ) async -> ServerUnwrap {
        var result = ServerUnwrap()
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
                result.keys[entry.enc] = try await client.transitDecrypt(mount: entry.key.enginePath, key: entry.key.keyName, ciphertext: entry.enc)
            } catch {
                result.failures[entry.enc] = Task.isCancelled ? late : error.description
            }
        }
        // Awaited, but outside this task's cancellation: past the deadline the login is still
        // revoked (within `VaultClient`'s short revocation timeout) rather than left to its TTL.
        await Task.detached { await client.revokeLogin() }.value
        return result
    }
}
