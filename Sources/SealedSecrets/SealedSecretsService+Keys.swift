import Foundation
import Kube
import Manifests
import Secrets

extension SealedSecretsService {
    /// Keeps `keys` equal to the key Secrets, makes the first key when there is none, and a new
    /// one each renewal period after the newest (old keys stay, so what they sealed still unseals).
    func renewKeys(_ store: ResourceStore<SealingKeyPair?, SealedSecretsError>, wakeup: WakeSignal) async {
        // Keys made here count at once, before the watch brings their Secrets back.
        var created: [SealingKeyPair] = []
        while !Task.isCancelled {
            if let entries = await store.all() {
                var pairs: [SealingKeyPair] = []
                for entry in entries {
                    switch entry.parsed {
                    case .success(let pair): if let pair { pairs.append(pair) }
                    case .failure(let error): logger.warning("ignoring a sealing key that cannot be read", metadata: ["error": "\(error)"])
                    }
                }
                let stored = Set(pairs.map(\.privateKey.publicKey.fingerprint))
                created.removeAll { stored.contains($0.privateKey.publicKey.fingerprint) }
                keys.replace(with: pairs + created)
                let now = configuration.now()
                let due = KeyRenewal.due(newest: keys.newestKeyDate, period: configuration.keyRenewalPeriod, now: now)
                switch due {
                case .now:
                    if let pair = await createKey(now: now, first: pairs.isEmpty && created.isEmpty) {
                        created.append(pair)
                        keys.replace(with: pairs + created)
                        continue
                    }
                    // Creating failed (RBAC, say): try again in a minute.
                    await wakeup.wait(timeout: .seconds(60), clock: configuration.clock)
                    continue
                case .after(let wait):
                    await wakeup.wait(timeout: wait, clock: configuration.clock)
                    continue
                case .never:
                    break
                }
            }
            await wakeup.wait(timeout: .seconds(3600), clock: configuration.clock)
        }
    }

    /// Makes a key pair and stores it as a Secret; `nil` when that failed (and was logged).
    func createKey(now: Date, first: Bool) async -> SealingKeyPair? {
        do {
            let pair = try SealingKeyPair.generate(bits: configuration.keyBits, now: now, validity: configuration.certificateValidity)
            try await client.createNamespaceIfMissing(configuration.controllerNamespace, fieldManager: Self.fieldManager)
            let secret = SealingKeySecret.manifest(for: pair, namespace: configuration.controllerNamespace)
            _ = try await client.create(secret, options: WriteOptions(fieldManager: Self.fieldManager))
            logger.info(
                first ? "created the first sealing key" : "renewed the sealing key",
                metadata: [
                    "k8s.resource": "Secret/\(secret.namespace)/\(secret.name)",
                    "keelson.key-fingerprint": "\(pair.privateKey.publicKey.fingerprint)",
                ])
            return pair
        } catch {
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

    static func due(newest: Date?, period: Duration?, now: Date) -> KeyRenewal {
        guard let newest else { return .now }
        guard let period, period > .zero else { return .never }
        let seconds = Double(period.components.seconds) + Double(period.components.attoseconds) / 1e18
        let wait = newest.addingTimeInterval(seconds).timeIntervalSince(now)
        return wait <= 0 ? .now : .after(.milliseconds(Int64((wait * 1000).rounded(.up))))
    }
}
