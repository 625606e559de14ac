import Foundation
import ImageAutomation
import KeelsonTesting
import Registry
import Testing

/// `keelson image update` against a real registry on 127.0.0.1 and real Git repositories.
@Suite struct ImageUpdateCommandTests {
    static let anonymous: RegistryClient.Credentials = { _ throws(RegistryError) in .anonymous }

    static func git(_ arguments: [String], _ directory: String) async throws -> String {
        try await GitFixtures.git(arguments, in: directory)
    }

    static func files(_ host: String) -> [String: String] {
        [
            // Flux's pair, as a repository automated with Flux has it.
            "apps/flux.yaml": """
            apiVersion: image.toolkit.fluxcd.io/v1beta2
            kind: ImageRepository
            metadata: {name: web, namespace: flux-system}
            spec: {image: \(host)/team/web, interval: 5m, insecure: true}
            ---
            apiVersion: image.toolkit.fluxcd.io/v1beta2
            kind: ImagePolicy
            metadata: {name: web, namespace: flux-system}
            spec:
              imageRepositoryRef: {name: web}
              policy: {semver: {range: 1.x}}

            """,
            // Keelson's one-object policy, in the namespace --namespace gives.
            "apps/keelson.yaml": """
            apiVersion: keelson.dev/v1alpha1
            kind: ImagePolicy
            metadata: {name: web-any}
            spec: {image: \(host)/team/web, insecure: true, policy: {semver: {range: '>=1.0.0'}}}

            """,
            "apps/deployment.yaml": """
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web}
            spec:
              template:
                spec:
                  containers:
                  - name: web
                    image: \(host)/team/web:1.0.0 # {"$imagepolicy": "flux-system:web"}

            """,
            "apps/values.yaml": """
            image:
              # {"$imagepolicy": "default:web-any:tag"}
              tag: "1.0.0"
            untouched: \(host)/team/web:1.0.0

            """,
        ]
    }

    @Test(.enabled(if: LocalRegistry.missing == nil, "docker-registry is not installed; scripts/test installs it"))
    func updatesFromPoliciesInTheRepository() async throws {
        let keelson = Fixtures.keelsonExecutable()
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try await LocalRegistry.with { registry in
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: Self.anonymous) { client in
                for tag in ["1.0.0", "1.2.0", "2.0.0"] { try await LocalRegistry.pushImage(client, "\(registry.host)/team/web:\(tag)") }
            }
            let host = registry.host
            let bare = try await GitFixtures.bareRepository(in: folder, files: Self.files(host))
            let seed = try await Self.git(["rev-parse", "main"], bare)

            // --push to a review branch: main stays as it was.
            let pushed = try await ProcessRunner.run(
                keelson, ["image", "update", "--repo", bare, "--path", "apps", "--push", "--push-branch", "review"])
            #expect(pushed.status == 0, "\(pushed.errorOutput)")
            #expect(pushed.output.contains("apps/deployment.yaml:9 \(host)/team/web:1.0.0 → \(host)/team/web:1.2.0\n"), "\(pushed.output)")
            #expect(pushed.output.contains("apps/values.yaml:3 1.0.0 → 2.0.0\n"))
            #expect(pushed.output.contains("committed ") && pushed.output.hasSuffix(" to review\n"))
            #expect(try await Self.git(["rev-parse", "main"], bare) == seed)
            let message = try await Self.git(["log", "-1", "--format=%B", "review"], bare)
            #expect(message.contains("- flux-system:web: \(host)/team/web:1.0.0 → \(host)/team/web:1.2.0"), "\(message)")
            #expect(message.contains("- default:web-any: 1.0.0 → 2.0.0"))
            let values = try await Self.git(["show", "review:apps/values.yaml"], bare)
            #expect(
                values
                    == Self.files(host)["apps/values.yaml"]!.replacingOccurrences(of: "tag: \"1.0.0\"", with: "tag: \"2.0.0\"").trimmingCharacters(
                        in: .newlines))

            // Run again: the review branch is the base, and it is current — nothing is committed.
            let again = try await ProcessRunner.run(
                keelson, ["image", "update", "--repo", bare, "--path", "apps", "--push", "--push-branch", "review"])
            #expect(again.status == 0, "\(again.errorOutput)")
            #expect(again.output == "nothing to change\n")
            #expect(try await Self.git(["rev-list", "--count", "review"], bare) == "2")

            // Without --push, a working tree gets the commit on its branch; a bare repository is refused.
            _ = try await ProcessRunner.run("git", ["clone", "-q", bare, folder.path + "/work"])
            let local = try await ProcessRunner.run(keelson, ["image", "update", "--repo", folder.path + "/work", "--path", "apps"])
            #expect(local.status == 0, "\(local.errorOutput)")
            #expect(local.output.hasSuffix(" to main\n"), "\(local.output)")
            #expect(try await Self.git(["rev-list", "--count", "main"], folder.path + "/work") == "2")
            #expect(try await Self.git(["status", "--porcelain"], folder.path + "/work") == "")
            let refused = try await ProcessRunner.run(keelson, ["image", "update", "--repo", bare, "--path", "apps"])
            #expect(refused.status == 1)
            #expect(refused.errorOutput.contains("not a Git working tree"))
        }
    }
}
