import Foundation
import Kube
import Logging
import Manifests
import Secrets
import ServiceLifecycle

/// Unseals `bitnami.com/v1alpha1` SealedSecrets into Secrets, as Bitnami's controller does, with
/// key pairs kept as Secrets in the controller's namespace and renewed on a schedule. It watches
/// SealedSecrets (it never lists them on a timer), unseals each new or changed SealedSecret into
/// a Secret of the same name it owns, and writes a `Synced` condition. No value reaches a log
/// line, a status or an error. `keyWatch` (read-only) fills `keys` on every replica; this
/// service, on the leader, makes and renews keys and unseals. When the cluster already has a
/// SealedSecret CRD Keelson did not install (Bitnami's controller), it stands aside.
///
/// ```swift
/// let sealed = SealedSecretsService(client: client)
/// let group = ServiceGroup(
///     configuration: .init(services: [.init(service: sealed.keyWatch), .init(service: sealed)], logger: logger))
/// // elsewhere: sealed.keys.certificatePEM is what `keelson secret cert` prints
/// ```
public struct SealedSecretsService: Service {
    let client: any KubernetesAPI
    let configuration: SealedSecretsConfiguration
    let logger: Logger
    /// The sealing keys, shared with the server's `/v1/cert.pem`.
    public let keys: SealingKeyRegistry
    /// The read-only watch of the key Secrets that fills `keys`: run it on every replica.
    public let keyWatch: SealingKeyWatch

    static let sealedSecretKind = GroupVersionKind(group: "bitnami.com", version: "v1alpha1", kind: "SealedSecret")
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let fieldManager = "keelson-sealed-secrets"

    /// Creates the service; `keys` is filled from the cluster once `keyWatch` runs.
    public init(
        client: any KubernetesAPI, configuration: SealedSecretsConfiguration = SealedSecretsConfiguration(),
        keys: SealingKeyRegistry = SealingKeyRegistry(), logger: Logger = Logger(label: "keelson.sealed-secrets")
    ) {
        self.client = client
        self.configuration = configuration
        self.keys = keys
        self.logger = logger
        keyWatch = SealingKeyWatch(client: client, configuration: configuration, keys: keys, logger: logger)
    }

    public func run() async throws {
        if case .foreign(let owner) = await prepareCRD() {
            logger.warning(
                "the SealedSecret CRD was installed by \(owner), not Keelson (Bitnami's controller?): Keelson neither unseals SealedSecrets nor makes sealing keys; turn it off with --no-sealed-secrets",
                metadata: ["k8s.resource": "CustomResourceDefinition/\(SealedSecretCRDs.name)"])
            configuration.onDisabled(.foreignCRD)
            try? await gracefulShutdown()
            return
        }
        let work = WakeSignal()
        let renewal = WakeSignal()
        let sealedStore = ResourceStore<Manifest, Never>(
            client: client, kind: Self.sealedSecretKind, scope: configuration.watchScope, logger: logger, parse: { $0 }, onChange: { work.wake() })
        await keys.observing(work) {
            await keys.observing(renewal) {
                await withDiscardingTaskGroup { group in
                    group.addTask { await sealedStore.run() }
                    group.addTask { await renewKeys(wakeup: renewal) }
                    await withGracefulShutdownHandler {
                        await unsealLoop(sealedStore, wakeup: work)
                    } onGracefulShutdown: {
                        work.wake()
                    }
                    group.cancelAll()
                }
            }
        }
    }

    /// Unseals what changed whenever a watch says so, retries transient failures with backoff,
    /// and once per resync interval checks that every Secret it wrote is still there and the same.
    func unsealLoop(_ store: ResourceStore<Manifest, Never>, wakeup: WakeSignal) async {
        var ledger = UnsealLedger()
        var lastResync = configuration.now()
        let resync = Self.seconds(configuration.resyncInterval)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            let now = configuration.now()
            let resyncing = now.timeIntervalSince(lastResync) >= resync
            if resyncing { lastResync = now }
            let privateKeys = keys.privateKeys
            if !privateKeys.isEmpty, let entries = await store.all() {
                let keySet = privateKeys.map(\.publicKey.fingerprint).joined(separator: ",")
                var seen: Set<String> = []
                for entry in entries where configuration.namespaces?(entry.object.namespace) ?? true {
                    let id = "\(entry.object.namespace)/\(entry.object.name)"
                    seen.insert(id)
                    let version = UnsealLedger.version(of: entry.object)
                    switch ledger.action(for: id, version: version, keySet: keySet, resync: resyncing, now: now) {
                    case .none: continue
                    case .verify(let digest): if await secretMatches(entry.object, digest: digest) { continue }
                    case .unseal: break
                    }
                    let result = await reconcile(entry.object, keys: privateKeys, preferring: ledger.preferredKey(for: id))
                    ledger.record(result.outcome, for: id, version: version, keySet: keySet, key: result.key, now: configuration.now())
                    if Task.isShuttingDownGracefully { break }
                }
                ledger.keep(only: seen)
            }
            var timeout = resync - configuration.now().timeIntervalSince(lastResync)
            if let retry = ledger.nextRetry { timeout = min(timeout, retry.timeIntervalSince(configuration.now())) }
            // At least a second, so a retry that cannot run yet (no key) does not spin.
            await wakeup.wait(timeout: .milliseconds(Int64(max(1, min(timeout, 86400)) * 1000)), clock: configuration.clock)
        }
    }

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
