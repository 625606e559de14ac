import Foundation
import ImageAutomation
import KeelsonTesting
import Registry
import Testing

/// `keelson image scan` against a real registry on 127.0.0.1.
@Suite struct ImageScanCommandTests {
    static let anonymous: RegistryClient.Credentials = { _ throws(RegistryError) in .anonymous }

    @Test(.enabled(if: LocalRegistry.missing == nil, "docker-registry is not installed; scripts/test installs it"))
    func scanPrintsTagsThenTheSelection() async throws {
        let keelson = Fixtures.keelsonExecutable()
        try await LocalRegistry.with { registry in
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: Self.anonymous) { client in
                for tag in ["1.0.0", "1.2.0", "1.10.1", "2.0.0-rc.1", "latest", "build-20", "build-3"] {
                    try await LocalRegistry.pushImage(client, "\(registry.host)/team/web:\(tag)")
                }
            }
            let image = "\(registry.host)/team/web"
            let semver = try await ProcessRunner.run(keelson, ["image", "scan", image, "--semver", ">=1.0.0 <2.0.0", "--insecure"])
            #expect(semver.status == 0, "\(semver.errorOutput)")
            #expect(semver.output.hasSuffix("selected: 1.10.1\n"))
            #expect(semver.output.contains("latest\n"))
            let numeric = try await ProcessRunner.run(
                keelson,
                [
                    "image", "scan", image, "--numerical", "asc", "--filter-tags", "^build-(?P<n>[0-9]+)$", "--extract", "$n", "--insecure",
                ])
            #expect(numeric.status == 0, "\(numeric.errorOutput)")
            #expect(numeric.output.hasSuffix("selected: build-20\n"))
            // Plain HTTP needs --insecure, even on loopback.
            let refused = try await ProcessRunner.run(keelson, ["image", "scan", image, "--semver", ">=1.0.0"])
            #expect(refused.status == 1)
            #expect(!refused.errorOutput.isEmpty)
        }
    }
}
