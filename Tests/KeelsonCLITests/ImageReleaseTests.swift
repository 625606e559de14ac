import Foundation
import KeelsonTesting
import Manifests
import Testing

/// `scripts/build-image` builds Keelson's own image (the release binary, Swift runtime linked in,
/// on Debian packages) and pushes it to a real registry: skopeo shows the entrypoint, the
/// non-root user and the layer; the root filesystem, unpacked, runs `keelson --version` and
/// `git --version` under chroot (with /proc and /dev/null, as a container runtime gives);
/// a second build gives the same digest.
@Suite struct ImageReleaseTests {
    @Test(.enabled(if: LocalRegistry.missing == nil, "docker-registry is not installed; scripts/test installs it"))
    func theScriptBuildsAReproducibleImageThatRuns() async throws {
        let skopeo = try #require(
            ["/usr/bin/skopeo", "/usr/local/bin/skopeo"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "skopeo is not installed; scripts/test installs it")
        try #require(getuid() == 0, "chroot needs root (CI runs as root)")
        let root = Fixtures.packageRoot()
        let folder = try TemporaryDirectory(prefix: "keelson-image-release")
        defer { folder.remove() }
        try await LocalRegistry.with { registry in
            let tag = "\(registry.host)/keelson:test"
            var digests: [String] = []
            for layout in ["one", "two"] {
                // scripts/test built the release binary before the tests; this finds it built.
                let built = try await ProcessRunner.run(
                    root + "/scripts/build-image", [tag, "--insecure", "--oci-layout", folder.path + "/" + layout], directory: root)
                try #require(built.status == 0, "scripts/build-image: \(built.errorOutput.suffix(3000))")
                digests.append(String(built.output.split(separator: "\n").last?.dropFirst("digest: ".count) ?? ""))
            }
            #expect(digests[0].hasPrefix("sha256:") && digests[0] == digests[1], "two builds, two digests: \(digests)")

            let inspected = try await ProcessRunner.run(skopeo, ["inspect", "--config", "--tls-verify=false", "docker://" + tag])
            let config = try JSONParser.parse(Array(inspected.output.utf8), file: "skopeo")["config"]
            #expect(config?["Entrypoint"] == ["/usr/local/bin/keelson"] && config?["User"] == "65532:65532", "\(inspected.output)")
            let raw = try await ProcessRunner.run(skopeo, ["inspect", "--tls-verify=false", "docker://" + tag])
            let manifest = try JSONParser.parse(Array(raw.output.utf8), file: "skopeo")
            #expect(manifest["Digest"] == .string(digests[0]) && manifest["Layers"]?.arrayValue?.count == 1, "\(raw.output.prefix(600))")

            // Unpack and run under chroot, in a mount namespace of its own (/proc for the Swift
            // runtime's arguments, /dev/null for git).
            let index = try JSONParser.parse(Array(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/one/index.json"))), file: "index")
            let manifestDigest = try #require(index["manifests"]?.arrayValue?.first?["digest"]?.stringValue)
            let layers = try JSONParser.parse(
                Array(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/one/blobs/sha256/" + manifestDigest.dropFirst(7)))), file: "m")[
                    "layers"]
            let layer = try #require(layers?.arrayValue?.first?["digest"]?.stringValue)
            let rootfs = folder.path + "/rootfs"
            try FileManager.default.createDirectory(atPath: rootfs, withIntermediateDirectories: true)
            let unpacked = try await ProcessRunner.run("tar", ["-xf", folder.path + "/one/blobs/sha256/" + layer.dropFirst(7), "-C", rootfs])
            try #require(unpacked.status == 0, "\(unpacked.errorOutput)")
            let script = """
                mkdir -p "$1/proc" "$1/dev" && mount -t proc proc "$1/proc" && touch "$1/dev/null" && mount --bind /dev/null "$1/dev/null" \
                && chroot --userspec=65532:65532 "$1" /usr/local/bin/keelson --version && chroot --userspec=65532:65532 "$1" /usr/bin/git --version
                """
            let ran = try await ProcessRunner.run("unshare", ["-m", "sh", "-c", script, "sh", rootfs])
            #expect(ran.status == 0, "\(ran.errorOutput)")
            #expect(ran.output.contains("0.1.0") && ran.output.contains("git version"), "\(ran.output)")
        }
    }
}
