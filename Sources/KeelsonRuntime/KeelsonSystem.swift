import Controller
import ExternalSecrets
import Fleet
import GitSource
import ImageAutomation
import Kube
import Logging
import Notify
import Plan
import SealedSecrets
import Server
import ServiceLifecycle
import UnixSignals

/// The one place Keelson's long-running parts are built and wired: the controller, image
/// automation (whose registry webhooks the server routes) and the HTTP server (which serves the
/// controller's handle), run as services of one `ServiceGroup`.
///
/// ```swift
/// var configuration = KeelsonConfiguration()
/// configuration.controller.appsPath = "apps"
/// let system = KeelsonSystem(client: client, git: git, configuration: configuration)
/// try await system.run(gracefulShutdownSignals: [.sigterm, .sigint])
/// ```
public struct KeelsonSystem: Service {
    /// The GitOps loop.
    public let controller: ControllerService
    /// ImagePolicies and ImageUpdateAutomations, when configured.
    public let imageAutomation: ImageAutomationService?
    /// ExternalSecrets and their stores, when configured.
    public let externalSecrets: ExternalSecretsService<ContinuousClock>?
    /// ApplicationSets, when configured.
    public let applicationSets: ApplicationSetService<ContinuousClock>?
    /// Alerts and commit statuses, when configured.
    public let notifications: NotificationService?
    /// SealedSecrets unsealing and its sealing keys, when configured.
    public let sealedSecrets: SealedSecretsService?
    /// Pull-request plans, when configured with a server.
    public let pullRequestPlans: PullRequestPlanService?
    /// Argo CD's and Flux's objects run as Keelson objects, when configured.
    public let foreignObjects: ForeignObjectsService?
    /// The API, dashboard and webhooks, when configured.
    public let server: ServerService?
    let logger: Logger

    /// What the server and tests read from the controller and ask it through.
    public var handle: ControllerHandle { controller.handle }

    /// Builds every part of `configuration` on `client` and `git`.
    public init(client: any KubernetesAPI, git: GitCache, configuration: KeelsonConfiguration) {
        controller = ControllerService(
            client: client, git: git, configuration: configuration.controller, logger: configuration.logger("keelson.controller"))
        imageAutomation = configuration.imageAutomation.map { settings in
            var settings = settings
            let tenancy = configuration.controller.tenancy
            settings.controllerNamespace = tenancy.controllerNamespace
            settings.namespaces = { tenancy.reconciles(namespace: $0) }
            settings.watchScope = configuration.controller.watchScope
            // A namespaced install leaves the CRDs to the cluster's admin.
            if configuration.controller.watchScope != .cluster { settings.installCRDs = false }
            return ImageAutomationService(client: client, git: git, configuration: settings, logger: configuration.logger("keelson.image-automation"))
        }
        externalSecrets = configuration.externalSecrets.map { settings in
            var settings = settings
            // ExternalSecrets sit beside the workloads Applications deploy, not in the Applications'
            // own namespaces, so they run wherever the controller watches (as SealedSecrets do);
            // a store's own namespace rules keep tenants apart.
            settings.controllerNamespace = configuration.controller.tenancy.controllerNamespace
            settings.watchScope = configuration.controller.watchScope
            if configuration.controller.watchScope != .cluster { settings.installCRDs = false }
            return ExternalSecretsService(client: client, configuration: settings, logger: configuration.logger("keelson.external-secrets"))
        }
        applicationSets = configuration.applicationSets.map { settings in
            var settings = settings
            // Sets are tenants' objects, like Applications: only those in namespaces the controller
            // reconciles run, and generated Applications stay in their set's namespace.
            let tenancy = configuration.controller.tenancy
            settings.controllerNamespace = tenancy.controllerNamespace
            settings.namespaces = { tenancy.reconciles(namespace: $0) }
            settings.watchScope = configuration.controller.watchScope
            if configuration.controller.watchScope != .cluster { settings.installCRDs = false }
            return ApplicationSetService(client: client, git: git, configuration: settings, logger: configuration.logger("keelson.applicationsets"))
        }
        notifications = configuration.notifications.map { [handle = controller.handle] settings in
            var settings = settings
            let forward = settings.onMetric
            settings.onMetric = { metric in
                forward(metric)
                handle.metrics.record(
                    .notification(
                        provider: metric.provider, type: metric.type, result: metric.result, seconds: metric.seconds, retries: metric.retries))
            }
            settings.controllerNamespace = configuration.controller.tenancy.controllerNamespace
            settings.watchScope = configuration.controller.watchScope
            if configuration.controller.watchScope != .cluster { settings.installCRDs = false }
            return NotificationService(
                client: client, configuration: settings, deliverer: Deliverer(logger: configuration.logger("keelson.notify")),
                logger: configuration.logger("keelson.notify"))
        }
        sealedSecrets = configuration.sealedSecrets.map { [handle = controller.handle] settings in
            var settings = settings
            let forward = settings.onDisabled
            settings.onDisabled = { reason in
                forward(reason)
                handle.metrics.record(.sealedSecretsDisabled(reason: reason.rawValue))
            }
            // Keys live beside the controller; SealedSecrets are unsealed wherever the controller
            // watches (they sit in the namespaces Applications deploy to, not the Applications' own).
            settings.controllerNamespace = configuration.controller.tenancy.controllerNamespace
            settings.watchScope = configuration.controller.watchScope
            if configuration.controller.watchScope != .cluster { settings.installCRDs = false }
            return SealedSecretsService(client: client, configuration: settings, logger: configuration.logger("keelson.sealed-secrets"))
        }
        foreignObjects = configuration.foreignObjects.map { settings in
            var settings = settings
            settings.controllerNamespace = configuration.controller.tenancy.controllerNamespace
            settings.watchScope = configuration.controller.watchScope
            let tenancy = configuration.controller.tenancy
            settings.namespaces = { tenancy.reconciles(namespace: $0) }
            return ForeignObjectsService(client: client, configuration: settings, logger: configuration.logger("keelson.fleet"))
        }
        let plans =
            configuration.server == nil
            ? nil
            : configuration.pullRequestPlans.map { [handle = controller.handle] settings in
                PullRequestPlanService(
                    handle: handle, client: client, git: git, configuration: settings, logger: configuration.logger("keelson.pr-plans"))
            }
        pullRequestPlans = plans
        server = configuration.server.map { [imageAutomation, sealedSecrets, handle = controller.handle] settings in
            var server = settings.configuration
            var routes = settings.routes
            if let keys = sealedSecrets?.keys { routes.append(SealingCertificateRoute.registration { keys.certificatePEM }) }
            if let plans { server.pullRequestPlans = PullRequestPlanSinkAdapter(service: plans) }
            if let secrets = settings.registryWebhookSecrets, let images = imageAutomation {
                server.registryWebhooks = RegistryWebhookSinkAdapter(
                    handler: RegistryWebhookHandler(secrets: secrets, policies: images), service: images)
            }
            return ServerService(
                configuration: server, handle: handle, client: client, audit: settings.audit, routes: routes,
                logger: configuration.logger("keelson.server"), onListening: settings.onListening)
        }
        logger = configuration.logger("keelson.services")
    }

