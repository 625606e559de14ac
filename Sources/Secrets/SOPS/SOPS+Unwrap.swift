import Foundation

extension SOPS {
    /// Bounds on asking key services (Vault servers, AWS KMS keys) to unwrap data keys, so a
    /// commit that names many slow or silent services cannot stall a render.
    public struct UnwrapLimits: Sendable, Hashable {
        /// How long unwrapping may take in all; keys not unwrapped by then fail with a message
        /// that says so.
        public var deadline: Duration
        /// How many servers (a Vault server, or a KMS key) are asked at once.
        public var maxConcurrentServers: Int

        /// Creates limits that suit a render: a minute in all, four servers at a time.
        public init(deadline: Duration = .seconds(60), maxConcurrentServers: Int = 4) {
            self.deadline = deadline
            self.maxConcurrentServers = maxConcurrentServers
        }
    }

    /// Unwraps each distinct data key once, with the credentials of its service: a client per
    /// Vault server (whose login is revoked when that server is done) and per KMS key, a few at
    /// a time, within `limits.deadline` on `clock`. Failures are kept as messages (which hold no
    /// secret) so a decrypt can say why. Entries whose service has no credentials are left alone.
    public static func unwrap(
        _ wrapped: SOPSWrappedKeys, credentials: SOPSCredentials, identities: [AgeIdentity] = [], limits: UnwrapLimits = UnwrapLimits(),
        clock: any Clock<Duration> = ContinuousClock()
    ) async -> SOPSKeyRing {
        var ring = SOPSKeyRing(identities: identities)
        var pending = unwrapJobs(wrapped, credentials: credentials, limits: limits, failures: &ring.failures)[...]
        await withTaskGroup(of: ServiceUnwrap?.self) { group in
            // The timer's nil ends the wait; cancelling the services' tasks ends their calls.
            group.addTask {
                try? await clock.sleep(for: limits.deadline)
                return nil
            }
            var running = 0
            func start() {
                guard let job = pending.popFirst() else { return }
                running += 1
                group.addTask { await job.run() }
            }
            for _ in 0..<max(1, limits.maxConcurrentServers) { start() }
            while running > 0, let finished = await group.next() {
                guard let finished else {
                    group.cancelAll()
                    for job in pending { job.lateFailures(into: &ring.failures) }
                    pending.removeAll()
                    continue
                }
                running -= 1
                ring.dataKeys.merge(finished.dataKeys) { first, _ in first }
                ring.failures.merge(finished.failures) { first, _ in first }
                start()
            }
            group.cancelAll()
        }
        return ring
    }

    /// The servers to ask, in a stable order: one job per Vault server and per KMS key. A KMS
    /// entry naming a role is refused here, without a call.
    static func unwrapJobs(
        _ wrapped: SOPSWrappedKeys, credentials: SOPSCredentials, limits: UnwrapLimits, failures: inout [String: String]
    ) -> [UnwrapJob] {
        var bounded = SOPSWrappedKeys()
        var seen = Set<String>()
        bounded.add(wrapped, seen: &seen)
        bounded.vault = Array(bounded.vault.prefix(maxWrappedKeys))
        bounded.kms = Array(bounded.kms.prefix(maxWrappedKeys - bounded.vault.count))
        var jobs: [UnwrapJob] = []
        if let vault = credentials.vault {
            let late = "not unwrapped: asking Vault took longer than the \(limits.deadline) allowed"
            for (address, entries) in Dictionary(grouping: bounded.vault, by: \.key.address).sorted(by: { $0.key < $1.key }) {
                jobs.append(
                    UnwrapJob(encs: entries.map(\.enc), late: late) { await unwrapVault(entries, at: address, credentials: vault, late: late) })
            }
        }
        for entry in bounded.kms where !entry.key.role.isEmpty { failures[entry.enc] = roleRefusal(entry.key) }
        if let aws = credentials.aws {
            let late = "not unwrapped: asking AWS KMS took longer than the \(limits.deadline) allowed"
            let usable = bounded.kms.filter(\.key.role.isEmpty)
            for (arn, entries) in Dictionary(grouping: usable, by: \.key.arn).sorted(by: { $0.key < $1.key }) {
                jobs.append(
                    UnwrapJob(encs: entries.map(\.enc), late: late) {
                        await unwrapKMS(entries, arn: arn, credentials: aws, environment: credentials.environment, late: late)
                    })
            }
        }
        return jobs
    }

    /// One server's share of an unwrap: its entries, and how to ask for them.
    struct UnwrapJob: Sendable {
        /// The `enc` of each entry it unwraps.
        var encs: [String]
        /// The failure of an entry the deadline left unasked.
        var late: String
        /// Asks the server.
        var run: @Sendable () async -> ServiceUnwrap

        func lateFailures(into failures: inout [String: String]) {
            for enc in encs { failures[enc] = late }
        }
    }

    /// What one server unwrapped, and why it did not unwrap the rest.
    struct ServiceUnwrap: Sendable {
        var dataKeys: [String: [UInt8]] = [:]
        var failures: [String: String] = [:]
    }
}
