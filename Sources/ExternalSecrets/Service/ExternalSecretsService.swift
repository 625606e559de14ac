import Foundation
import Kube
import Logging
import Manifests
import ServiceLifecycle

/// Runs `ExternalSecret`s, `SecretStore`s and `ClusterSecretStore`s (Keelson's
/// `keelson.dev/v1alpha1`, and ESO's `external-secrets.io/v1` where served), following them by
/// watch: each ExternalSecret is fetched from its store's provider when it appears or changes and
/// every `refreshInterval`, rendered through its template and written to its target Secret as its
/// `creationPolicy` and `deletionPolicy` say; stores are validated when they change. A store that
/// fails changes nothing it wrote before: the Secret stays as it was and the `Ready` condition
/// says why. No value reaches a status, an event or a log line.
///
/// Time comes from `clock`, so refresh timing is tested in virtual time.
///
/// ```swift
/// let secrets = ExternalSecretsService(client: client)
/// let group = ServiceGroup(configuration: .init(services: [.init(service: secrets)], logger: logger))
/// ```
public struct ExternalSecretsService<C: Clock>: Service where C.Duration == Duration {
    let client: any KubernetesAPI
    let configuration: ExternalSecretsConfiguration
    let clock: C
    let logger: Logger
    let state = ExternalSecretsState<C.Instant>()
    /// Counts of syncs by outcome, for `/metrics`.
    public let metrics = ExternalSecretsMetrics()

    static var fieldManager: String { "keelson-external-secrets" }
    static var secretKind: GroupVersionKind { GroupVersionKind(group: "", version: "v1", kind: "Secret") }
    static var namespaceKind: GroupVersionKind { GroupVersionKind(group: "", version: "v1", kind: "Namespace") }
    /// The longest wait without a timer (every change wakes the loop anyway).
    static var idleWait: Duration { .seconds(3600) }

    /// Creates the service on `clock`.
    public init(
        client: any KubernetesAPI, configuration: ExternalSecretsConfiguration = ExternalSecretsConfiguration(), clock: C,
        logger: Logger = Logger(label: "keelson.external-secrets")
    ) {
        self.client = client
        self.configuration = configuration
        self.clock = clock
        self.logger = logger
    }

    public func run() async throws {
        if configuration.installCRDs {
            do { try await installCRDs() } catch { logger.warning("cannot install the external secrets CRDs", metadata: ["error": "\(error)"]) }
        }
        let wakeup = state.wakeup
        let stores = ExternalSecretsStores(client: client, configuration: configuration, logger: logger) { wakeup.wake() }
        await withDiscardingTaskGroup { watches in
            watches.addTask { await stores.run() }
            await withGracefulShutdownHandler {
                await runDueWork(stores)
            } onGracefulShutdown: {
                wakeup.wake()
            }
            watches.cancelAll()
        }
    }

    /// One sync or validation to start now.
    struct Work: Sendable {
        var key: String
        var run: @Sendable () async -> Void
    }

    /// Starts what is due whenever a watch, a finished run or a timer says so, until shutdown.
    func runDueWork(_ stores: ExternalSecretsStores) async {
        let wakeup = state.wakeup
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                let now = clock.now
                for work in await dueWork(stores, now: now) {
                    guard await state.runningCount() < max(1, configuration.concurrency) else { break }
                    guard await state.begin(work.key) else { continue }
                    group.addTask {
                        await work.run()
                        await state.end(work.key)
                        wakeup.wake()
                    }
                }
                let timer = await state.nextTimer(after: now).map { clock.now.duration(to: $0) }
                await wakeup.wait(timeout: timer ?? Self.idleWait, clock: clock)
            }
            logger.info("external secrets stopping; waiting for syncs in flight")
        }
    }

    /// What is due now: store validations, then ExternalSecret syncs.
    func dueWork(_ stores: ExternalSecretsStores, now: C.Instant) async -> [Work] {
        var work = await dueValidations(stores, now: now)
        var ids: Set<String> = []
        for (api, cache) in stores.externalSecrets {
            for entry in await cache.all() ?? [] where configuration.namespaces?(entry.object.namespace) ?? true {
                let object = entry.object
                let id = "\(api.rawValue) \(object.namespace)/\(object.name)"
                ids.insert(id)
                if await stores.belongsToAnotherController(object) { continue }
                let version = RefreshSchedule.syncedVersion(of: object)
                switch entry.parsed {
                case .failure(let error):
                    if await state.shouldReportInvalid(id, version: version) {
                        await writeStatus(
                            object, condition: StatusCondition.ready(false, ReadyCondition.syncedError, error.description))
                    }
                case .success(let externalSecret):
                    if await isDue(id, externalSecret, object: object, version: version, now: now) {
                        work.append(Work(key: id) { await sync(externalSecret, cached: object, id: id, stores: stores) })
                    }
                }
            }
        }
        await state.keep(ids)
        return work
    }

    /// Whether `id` is due; otherwise its next time is scheduled.
    func isDue(_ id: String, _ externalSecret: ExternalSecret, object: Manifest, version: String, now: C.Instant) async -> Bool {
        let record = await state.record(id)
        if let retryAt = record?.retryAt, record?.failedVersion == version {
            return retryAt <= now
        }
        // Without a record (a restart), the status says when the last sync was, as ESO reads it.
        let status = object.object["status"]
        let synced = record?.syncedVersion ?? status?["syncedResourceVersion"]?.stringValue
        let since: Duration? =
            if let last = record?.lastRefresh {
                last.duration(to: now)
            } else if let text = status?["refreshTime"]?.stringValue, let date = ISO8601DateFormatter().date(from: text) {
                .milliseconds(Int64(configuration.now().timeIntervalSince(date) * 1000))
            } else {
                nil
            }
        let decision = RefreshSchedule.decide(
            policy: externalSecret.refreshPolicy, interval: externalSecret.refreshInterval, currentVersion: version, syncedVersion: synced,
            sinceLastRefresh: since)
        switch decision {
        case .now: return true
        case .after(let wait): await state.schedule(id, at: now.advanced(by: wait))
        case .never: await state.schedule(id, at: nil)
        }
        return false
    }
}

extension ExternalSecretsService where C == ContinuousClock {
    /// Creates the service on the system's continuous clock.
    public init(
        client: any KubernetesAPI, configuration: ExternalSecretsConfiguration = ExternalSecretsConfiguration(),
        logger: Logger = Logger(label: "keelson.external-secrets")
    ) {
        self.init(client: client, configuration: configuration, clock: ContinuousClock(), logger: logger)
    }
}
