import Foundation
import Kube
import Manifests

/// One Application's transition to announce: its events and where each goes.
struct NotificationWork: Sendable {
    var app: String
    var object: Manifest
    var events: [NotificationEvent]
    var announce: AppSnapshot
    var routes: [Route]

    /// One event for one Alert through its Provider.
    struct Route: Sendable {
        var event: NotificationEvent
        var alert: AlertSpec
        var provider: ProviderSpec?
    }
}

extension NotificationService {
    /// Detects what each Application's status shows that was not detected before, and queues
    /// its events, routed, for delivery.
    func detect(_ applications: [Manifest], config: NotifyConfig, startedAt: Date) async {
        let router = AlertRouter(controllerNamespace: configuration.controllerNamespace)
        for object in applications {
            guard let status = object.object["status"], case .object = status else { continue }
            let app = "\(object.namespace)/\(object.name)"
            let stored = AppSnapshot(json: status[path: ["notified", "snapshot"]])
            let previous = await state.baseline[app] ?? stored
            // New: nothing announced yet, and nothing ever deployed (no history) or created
            // about when this service started (it may have deployed before the first look).
            let created = object.metadata["creationTimestamp"]?.stringValue.flatMap { try? Date($0, strategy: .iso8601) }
            let isNew =
                status["notified"] == nil
                && ((status["history"]?.arrayValue ?? []).isEmpty
                    || created.map { $0 >= startedAt.addingTimeInterval(-Self.newApplicationSlack) } == true)
            let source = EventSource(
                namespace: object.namespace, name: object.name, labels: object.labels,
                repoURL: object.object["spec"]?[path: ["source", "repoURL"]]?.stringValue ?? "")
            let (events, next) = EventDetector.events(previous: previous, current: AppSnapshot(status: status), isNew: isNew, source: source)
            var routes: [NotificationWork.Route] = []
            let subscriptions = ArgoSubscriptions.subscriptions(namespace: object.namespace, name: object.name, annotations: object.annotations)
            for event in events {
                for alert in config.alerts where router.wants(alert, event) {
                    routes.append(.init(event: event, alert: alert, provider: config.provider(alert.providerRef, namespace: alert.namespace)))
                }
                for subscription in subscriptions where router.wants(subscription.alert, event) {
                    var provider = config.provider(subscription.alert.providerRef, namespace: object.namespace)
                    if let recipient = subscription.recipient { provider?.channel = recipient }
                    routes.append(.init(event: event, alert: subscription.alert, provider: provider))
                }
            }
            // Nothing to send: the snapshot moves on in memory, and in status only when status
            // already keeps one (an Application no Alert ever listened to costs no write).
            await state.setBaseline(app, next)
            guard !routes.isEmpty || (stored != nil && !events.isEmpty) else { continue }
            await state.enqueue(NotificationWork(app: app, object: object, events: events, announce: next, routes: routes))
        }
    }

    /// Delivers every route of `work` in order, then writes the announced snapshot. Answers
    /// false when a delivery failed for now (the transition is then tried again, whole).
    func deliver(_ work: NotificationWork) async -> Bool {
        let renderer = MessageRenderer(externalURL: configuration.externalURL)
        var retry = false
        for route in work.routes {
            let result = await deliver(route, renderer: renderer)
            if let failure = result.failure, !failure.isPermanent { retry = true }
        }
        if retry {
            logger.info("a notification failed for now; its events will be tried again", metadata: ["keelson.app": "\(work.app)"])
            return false
        }
        await persist(work.announce, app: work.object)
        return true
    }

    /// One route: the Provider's credentials, the rate limit, the delivery, and the Alert's status.
    func deliver(_ route: NotificationWork.Route, renderer: MessageRenderer) async -> DeliveryResult {
        let now = configuration.now()
        let event = route.event
        guard let provider = route.provider else {
            let result = DeliveryResult(
                attempts: 0,
                outcome: .failed(
                    DeliveryFailure(
                        .configuration, provider: route.alert.providerRef,
                        message: "provider \(route.alert.providerRef) does not exist in namespace \(route.alert.namespace)")))
            await report(result, route: route, providerName: route.alert.providerRef, at: now, seconds: 0)
            return result
        }
        let message = renderer.render(event, alert: route.alert)
        let key = [provider.id, event.source.id, event.type.rawValue, message.text].joined(separator: "\u{1}")
        guard await !state.recentlySent(key, interval: provider.rateLimit, now: now) else {
            configuration.onMetric(NotificationMetric(provider: provider.id, type: event.type.rawValue, result: "suppressed", seconds: 0, retries: 0))
            return .skipped("sent within the rate limit")
        }
        var credentials = ProviderCredentials()
        if let name = provider.secretRef {
            do {
                credentials = try ProviderCredentials(secret: try await client.get(Self.secretKind, name: name, namespace: provider.namespace))
            } catch {
                let result = DeliveryResult(
                    attempts: 0,
                    outcome: .failed(
                        DeliveryFailure(
                            .configuration, provider: provider.name,
                            message: "cannot read Secret \(provider.namespace)/\(name) of provider \(provider.name)")))
                await report(result, route: route, providerName: provider.name, at: now, seconds: 0)
                return result
            }
        }
        let started = ContinuousClock.now
        let result = await deliverer.deliver(event: event, message: message, provider: provider, credentials: credentials)
        if result.isDelivered { await state.markSent(key, now: now) }
        await report(result, route: route, providerName: provider.name, at: now, seconds: Self.seconds(ContinuousClock.now - started))
        return result
    }

    /// How long before this service started an Application may have been created and still be
    /// told as new (clocks of the API server and the controller differ a little).
    static let newApplicationSlack: TimeInterval = 60

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