    /// The services in start order; the server comes last, so it stops first. Each is named:
    /// a service group logs its services by name, and the default name is the service printed
    /// whole, settings and environment included.
    public var services: [ServiceGroupConfiguration.ServiceConfiguration] {
        let handle = controller.handle
        func leaderOnly(_ name: String, _ service: (any Service)?) -> [ServiceGroupConfiguration.ServiceConfiguration] {
            service.map { [.init(service: LeaderOnly($0, handle: handle), serviceName: name + " (leader only)")] } ?? []
        }
        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [.init(service: controller, serviceName: "controller")]
        services += leaderOnly("image-automation", imageAutomation)
        services += leaderOnly("external-secrets", externalSecrets)
        services += leaderOnly("applicationsets", applicationSets)
        services += leaderOnly("notifications", notifications)
        if let sealedSecrets {
            // Every replica reads the keys, so each serves /v1/cert.pem; only the leader makes keys and unseals.
            services.append(.init(service: sealedSecrets.keyWatch, serviceName: "sealing-key-watch"))
            services += leaderOnly("sealed-secrets", sealedSecrets)
        }
        services += leaderOnly("foreign-objects", foreignObjects)
        services += leaderOnly("pull-request-plans", pullRequestPlans)
        if let server { services.append(.init(service: server, serviceName: "server")) }
        return services
    }

    /// Runs every part until they end; shuts them down gracefully on `gracefulShutdownSignals`,
    /// or when the task running this does (inside another `ServiceGroup`).
    public func run(gracefulShutdownSignals: [UnixSignal]) async throws {
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: gracefulShutdownSignals, logger: logger))
        try await group.run()
    }

    /// Runs every part until they end, shut down with the enclosing `ServiceGroup`.
    public func run() async throws { try await run(gracefulShutdownSignals: []) }
}

/// A service that writes, run only on the replica that leads (at once when there is no leader
/// election). A replica that loses the Lease ends its whole service group, so it never needs stopping.
struct LeaderOnly: Service {
    let base: any Service
    let handle: ControllerHandle

    init(_ base: any Service, handle: ControllerHandle) {
        self.base = base
        self.handle = handle
    }

    func run() async throws {
        let handle = handle
        try? await cancelWhenGracefulShutdown {
            while !handle.isLeading { try await Task.sleep(for: .milliseconds(200)) }
        }
        guard !Task.isShuttingDownGracefully, !Task.isCancelled else { return }
        try await base.run()
    }
}
