import Foundation
import Kube
import Logging
import Manifests
import Secrets
import ServiceLifecycle

/// Keeps a `SealingKeyRegistry` equal to the sealing-key Secrets of the controller's namespace.
/// It only reads, so every replica runs it and serves `/v1/cert.pem`; making keys and unsealing
/// stay with `SealedSecretsService` on the leader.
///
/// ```swift
/// let sealed = SealedSecretsService(client: client)
/// let services: [any Service] = [sealed.keyWatch, LeaderOnly(sealed)]
/// ```
public struct SealingKeyWatch: Service {
    let client: any KubernetesAPI
    let configuration: SealedSecretsConfiguration
    let keys: SealingKeyRegistry
    let logger: Logger

    /// A watch filling `keys` from the Secrets of `configuration.controllerNamespace`.
    public init(client: any KubernetesAPI, configuration: SealedSecretsConfiguration, keys: SealingKeyRegistry, logger: Logger) {
        self.client = client
        self.configuration = configuration
        self.keys = keys
        self.logger = logger
    }

    public func run() async {
        let changed = WakeSignal()
        let logger = logger
        // Parsed once per resourceVersion, so an unreadable key is reported once per change.
        let store = ResourceStore<SealingKey?, SealedSecretsError>(
            client: client, kind: SealedSecretsService.secretKind, namespace: configuration.controllerNamespace, logger: logger,
            parse: { secret throws(SealedSecretsError) in
                do throws(SealedSecretsError) { return try SealingKeySecret.key(of: secret) } catch {
                    logger.warning("ignoring a sealing key that cannot be read", metadata: ["error": "\(error)"])
                    throw error
                }
            },
            onChange: { changed.wake() })
        await withDiscardingTaskGroup { group in
            group.addTask { await store.run() }
            await withGracefulShutdownHandler {
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    if let entries = await store.all() {
                        let stored = entries.compactMap { entry -> SealingKey? in (try? entry.parsed.get()) ?? nil }
                        keys.replace(stored: stored, now: configuration.now())
                    }
                    // Hourly as well: a certificate whose start was in the future may count now.
                    await changed.wait(timeout: .seconds(3600), clock: configuration.clock)
                }
            } onGracefulShutdown: {
                changed.wake()
            }
            group.cancelAll()
        }
    }
}
