import ArgumentParser
import Foundation
import ImageAutomation
import Registry

extension ImageCommand {
    /// `keelson image build`: appends a reproducible layer of files to a base image and writes
    /// it to an OCI layout or a registry, as `ko` or `crane append` do, without Docker.
    struct Build: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Append a layer of files to a base image and push it, or write it to an OCI layout (no Docker).",
            discussion: """
                The layer is a tar written the same way every time: entries in path order, time 0, owner 0, so the same \
                inputs give the same digest. Layers are stored uncompressed. --base is an image reference, \
                oci-layout:DIR[:TAG], or scratch. Credentials come from the docker config, as for `image scan`. The last line \
                printed is `digest: sha256:...`.
                """)

        @Option(help: "The base: an image reference, oci-layout:DIR[:TAG], or scratch.")
        var base: String

        @Option(name: .customLong("add"), help: "SRC:DEST, a local file or directory and its path in the image (repeatable).")
        var additions: [String] = []

        @Option(help: "One argument of the entrypoint (repeatable, in order).")
        var entrypoint: [String] = []

        @Option(help: "One argument of the command (repeatable, in order).")
        var cmd: [String] = []

        @Option(help: "KEY=VALUE in the environment (repeatable).")
        var env: [String] = []

        @Option(help: "KEY=VALUE as an image label (repeatable).")
        var label: [String] = []

        @Option(help: "The user the image runs as, e.g. 65532:65532.")
        var user: String?

        @Option(help: "The working directory.")
        var workdir: String?

        @Option(help: "The platform taken from a multi-platform base, and written for scratch.")
        var platform = "linux/amd64"

        @Option(help: "The image's name: where --push sends it, and its tag in --oci-layout.")
        var tag: String

        @Flag(help: "Push the image to --tag's registry.")
        var push = false

        @Option(name: .customLong("oci-layout"), help: "Also write the image into this OCI layout folder.")
        var ociLayout: String?

        @Option(name: .customLong("ca-file"), help: "Extra trusted CA certificates (PEM).")
        var caFile: String?

        @Flag(help: "Allow plain HTTP to a registry on a loopback address.")
        var insecure = false

        func validate() throws {
            for addition in additions where !addition.contains(":") { throw ValidationError("--add \(addition): expected SRC:DEST") }
            for pair in env + label where !pair.contains("=") { throw ValidationError("\(pair): expected KEY=VALUE") }
            guard platform.split(separator: "/").count == 2 else { throw ValidationError("--platform must be OS/ARCH, e.g. linux/amd64") }
            if !push && ociLayout == nil { throw ValidationError("nothing to do: give --push, --oci-layout DIR, or both") }
        }

        func run() async throws {
            var spec = ImageBuildSpec()
            spec.additions = additions.map { addition in
                let index = addition.lastIndex(of: ":")!
                return (String(addition[..<index]), String(addition[addition.index(after: index)...]))
            }
            spec.entrypoint = entrypoint.isEmpty ? nil : entrypoint
            spec.command = cmd.isEmpty ? nil : cmd
            spec.environment = env
            spec.labels = label.map { pair in
                let index = pair.firstIndex(of: "=")!
                return (String(pair[..<index]), String(pair[pair.index(after: index)...]))
            }
            spec.user = user
            spec.workingDirectory = workdir
            let parts = platform.split(separator: "/").map(String.init)
            (spec.os, spec.architecture) = (parts[0], parts[1])
            let target = try ImageReference.parse(tag)
            let docker = try ImageCommand.dockerConfig()
            let options = try ImageCommand.registryOptions(insecure: insecure, caFile: caFile)
            let (base, push, layout) = (self.base, self.push, ociLayout)
            let image = try await RegistryClient.withClient(
                options: options, credentials: { registry throws(RegistryError) in try docker?.credential(for: registry) ?? .anonymous }
            ) { registry in
                let baseImage: BaseImage
                if base == "scratch" {
                    baseImage = .scratch(os: spec.os, architecture: spec.architecture)
                } else if base.hasPrefix("oci-layout:") {
                    let rest = String(base.dropFirst("oci-layout:".count))
                    let split = rest.lastIndex(of: ":").map { (String(rest[..<$0]), String(rest[rest.index(after: $0)...])) }
                    baseImage = try ImageBuilder.base(layout: split?.0 ?? rest, tag: split?.1)
                } else {
                    baseImage = try await ImageBuilder.base(
                        try ImageReference.parse(base), from: registry, os: spec.os, architecture: spec.architecture)
                }
                CLI.note("base \(base): \(baseImage.layers.count) layers")
                let image = try ImageBuilder.build(spec, on: baseImage)
                let layer = image.blobs.count - baseImage.layers.count - 1
                CLI.note("built \(image.digest) (\(max(layer, 0)) new layer, \(image.blobs.values.reduce(0) { $0 + $1.count }) bytes in all)")
                if let layout {
                    try ImageBuilder.write(image, layout: layout, tag: target.tag ?? "latest")
                    CLI.note("wrote \(layout) as \(target.tag ?? "latest")")
                }
                if push {
                    try await ImageBuilder.push(image, to: target, with: registry)
                    CLI.note("pushed \(target)")
                }
                return image
            }
            CLI.write("digest: \(image.digest)\n")
        }
    }
}
