import Foundation
import KeelsonTesting
import Manifests
import Testing

/// `keelson image build` against a real registry and the real `skopeo`: an image built from
/// scratch and pushed, another built on it from the registry, both read back by skopeo; the
/// same inputs give the same digest; the layers unpack to the files added.
@Suite struct ImageBuildCommandTests {
    let keelson = Fixtures.keelsonExecutable()

    @Test(.enabled(if: LocalRegistry.missing == nil, "docker-registry is not installed; scripts/test installs it"))
    func buildPushAndBuildOnTheResult() async throws {
        let skopeo = try #require(
            ["/usr/bin/skopeo", "/usr/local/bin/skopeo"].first { FileManager.default.isExecutableFile(atPath: $0) },
            "skopeo is not installed; scripts/test installs it")
        let folder = try TemporaryDirectory(prefix: "keelson-image-build")
        defer { folder.remove() }
        try folder.write("src/bin/hi", "#!/bin/sh\necho hi\n")
        _ = try await ProcessRunner.run("chmod", ["755", folder.path + "/src/bin/hi"])
        try folder.write("src/share/" + String(repeating: "long-name-", count: 12) + ".txt", "a path longer than 100 bytes\n")
        try folder.write("greeting", "hello\n")
        try await LocalRegistry.with { registry in
            let base = try await ProcessRunner.run(
                keelson,
                [
                    "image", "build", "--base", "scratch", "--add", folder.path + "/src:/app", "--entrypoint", "/app/bin/hi", "--env", "A=1",
                    "--user", "65532:65532", "--tag", "\(registry.host)/demo/base:1", "--push", "--insecure",
                ])
            #expect(base.status == 0, "\(base.errorOutput)")
            let arguments = [
                "image", "build", "--base", "\(registry.host)/demo/base:1", "--add", folder.path + "/greeting:/etc/greeting", "--env", "A=3",
                "--env", "B=2", "--label", "org.opencontainers.image.title=demo", "--tag", "\(registry.host)/demo/app:1", "--insecure",
            ]
            let first = try await ProcessRunner.run(keelson, arguments + ["--push", "--oci-layout", folder.path + "/one"])
            #expect(first.status == 0, "\(first.errorOutput)")
            let again = try await ProcessRunner.run(keelson, arguments + ["--oci-layout", folder.path + "/two"])
            let digest = try #require(first.output.split(separator: "\n").last.map { String($0.dropFirst("digest: ".count)) })
            #expect(
                digest.hasPrefix("sha256:") && again.output.hasSuffix("digest: \(digest)\n"),
                "two builds, two digests: \(first.output) \(again.output)")

            let pushed = try await ProcessRunner.run(skopeo, ["inspect", "--tls-verify=false", "docker://\(registry.host)/demo/app:1"])
            #expect(pushed.status == 0, "\(pushed.errorOutput)")
            let inspected = try JSONParser.parse(Array(pushed.output.utf8), file: "skopeo")
            #expect(inspected["Digest"] == .string(digest))
            #expect(inspected["Layers"]?.arrayValue?.count == 2)
            #expect(inspected["Env"] == ["A=3", "B=2"], "a base variable is replaced, not repeated")
            #expect(inspected["Labels"]?["org.opencontainers.image.title"] == "demo")
            let config = try await ProcessRunner.run(skopeo, ["inspect", "--config", "oci:" + folder.path + "/one:1"])
            let settings = try JSONParser.parse(Array(config.output.utf8), file: "skopeo")["config"]
            #expect(settings?["Entrypoint"] == ["/app/bin/hi"] && settings?["User"] == "65532:65532", "\(config.output)")

            // The layers, unpacked in order, hold the files added, the long name and the mode included.
            let layout = try JSONParser.parse(Array(try String(contentsOfFile: folder.path + "/one/index.json", encoding: .utf8).utf8), file: "index")
            let manifestDigest = try #require(layout["manifests"]?.arrayValue?.first?["digest"]?.stringValue)
            let manifest = try JSONParser.parse(
                Array(try Data(contentsOf: URL(fileURLWithPath: folder.path + "/one/blobs/sha256/" + manifestDigest.dropFirst(7)))), file: "manifest")
            try FileManager.default.createDirectory(atPath: folder.path + "/root", withIntermediateDirectories: true)
            for layer in manifest["layers"]?.arrayValue ?? [] {
                let blob = folder.path + "/one/blobs/sha256/" + (layer["digest"]?.stringValue ?? "").dropFirst(7)
                let unpacked = try await ProcessRunner.run("tar", ["-xf", blob, "-C", folder.path + "/root"])
                #expect(unpacked.status == 0, "\(unpacked.errorOutput)")
            }
            #expect(FileManager.default.isExecutableFile(atPath: folder.path + "/root/app/bin/hi"))
            #expect(try String(contentsOfFile: folder.path + "/root/etc/greeting", encoding: .utf8) == "hello\n")
            #expect(FileManager.default.fileExists(atPath: folder.path + "/root/app/share/" + String(repeating: "long-name-", count: 12) + ".txt"))

            let missing = try await ProcessRunner.run(
                keelson,
                [
                    "image", "build", "--base", "scratch", "--add", folder.path + "/nothing:/x", "--tag", "demo:1", "--oci-layout",
                    folder.path + "/three",
                ])
            #expect(missing.status == 1 && missing.errorOutput.contains("cannot read"), "\(missing.errorOutput)")
            let idle = try await ProcessRunner.run(keelson, ["image", "build", "--base", "scratch", "--tag", "demo:1"])
            #expect(idle.status == 2, "\(idle.errorOutput)")
        }
    }
}
