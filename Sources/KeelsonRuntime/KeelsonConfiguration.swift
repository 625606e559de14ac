import Controller
import ExternalSecrets
import Fleet
import ImageAutomation
import Logging
import Notify
import Plan
import SealedSecrets
import Server

/// Everything Keelson runs, set in one place: the controller, image automation and the HTTP
/// server. `keelson controller`, `keelson demo` and the tests fill one and hand it to
/// `KeelsonSystem`.
public struct KeelsonConfiguration: Sendable {
    /// The controller's settings (its tenancy also scopes image automation).
    public var controller = ControllerConfiguration()
    /// Image automation's settings, or `nil` to run none. Its `controllerNamespace` and
    /// `namespaces` are always the controller's tenancy.
    public var imageAutomation: ImageAutomationConfiguration? = ImageAutomationConfiguration()
    /// External secrets (SecretStores, ClusterSecretStores, ExternalSecrets), or `nil` to run none.
    /// Its `namespaces`, `watchScope` and `controllerNamespace` are always the controller's tenancy.
    public var externalSecrets: ExternalSecretsConfiguration? = ExternalSecretsConfiguration()
    /// ApplicationSets (generated fleets of Applications), or `nil` for none (the default here;
    /// `keelson controller` turns it on). Its `namespaces`, `watchScope` and
    /// `controllerNamespace` are always the controller's tenancy.
    public var applicationSets: ApplicationSetConfiguration?
    /// Notifications (Providers and Alerts); nil leaves them off.
    public var notifications: NotificationConfiguration? = NotificationConfiguration()
    /// SealedSecrets unsealing (keys in the controller's namespace), or `nil` for none (the
    /// default here; `keelson controller` turns it on). Its `controllerNamespace` and
    /// `watchScope` are always the controller's.
    public var sealedSecrets: SealedSecretsConfiguration?
    /// Argo CD's and Flux's objects run as Keelson objects (`--argocd-objects`, `--flux-objects`),
    /// or `nil` for none (the default: beside a running Argo CD or Flux, both would deploy them).
    /// Its `controllerNamespace` and `watchScope` are always the controller's.
    public var foreignObjects: ForeignObjectsConfiguration?
    /// The HTTP server, or `nil` to run none.
    public var server: ServerSettings?
    /// Pull-request plans from the server's Git webhooks (`--pr-plans`), or nil for none; they
    /// need the server.
    public var pullRequestPlans: PullRequestPlanConfiguration?
    /// The logger of each part, by label (`keelson.controller`, `keelson.image-automation`,
    /// `keelson.server`, `keelson.services`).
    public var logger: @Sendable (_ label: String) -> Logger = { Logger(label: $0) }

    /// Defaults: the controller and image automation, no server.
    public init() {}
}

/// The HTTP server's part of a `KeelsonConfiguration`.
public struct ServerSettings: Sendable {
    /// Address, tokens, webhook secrets, limits.
    public var configuration: ServerConfiguration
    /// Where API actions and refused webhooks are recorded.
    public var audit: AuditLog
    /// Extra routes (the dashboard).
    public var routes: [RouteRegistration]
    /// Registry webhook secrets: with them and image automation, `/hooks/registry/{provider}`
    /// asks image automation to rescan (otherwise `configuration.registryWebhooks` is kept).
    public var registryWebhookSecrets: RegistryWebhookSecrets?
    /// Gets `http://HOST:PORT` once the server accepts connections.
    public var onListening: @Sendable (String) async -> Void

    /// Creates the settings.
    public init(
        configuration: ServerConfiguration, audit: AuditLog, routes: [RouteRegistration] = [], registryWebhookSecrets: RegistryWebhookSecrets? = nil,
        onListening: @escaping @Sendable (String) async -> Void = { _ in }
    ) {
        self.configuration = configuration
        self.audit = audit
        self.routes = routes
        self.registryWebhookSecrets = registryWebhookSecrets
        self.onListening = onListening
    }
}
