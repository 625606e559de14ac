import Foundation
import Kube
import Secrets
import Synchronization

/// A sealing key and the Secret that keeps it.
public struct SealingKey: Sendable {
    /// The key pair.
    public var pair: SealingKeyPair
    /// The Secret's name.
    public var name: String
    /// The Secret's `metadata.creationTimestamp`: the newest key seals.
    public var created: Date

    /// A key kept in Secret `name`, created at `created`.
    public init(pair: SealingKeyPair, name: String, created: Date) {
        self.pair = pair
        self.name = name
        self.created = created
    }

    var fingerprint: String { pair.privateKey.publicKey.fingerprint }
}

/// The sealing keys the controller holds, read from their Secrets by `SealingKeyWatch` on every
/// replica: every key unseals, the newest seals and is the certificate served at `/v1/cert.pem`.
/// Keys rank by their Secret's creation time (the API server's clock, which no one can backdate),
/// then by the certificate's start when it is not in the future, then by name; a certificate
/// start is chosen by whoever made the certificate, so it alone never decides.
public final class SealingKeyRegistry: Sendable {
    private struct State {
        /// The keys in Secrets, `nil` before their first list.
        var stored: [SealingKey]?
        /// Keys this replica created whose Secrets the watch has not brought back yet.
        var pending: [SealingKey] = []
        var ranked: [SealingKey] = []
        var observers: [ObjectIdentifier: WakeSignal] = [:]
    }

    private let state = Mutex(State())

    /// An empty registry.
    public init() {}

    /// Replaces the keys read from Secrets.
    func replace(stored: [SealingKey], now: Date) {
        let observers = state.withLock { state in
            let fingerprints = Set(stored.map(\.fingerprint))
            state.stored = stored
            state.pending.removeAll { fingerprints.contains($0.fingerprint) }
            state.ranked = Self.rank(stored + state.pending, now: now)
            return Array(state.observers.values)
        }
        for observer in observers { observer.wake() }
    }

    /// Adds a key this replica just stored, before the watch brings its Secret back.
    func add(created key: SealingKey, now: Date) {
        let observers = state.withLock { state in
            state.pending.append(key)
            state.ranked = Self.rank((state.stored ?? []) + state.pending, now: now)
            return Array(state.observers.values)
        }
        for observer in observers { observer.wake() }
    }

    /// `keys`, newest first (the order `keelson secret cert` also uses).
    public static func rank(_ keys: [SealingKey], now: Date) -> [SealingKey] {
        func start(_ key: SealingKey) -> Date { key.pair.notBefore > now ? .distantPast : key.pair.notBefore }
        return keys.sorted { lhs, rhs in
            if lhs.created != rhs.created { return lhs.created > rhs.created }
            if start(lhs) != start(rhs) { return start(lhs) > start(rhs) }
            return lhs.name > rhs.name
        }
    }

    /// Runs `body` with `signal` woken at every change of the keys.
    func observing<Result>(_ signal: WakeSignal, _ body: () async -> Result) async -> Result {
        state.withLock { $0.observers[ObjectIdentifier(signal)] = signal }
        defer { state.withLock { _ = $0.observers.removeValue(forKey: ObjectIdentifier(signal)) } }
        return await body()
    }

    /// Whether the key Secrets were listed at least once.
    public var isLoaded: Bool { state.withLock { $0.stored != nil } }

    /// The certificate of the newest key, PEM, or `nil` before there is a key.
    public var certificatePEM: String? { state.withLock { $0.ranked.first?.pair.certificatePEM } }

    /// Every private key, newest first.
    public var privateKeys: [SealingPrivateKey] { state.withLock { $0.ranked.map(\.pair.privateKey) } }

    /// When the newest key was made (its Secret's creation or its certificate's start, whichever
    /// is earlier, so a certificate dated in the future postpones no renewal), or `nil` without keys.
    public var newestKeyDate: Date? { state.withLock { $0.ranked.first.map { min($0.created, $0.pair.notBefore) } } }

    /// How many keys there are.
    public var count: Int { state.withLock { $0.ranked.count } }
}
