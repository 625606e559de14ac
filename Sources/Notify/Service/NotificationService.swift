import Foundation
import Kube
import Logging
import Manifests
import ServiceLifecycle

/// Tells people what happens to Applications: watches Applications, Providers and Alerts,
/// derives events from each Application's status against the snapshot it last announced
/// (`status.notified.snapshot`), and delivers them to the Alerts that want them.
///
/// Delivery is at least once: the snapshot is written back only after every delivery of a
/// transition arrived or failed for good, so a crash before that detects the transition again
/// (receivers deduplicate on `X-Keelson-Event-ID`). Run on the leading replica only.
public struct NotificationService: Service {
    let client: any KubernetesAPI
    let configuration: NotificationConfiguration
    let deliverer: Deliverer
    let logger: Logger
    let state = NotifierState()
    let wakeup = WakeSignal()

    static let applicationKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")
    static let providerKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Provider")
    static let alertKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Alert")
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    static let fieldManager = "keelson-notifications"

    public init(
        client: any KubernetesAPI, configuration: NotificationConfiguration, deliverer: Deliverer = Deliverer(),
        logger: Logger = Logger(label: "keelson.notify")
    ) {
        self.client = client
        self.configuration = configuration
        self.deliverer = deliverer
        self.logger = logger
    }

    public func run() async throws {
        if configuration.installCRDs {
            do { try await installCRDs() } catch { logger.warning("cannot install the Provider and Alert CRDs", metadata: ["error": "\(error)"]) }
        }
        let wakeup = self.wakeup
        let scope = configuration.watchScope
        let applications = ResourceStore<Manifest, Never>(
            client: client, kind: Self.applicationKind, scope: scope, logger: logger, parse: { $0 }, onChange: { wakeup.wake() })
        let providers = ResourceStore<ProviderSpec, NotifyObjectError>(
            client: client, kind: Self.providerKind, scope: scope, logger: logger, parse: NotifyObjects.provider, onChange: { wakeup.wake() })
        let alerts = ResourceStore<AlertSpec, NotifyObjectError>(
            client: client, kind: Self.alertKind, scope: scope, logger: logger, parse: NotifyObjects.alert, onChange: { wakeup.wake() })
        await withDiscardingTaskGroup { group in
            group.addTask { await applications.run() }
            group.addTask { await providers.run() }
            group.addTask { await alerts.run() }
            await withGracefulShutdownHandler {
                await loop(applications: applications, providers: providers, alerts: alerts)
            } onGracefulShutdown: {
                wakeup.wake()
            }
            group.cancelAll()
        }
    }

    /// Looks at every Application whenever something changes, until shutdown; then waits for
    /// deliveries in flight.
    func loop(
        applications: ResourceStore<Manifest, Never>, providers: ResourceStore<ProviderSpec, NotifyObjectError>,
        alerts: ResourceStore<AlertSpec, NotifyObjectError>
    ) async {
        let startedAt = configuration.now()
        await withDiscardingTaskGroup { group in
            while !Task.isShuttingDownGracefully && !Task.isCancelled {
                // Until every store has listed, nothing is known to be missing.
                if let apps = await applications.all(), let providerEntries = await providers.all(), let alertEntries = await alerts.all() {
                    let config = NotifyConfig(
                        providers: providerEntries.compactMap { try? $0.parsed.get() }, alerts: alertEntries.compactMap { try? $0.parsed.get() })
                    await reportInvalid(alertEntries)
                    await detect(apps.map(\.object), config: config, startedAt: startedAt)
                    for work in await state.next(now: configuration.now(), limit: max(1, configuration.concurrency)) {
                        group.addTask {
                            let (done, retry) = await deliver(work, config: config)
                            if retry {
                                let at = configuration.now().addingTimeInterval(Self.seconds(configuration.retryAfterFailure))
                                await state.failed(work.app, retryAt: at, done: done)
                            } else {
                                await state.finished(work.app)
                            }
                            wakeup.wake()
                        }
                    }
                    await state.forget(keeping: Set(apps.map { "\($0.object.namespace)/\($0.object.name)" }))
                }
                await wakeup.wait(timeout: await nextRetry() ?? Self.idleWait)
            }
            logger.info("notifications stopping; waiting for deliveries in flight")
        }
    }

    /// The longest wait without a retry due (every change wakes the loop anyway).
    static let idleWait: Duration = .seconds(3600)

    /// How long until the earliest Application waiting to retry may try again; nil while every
    /// delivery slot is taken (a finished delivery wakes the loop).
    func nextRetry() async -> Duration? {
        let now = configuration.now()
        guard await state.inFlight.count < max(1, configuration.concurrency),
            let earliest = await state.retryAt.values.filter({ $0 > now }).min()
        else { return nil }
        return .milliseconds(max(10, Int64(earliest.timeIntervalSince(now) * 1000)))
    }

    func installCRDs() async throws {
        for (file, yaml) in NotifyCRDs.all {
            for crd in try Manifest.decode(Array(yaml.utf8), file: file) {
                _ = try await client.apply(crd, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
            }
        }
    }
}

/// The Providers and Alerts known at one moment.
struct NotifyConfig: Sendable {
    var providers: [ProviderSpec]
    var alerts: [AlertSpec]

    func provider(_ name: String, namespace: String) -> ProviderSpec? {
        providers.first { $0.name == name && $0.namespace == namespace }
    }

    func alert(_ name: String, namespace: String) -> AlertSpec? {
        alerts.first { $0.name == name && $0.namespace == namespace }
    }
}
