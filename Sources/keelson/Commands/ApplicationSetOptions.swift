import ArgumentParser
import Fleet

/// `keelson controller`'s ApplicationSet flags.
struct ApplicationSetOptions: ParsableArguments {
    @Flag(
        name: .customLong("application-sets"), inversion: .prefixedNo,
        help: "Run ApplicationSets: generators (list, git, clusters, pullRequest, matrix, merge) that keep fleets of Applications.")
    var enabled = true

    /// The service's settings, or `nil` when turned off.
    func configuration() -> ApplicationSetConfiguration? {
        enabled ? ApplicationSetConfiguration() : nil
    }
}
