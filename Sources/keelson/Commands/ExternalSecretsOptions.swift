import ArgumentParser
import ExternalSecrets

/// `keelson controller`'s external secrets flags.
struct ExternalSecretsOptions: ParsableArguments {
    @Flag(
        name: .customLong("external-secrets"), inversion: .prefixedNo,
        help: "Run SecretStores, ClusterSecretStores and ExternalSecrets (providers aws, kubernetes, vault).")
    var enabled = true

    @Flag(
        name: .customLong("eso-objects"), inversion: .prefixedNo,
        help: "Also run External Secrets Operator's own external-secrets.io/v1 objects when their CRDs are served; turn off while ESO runs.")
    var esoObjects = true

    /// The service's settings, or `nil` when turned off.
    func configuration() -> ExternalSecretsConfiguration? {
        guard enabled else { return nil }
        var configuration = ExternalSecretsConfiguration()
        if !esoObjects { configuration.apis = [.keelson] }
        return configuration
    }
}
