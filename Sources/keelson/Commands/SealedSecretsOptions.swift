import ArgumentParser
import SealedSecrets

/// `keelson controller`'s SealedSecrets flags.
struct SealedSecretsOptions: ParsableArguments {
    @Flag(
        name: .customLong("sealed-secrets"), inversion: .prefixedNo,
        help: "Unseal bitnami.com/v1alpha1 SealedSecrets, with sealing keys kept as Secrets in --namespace.")
    var enabled = true

    @Option(
        name: .customLong("sealing-key-renewal"),
        help: "How often a new sealing key is made (old ones still unseal), like Bitnami's --key-renew-period; 0 never renews.")
    var renewal = DurationArgument(seconds: 30 * 86400)

    /// The service's settings, or `nil` when turned off.
    func configuration() -> SealedSecretsConfiguration? {
        guard enabled else { return nil }
        var configuration = SealedSecretsConfiguration()
        configuration.keyRenewalPeriod = renewal.duration > .zero ? renewal.duration : nil
        return configuration
    }
}
