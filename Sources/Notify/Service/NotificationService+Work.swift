import Foundation
import KeelsonFoundation
import Kube
import Manifests

/// One Application's transition to announce: its events, where each goes, and which of those
/// deliveries are done.
struct NotificationWork: Sendable {
    var app: String
    var object: Manifest
    var events: [NotificationEvent]
    var announce: AppSnapshot
    var routes: [Route]
    /// The routes delivered (or refused for good) so far: a retry sends only the others.
    var done: Set<Int> = []
    /// How many times the transition was tried.
    var attempts = 0

    /// One event for one Alert. The Alert and its Provider are looked up again at each attempt,
    /// so a fixed, suspended or deleted one counts; an Argo CD subscription carries its own.
    struct Route: Sendable {
        var event: NotificationEvent
        var alert: AlertSpec
        /// An Argo CD subscription, which no Alert object holds.
        var subscription = false
        /// The subscription's recipient, which replaces the Provider's channel.
        var recipient: String?
    }
}

extension NotificationService {
    /// How often a transition is tried before its remaining deliveries are given up.
    static let maximumAttempts = 10

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
                for alert in config.alerts where router.wants(alert, event) { routes.append(.init(event: event, alert: alert)) }
                for subscription in subscriptions where router.wants(subscription.alert, event) {
                    routes.append(.init(event: event, alert: subscription.alert, subscription: true, recipient: subscription.recipient))
                }
            }
            await state.setBaseline(app, next)
            // Nothing to send: the snapshot moves on in memory, and in status only when status
            // already keeps one (an Application no Alert ever listened to costs no write).
            guard !routes.isEmpty || (stored != nil && !events.isEmpty) else { continue }
            await state.enqueue(NotificationWork(app: app, object: object, events: events, announce: next, routes: routes))
        }
    }

    /// Delivers the routes of `work` not yet done, in order, then writes the announced snapshot.
    /// Answers the routes now done, and whether some failed for now (they are tried again later,
    /// up to `maximumAttempts` times, after which they are given up and logged).
    func deliver(_ work: NotificationWork, config: NotifyConfig) async -> (done: Set<Int>, retry: Bool) {
        let renderer = MessageRenderer(externalURL: configuration.externalURL)
        var done = work.done
        for (index, route) in work.routes.enumerated() where !done.contains(index) {
            let result = await deliver(route, config: config, renderer: renderer)
            if let failure = result.failure, !failure.isPermanent { continue }
            done.insert(index)
        }
        if done.count < work.routes.count && work.attempts + 1 < Self.maximumAttempts {
            logger.info("a notification failed for now; it will be tried again", metadata: ["keelson.app": "\(work.app)"])
            return (done, true)
        }
        if done.count < work.routes.count {
            logger.warning(
                "notifications given up after \(Self.maximumAttempts) attempts",
                metadata: ["keelson.app": "\(work.app)", "undelivered": "\(work.routes.count - done.count)"])
        }
        await persist(work.announce, app: work.object)
        return (done, false)
    }

    /// One route: the current Alert and Provider, the Provider's credentials, the rate limit,
    /// the delivery, and the Alert's status.
    func deliver(_ route: NotificationWork.Route, config: NotifyConfig, renderer: MessageRenderer) async -> DeliveryResult {
        let now = configuration.now()
        let event = route.event
        // The Alert as it is now: deleted or suspended since, it sends nothing.
        guard let alert = route.subscription ? route.alert : config.alert(route.alert.name, namespace: route.alert.namespace), !alert.suspend
        else { return .skipped("the alert is gone or suspended") }
        guard var provider = config.provider(alert.providerRef, namespace: alert.namespace) else {
            // Perhaps not created yet, or not yet seen: tried again, and given up in the end.
            let result = DeliveryResult(
                attempts: 0,
                outcome: .failed(
                    DeliveryFailure(
                        .configuration, provider: alert.providerRef,
                        message: "provider \(alert.providerRef) does not exist in namespace \(alert.namespace)", isPermanent: false)))
            await report(result, route: route, alert: alert, providerName: alert.providerRef, at: now, seconds: 0)
            return result
        }
        if let recipient = route.recipient { provider.channel = recipient }
        var message = renderer.render(event, alert: alert)
        // The Provider's own status context, unless the Alert's template sets one.
        if message.statusContext == nil, let context = provider.statusContext,
            let template = try? TagTemplate(context, vocabulary: AlertTemplate.vocabulary)
        {
            message.statusContext = template.render(renderer.values(event, alert: alert))
        }
        // Incidents are never held back: a resolve must follow its trigger.
        let limited = ![.pagerduty, .opsgenie, .alertmanager].contains(provider.type)
        let key = [provider.id, provider.channel ?? "", alert.id, event.source.id, event.type.rawValue, message.text].joined(separator: "\u{1}")
        if limited, await state.recentlySent(key, interval: provider.rateLimit, now: now) {
            configuration.onMetric(NotificationMetric(provider: provider.id, type: event.type.rawValue, result: "suppressed", seconds: 0, retries: 0))
            return .skipped("sent within the rate limit")
        }
        var credentials = ProviderCredentials()
        if let name = provider.secretRef {
            do {
                credentials = try ProviderCredentials(secret: try await client.get(Self.secretKind, name: name, namespace: provider.namespace))
            } catch {
                // A missing or forbidden Secret needs a person; anything else may pass.
                let final = (error as? KubeError).map { $0.isNotFound || $0.isForbidden } ?? true
                let result = DeliveryResult(
                    attempts: 0,
                    outcome: .failed(
                        DeliveryFailure(
                            .configuration, provider: provider.name,
                            message: "cannot read Secret \(provider.namespace)/\(name) of provider \(provider.name)", isPermanent: final)))
                await report(result, route: route, alert: alert, providerName: provider.name, at: now, seconds: 0)
                return result
            }
        }
        let started = ContinuousClock.now
        let result = await deliverer.deliver(event: event, message: message, provider: provider, credentials: credentials)
        if result.isDelivered { await state.markSent(key, now: now) }
        await report(result, route: route, alert: alert, providerName: provider.name, at: now, seconds: Self.seconds(ContinuousClock.now - started))
        return result
    }

    /// How long before this service started an Application may have been created and still be
    /// told as new (clocks of the API server and the controller differ a little).
    static let newApplicationSlack: TimeInterval = 60

    static func seconds(_ duration: Duration) -> TimeInterval {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
