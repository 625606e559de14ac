import AsyncHTTPClient
import Foundation
import Kube

/// Settings of the external secrets loop.
public struct ExternalSecretsConfiguration: Sendable {
    /// Install the SecretStore, ClusterSecretStore and ExternalSecret CRDs when missing.
    public var installCRDs = true
    /// The providers stores may name (`aws`, `kubernetes`, `vault`); others are registered here.
    public var providers = SecretStoreProviderFactory.standard
    /// The APIs whose objects are run: Keelson's, and External Secrets Operator's own when its
    /// CRDs are served. Leave ESO's out while ESO itself runs in the cluster, or the two fight.
    public var apis: Set<ExternalSecretsAPI> = Set(ExternalSecretsAPI.allCases)
    /// How many syncs and validations run at once.
    public var concurrency = 4
    /// Which namespaces' objects are run (the controller's tenancy); all when `nil`.
    public var namespaces: (@Sendable (String) -> Bool)?
    /// Where the objects are watched.
    public var watchScope: WatchScope = .cluster
    /// The namespace a ClusterSecretStore is validated from (the controller's).
    public var controllerNamespace = "keelson"
    /// How soon a failed sync is tried again (sooner when the refresh interval is shorter).
    public var retryInterval: Duration = .seconds(30)
    /// The longest wait between retries: every failure in a row doubles the wait up to this.
    public var maximumRetryInterval: Duration = .seconds(600)
    /// How often stores are validated again.
    public var storeValidationInterval: Duration = .seconds(300)
    /// How often ESO's kinds are looked for again while their CRDs are not served.
    public var optionalKindRetry: Duration = .seconds(60)
    /// The environment providers read (AWS endpoint overrides, ambient credentials).
    public var environment: [String: String] = ProcessInfo.processInfo.environment
    /// The HTTP client providers share.
    public var httpClient: HTTPClient = .shared
    /// The wall clock written into `refreshTime` and conditions.
    public var now: @Sendable () -> Date = { Date() }

    /// Defaults.
    public init() {}
}
