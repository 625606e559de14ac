import ArgumentParser
import Foundation
import ImageAutomation
import Registry

/// `keelson image scan IMAGE`: list a repository's tags and the one a policy selects.
struct ImageCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "image",
        abstract: "One-shot image automation.",
        subcommands: [Scan.self, Update.self, Build.self]
    )

    struct Scan: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "List an image repository's tags and print the one a policy selects.",
            discussion:
                "Credentials come from the docker config ($DOCKER_CONFIG/config.json or ~/.docker/config.json). The last line is `selected: TAG`.")

        @Argument(help: "The image repository, e.g. ghcr.io/org/app.")
        var image: String

        @Option(help: "Select the highest version in this semver range, e.g. '>=1.0.0 <2.0.0'.")
        var semver: String?

        @Option(help: "Select by alphabetical order: asc (greatest) or desc (least).")
        var alphabetical: String?

        @Option(help: "Select by numerical order: asc (greatest) or desc (least).")
        var numerical: String?

        @Option(name: .customLong("filter-tags"), help: "Only tags matching this regular expression take part.")
        var filterTags: String?

        @Option(help: "With --filter-tags: the value compared, e.g. '$ts' for a named group.")
        var extract: String?

        @Option(name: .customLong("ca-file"), help: "Extra trusted CA certificates (PEM).")
        var caFile: String?

        @Flag(help: "Allow plain HTTP to a registry on a loopback address.")
        var insecure = false

        @Flag(name: .customLong("digest"), help: "Also print the selected tag's digest.")
        var pinDigest = false

        func validate() throws {
            let chosen = [semver, alphabetical, numerical].compactMap { $0 }
            if chosen.count > 1 { throw ValidationError("choose one of --semver, --alphabetical, --numerical") }
            if extract != nil && filterTags == nil { throw ValidationError("--extract needs --filter-tags") }
        }

        func policy() throws -> TagPolicy {
            let filter = try filterTags.map { try TagFilter(pattern: $0, extract: extract ?? "") }
            if let semver { return TagPolicy(choice: .semver(try TagPolicy.semverRange(semver)), filter: filter) }
            if let numerical { return TagPolicy(choice: .numerical(try TagPolicy.Order(parsing: numerical)), filter: filter) }
            return TagPolicy(choice: .alphabetical(try TagPolicy.Order(parsing: alphabetical ?? "asc")), filter: filter)
        }

        func run() async throws {
            let reference = try ImageReference.parse(image)
            let policy = try policy()
            let docker = try ImageCommand.dockerConfig()
            let options = try ImageCommand.registryOptions(insecure: insecure, caFile: caFile)
            let pinDigest = self.pinDigest
            let (tags, selected) = try await RegistryClient.withClient(
                options: options,
                credentials: { registry throws(RegistryError) in
                    try docker?.credential(for: registry) ?? .anonymous
                }
            ) { registry in
                let tags = try await registry.tags(of: reference)
                let selected = try await registry.select(reference, policy: policy, pinDigest: pinDigest)
                return (tags, selected)
            }
            var out = tags.sorted().joined(separator: "\n")
            if !out.isEmpty { out += "\n" }
            out += "selected: \(selected.tag)\n"
            if let digest = selected.digest { out += "digest: \(digest)\n" }
            CLI.write(out)
        }
    }

    /// The docker config from `$DOCKER_CONFIG` or `~/.docker`, when there is one.
    static func dockerConfig() throws -> DockerConfig? {
        let path = DockerConfig.defaultPath()
        return FileManager.default.fileExists(atPath: path) ? try DockerConfig.load(path: path) : nil
    }

    /// Registry options with an optional extra CA bundle.
    static func registryOptions(insecure: Bool, caFile: String?) throws -> RegistryOptions {
        var options = RegistryOptions(insecure: insecure)
        if let caFile {
            guard let pem = FileManager.default.contents(atPath: caFile) else { throw CLIError("\(caFile): cannot read") }
            options.caCertificatesPEM = Array(pem)
        }
        return options
    }
}
