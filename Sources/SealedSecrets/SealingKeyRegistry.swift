import Foundation
import Secrets
import Synchronization

/// The sealing keys the controller holds, read from their Secrets: every key unseals, the newest
/// (latest certificate start) seals and is the certificate served at `/v1/cert.pem`. Read from
/// any task (the server's route, the unsealing loop); written by the key watch.
public final class SealingKeyRegistry: Sendable {
    private let keys = Mutex<[SealingKeyPair]>([])

    /// An empty registry.
    public init() {}

    /// Replaces the keys.
    func replace(with pairs: [SealingKeyPair]) {
        let sorted = pairs.sorted { $0.notBefore > $1.notBefore }
        keys.withLock { $0 = sorted }
    }

    /// The certificate of the newest key, PEM, or `nil` before there is a key.
    public var certificatePEM: String? { keys.withLock { $0.first?.certificatePEM } }

    /// Every private key, newest first.
    public var privateKeys: [SealingPrivateKey] { keys.withLock { $0.map(\.privateKey) } }

    /// When the newest key's certificate starts, or `nil` without keys.
    public var newestKeyDate: Date? { keys.withLock { $0.first?.notBefore } }

    /// How many keys there are.
    public var count: Int { keys.withLock { $0.count } }
}
