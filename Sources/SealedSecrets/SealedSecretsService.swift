import Foundation
import Kube
import Logging
import Manifests
import Secrets
import ServiceLifecycle

/// Unseals `bitnami.com/v1alpha1` SealedSecrets into Secrets, as Bitnami's controller does, with
/// key pairs kept as Secrets in the controller's namespace and renewed on a schedule. It watches
/// SealedSecrets and key Secrets (it never lists them on a timer), unseals each new or changed
/// SealedSecret into a Secret of the same name it owns, and writes a `Synced` condition. No value
/// reaches a log line, a status or an error.
///
/// ```swift
/// let sealed = SealedSecretsService(client: client)
/// let group = ServiceGroup(configuration: .init(services: [.init(service: sealed)], logger: logger))
/// // elsewhere: sealed.keys.certificatePEM is what `keelson secret cert` prints
/// ```
public struct SealedSecretsService: Service {
    let client: any KubernetesAPI
    let configuration: SealedSecretsConfiguration
    let logger: Logger
    /// The sealing keys, shared with the server's `/v1/cert.pem`.
    public let keys: SealingKeyRegistry

    static let sealedSecretKind = GroupVersionKind(group: "bitnami.com", version: "v1alpha1", kind: "SealedSecret")
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let fieldManager = "keelson-sealed-secrets"

    /// Creates the service; `keys` is filled from the cluster once it runs.
    public init(
        client: any KubernetesAPI, configuration: SealedSecretsConfiguration = SealedSecretsConfiguration(),
        keys: SealingKeyRegistry = SealingKeyRegistry(), logger: Logger = Logger(label: "keelson.sealed-secrets")
    ) {
        self.client = client
        self.configuration = configuration
        self.keys = keys
        self.logger = logger
    }

    public func run() async throws {
        if configuration.installCRDs {
            do { try await installCRDs() } catch { logger.warning("cannot install the SealedSecret CRD", metadata: ["error": "\(error)"]) }
        }
        let work = WakeSignal()
        let renewal = WakeSignal()
        let keyStore = ResourceStore<SealingKeyPair?, SealedSecretsError>(
            client: client, kind: Self.secretKind, namespace: configuration.controllerNamespace, logger: logger,
            parse: { secret throws(SealedSecretsError) in
                SealingKeySecret.isSealingKey(secret) ? try SealingKeySecret.keyPair(of: secret) : nil
            },
            onChange: {
                renewal.wake()
                work.wake()
            })
        let sealedStore = ResourceStore<Manifest, Never>(
            client: client, kind: Self.sealedSecretKind, scope: configuration.watchScope, logger: logger, parse: { $0 }, onChange: { work.wake() })
        await withDiscardingTaskGroup { group in
            group.addTask { await keyStore.run() }
            group.addTask { await sealedStore.run() }
            group.addTask { await renewKeys(keyStore, wakeup: renewal) }
            await withGracefulShutdownHandler {
                await unsealLoop(sealedStore, wakeup: work)
            } onGracefulShutdown: {
                work.wake()
            }
            group.cancelAll()
        }
    }

    /// Unseals what changed whenever a watch says so, and everything once per resync interval.
    func unsealLoop(_ store: ResourceStore<Manifest, Never>, wakeup: WakeSignal) async {
        var done: [String: String] = [:]
        var lastResync = configuration.now()
        let resync = TimeInterval(configuration.resyncInterval.components.seconds)
        while !Task.isShuttingDownGracefully && !Task.isCancelled {
            if configuration.now().timeIntervalSince(lastResync) >= resync {
                done = [:]
                lastResync = configuration.now()
            }
            let privateKeys = keys.privateKeys
            if !privateKeys.isEmpty, let entries = await store.all() {
                // A new key changes nothing sealed before, but one sealed with it may have failed before it arrived.
                let keySet = privateKeys.map(\.publicKey.fingerprint).joined(separator: ",")
                var seen: Set<String> = []
                for entry in entries where configuration.namespaces?(entry.object.namespace) ?? true {
                    let id = "\(entry.object.namespace)/\(entry.object.name)"
                    seen.insert(id)
                    let version = "\(entry.object.resourceVersion ?? "")|\(keySet)"
                    guard done[id] != version else { continue }
                    await reconcile(entry.object, keys: privateKeys)
                    done[id] = version
                    if Task.isShuttingDownGracefully { break }
                }
                done = done.filter { seen.contains($0.key) }
            }
            await wakeup.wait(timeout: configuration.resyncInterval, clock: configuration.clock)
        }
    }

    /// Applies the SealedSecret CRD and waits until it is served.
    func installCRDs() async throws {
        for (file, yaml) in SealedSecretCRDs.all {
            for object in try Manifest.decode(Array(yaml.utf8), file: file) {
                _ = try await client.apply(object, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
            }
        }
        for attempt in 0..<100 {
            if (try? await client.resource(for: Self.sealedSecretKind)) != nil { return }
            if attempt == 99 { logger.warning("the SealedSecret CRD is not served yet") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
