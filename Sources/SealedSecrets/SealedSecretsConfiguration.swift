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
    /// `SealedSecretsConfiguration.check(renewal:)` says which periods are allowed.
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

    /// Told once when the service stands aside (the metric and health note of the server).
    public var onDisabled: @Sendable (SealedSecretsDisabledReason) -> Void = { _ in }

    /// Defaults.
    public init() {}

    /// The shortest renewal period: a new 4096-bit key more often is a denial of service.
    public static let minimumRenewal: Duration = .seconds(3600)

    /// The renewal period of a `--sealing-key-renewal` value: `nil` (never) for zero, else at
    /// least an hour and at most a hundred years.
    public static func renewal(_ period: Duration) throws(SealedSecretsConfigurationError) -> Duration? {
        guard period != .zero else { return nil }
        guard period >= minimumRenewal else {
            throw SealedSecretsConfigurationError("the sealing-key renewal period must be 0 (never) or at least 1h")
        }
        guard period <= .seconds(100 * 365 * 86400) else {
            throw SealedSecretsConfigurationError("the sealing-key renewal period must be at most 100 years")
        }
        return period
    }
}

/// Why the SealedSecrets controller stands aside.
public enum SealedSecretsDisabledReason: String, Sendable, Hashable {
    /// The SealedSecret CRD was installed by another controller (Bitnami's).
    case foreignCRD = "foreign-crd"
}

/// A SealedSecrets setting that cannot be used.
public struct SealedSecretsConfigurationError: Error, Sendable, CustomStringConvertible {
    /// What is wrong.
    public var description: String

    init(_ description: String) { self.description = description }
}
