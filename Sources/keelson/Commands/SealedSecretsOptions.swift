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
        help: "How often a new sealing key is made (old ones still unseal), like Bitnami's --key-renew-period; 0 never renews, else at least 1h.")
    var renewal = DurationArgument(seconds: 30 * 86400)

    func validate() throws {
        do { _ = try SealedSecretsConfiguration.renewal(renewal.duration) } catch { throw ValidationError("--sealing-key-renewal: \(error)") }
    }

    /// The service's settings, or `nil` when turned off.
    func configuration() -> SealedSecretsConfiguration? {
        guard enabled else { return nil }
        var configuration = SealedSecretsConfiguration()
        configuration.keyRenewalPeriod = try? SealedSecretsConfiguration.renewal(renewal.duration)
        return configuration
    }
}
