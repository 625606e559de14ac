import Foundation
import KeelsonFoundation
import Kube
import Manifests
import Secrets

extension SealedSecretsService {
    /// Makes the first key when there is none, and a new one each renewal period after the newest
    /// (old keys stay, so what they sealed still unseals). Waits for `keyWatch`'s first list, so a
    /// restart never makes a key it already has.
    func renewKeys(wakeup: WakeSignal) async {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            guard keys.isLoaded else {
                await wakeup.wait(timeout: .seconds(3600), clock: configuration.clock)
                continue
            }
            let now = configuration.now()
            switch KeyRenewal.due(newest: keys.newestKeyDate, period: configuration.keyRenewalPeriod, now: now) {
            case .now:
                if let key = await createKey(now: now, first: keys.count == 0) {
                    keys.add(created: key, now: now)
                    continue
                }
                // Creating failed (RBAC, say): try again in a minute.
                await wakeup.wait(timeout: .seconds(60), clock: configuration.clock)
            case .after(let wait):
                await wakeup.wait(timeout: wait, clock: configuration.clock)
            case .never:
                await wakeup.wait(timeout: .seconds(3600), clock: configuration.clock)
            }
        }
    }

    /// Makes a key pair and stores it as a Secret; `nil` when that failed (and was logged).
    func createKey(now: Date, first: Bool) async -> SealingKey? {
        do {
            // Seconds of computing: on a thread of its own, or it would hold one of the pool's few
            // threads that long, and every task waiting for one (a replica's first sealing key
            // once made it miss its Lease renewals in CI).
            let (bits, validity) = (configuration.keyBits, configuration.certificateValidity)
            let pair = try await onOwnThread("keelson-keygen") { () throws(SealedSecretsError) in
                try SealingKeyPair.generate(bits: bits, now: now, validity: validity)
            }
            try await client.createNamespaceIfMissing(configuration.controllerNamespace, fieldManager: Self.fieldManager)
            let secret = try await client.create(
                SealingKeySecret.manifest(for: pair, namespace: configuration.controllerNamespace),
                options: WriteOptions(fieldManager: Self.fieldManager))
            logger.info(
                first ? "created the first sealing key" : "renewed the sealing key",
                metadata: [
                    "k8s.resource": "Secret/\(secret.namespace)/\(secret.name)",
                    "keelson.key-fingerprint": "\(pair.privateKey.publicKey.fingerprint)",
                ])
            let created = secret.metadata["creationTimestamp"]?.stringValue.flatMap { try? Date($0, strategy: .iso8601) }
            return SealingKey(pair: pair, name: secret.name, created: created ?? now)
        } catch {
            // A shutdown that interrupts the request is not a failure worth an error line.
            if Task.isCancelled || Task.isShuttingDownGracefully { return nil }
            logger.error("cannot create a sealing key", metadata: ["error": "\(error)"])
            return nil
        }
    }
}

/// When the next sealing key is due: the first at once, then one renewal period after the newest.
enum KeyRenewal: Equatable {
    case now
    case after(Duration)
    case never

    /// The longest wait computed; a longer period just means waiting again.
    static let longestWait: TimeInterval = 365 * 86400

    static func due(newest: Date?, period: Duration?, now: Date) -> KeyRenewal {
        guard let newest else { return .now }
        guard let period, period > .zero else { return .never }
        let wait = newest.addingTimeInterval(SealedSecretsService.seconds(period)).timeIntervalSince(now)
        guard wait > 0 else { return .now }
        return .after(.milliseconds(Int64((min(wait, longestWait) * 1000).rounded(.up))))
    }
}
