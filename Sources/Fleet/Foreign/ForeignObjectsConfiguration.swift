import Kube

/// Settings of the service that runs Argo CD's and Flux's objects as Keelson objects.
public struct ForeignObjectsConfiguration: Sendable {
    /// Read Argo CD's `Application` and `AppProject` objects.
    public var readArgoCD = true
    /// Read Flux's `Kustomization` and `HelmRelease` objects and their sources.
    public var readFlux = true
    /// The controller's namespace: where Projects go, and where registered clusters are read.
    public var controllerNamespace = "keelson"
    /// Where the foreign objects are watched.
    public var watchScope: WatchScope = .cluster
    /// Whether the controller reconciles Applications of a namespace (its tenancy); translated
    /// objects bound for another namespace are not written. All when `nil`.
    public var namespaces: (@Sendable (String) -> Bool)?
    /// How often kinds whose CRDs are not served are looked for again.
    public var optionalKindRetry: Duration = .seconds(60)
    /// The longest wait between passes without a change (a safety net: watches wake the service).
    public var resyncInterval: Duration = .seconds(300)
    /// The clock waits are timed with.
    public var clock: any Clock<Duration> = ContinuousClock()

    /// Defaults.
    public init() {}
}
