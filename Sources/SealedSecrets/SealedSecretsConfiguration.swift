import Foundation
import Kube

/// Settings of the SealedSecrets controller.
public struct SealedSecretsConfiguration: Sendable {
    /// Install the `bitnami.com` SealedSecret CRD when missing.
    public var installCRDs = true
    /// Where the sealing keys live, as `kubernetes.io/tls` Secrets (the controller's namespace).
    public var controllerNamespace = "keelson"
    /// Which namespaces' SealedSecrets are unsealed (the controller's tenancy); all when `nil`.
    public var namespaces: (@Sendable (String) -> Bool)?
    /// Where SealedSecrets are watched: across the cluster, or in some namespaces only.
    public var watchScope: WatchScope = .cluster
    /// How often a new sealing key is made (Bitnami's `--key-renew-period`, 30 days); old keys
    /// are kept for unsealing. `nil` never renews (one key is still made when there is none).
    public var keyRenewalPeriod: Duration? = .seconds(30 * 86400)
    /// The size of new keys in bits.
    public var keyBits = 4096
    /// How long new certificates are valid.
    public var certificateValidity: TimeInterval = 10 * 365 * 86400
    /// How often every SealedSecret is unsealed again, so a deleted or edited Secret comes back.
    public var resyncInterval: Duration = .seconds(600)
    /// The clock renewal and resync wait on (a `ManualClock` in tests).
    public var clock: any Clock<Duration> = ContinuousClock()
    /// The wall-clock time, for certificate dates and key age (in step with `clock` in tests).
    public var now: @Sendable () -> Date = { Date() }

    /// Defaults.
    public init() {}
}
