import Foundation
import ImageAutomation
import KeelsonTesting
import Kube
import Logging
import Manifests
import Synchronization
import Testing

/// An automation pushing over HTTP to a Git server that wants a password, taken from a Secret;
/// the policy's last selection is read back from its status (as after a restart).
@Suite struct AutomationCredentialsTests {
    static let automations = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "ImageUpdateAutomation")
    static let policies = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "ImagePolicy")

    @Test func pushesWithCredentialsFromASecret() async throws {
        let password = "CANARY-git-\(UUID().uuidString)"
        let folder = try TemporaryDirectory(prefix: "keelson-image-git-auth")
        defer { folder.remove() }
        let logs = LogCapture()
        let bare = try await GitFixtures.bareRepository(
            in: folder,
            files: [
                "values.yaml": "image: ghcr.io/o/app:1.0.0 # {\"$imagepolicy\": \"team:app\"}\n"
            ])
        let seed = try await GitFixtures.git(["rev-parse", "main"], in: bare)
        let port = try Ports.free()
        try GitHTTPServer.script.write(toFile: folder.path + "/git-http.py", atomically: true, encoding: .utf8)
        let server = try BackgroundProcess(
            "python3", [folder.path + "/git-http.py", folder.path, "\(port)", "deploy", password], log: folder.path + "/git-http.log")
        defer { server.kill() }
        try await Ports.waitUntilListening(port)

        try await GitFixtures.withSandbox(in: folder, plainHTTP: true) { client, cache in
            // The CRDs, and a policy whose last selection is in its status: the registry it names
            // is unreachable, so only the status can supply the image.
            for (file, yaml) in ImageAutomationCRDs.all {
                for object in try Manifest.decode(Array(yaml.utf8), file: file) {
                    _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
                }
            }
            try await ImageAutomationEndToEndTests.apply(
                client,
                """
                apiVersion: v1
                kind: Namespace
                metadata: {name: team}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: ImagePolicy
                metadata: {name: app, namespace: team}
                spec: {image: 127.0.0.1:1/o/app, insecure: true, policy: {semver: {range: '>=1.0.0'}}}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: ImageUpdateAutomation
                metadata: {name: values, namespace: team}
                spec:
                  interval: 2s
                  sourceRef: {repoURL: 'http://127.0.0.1:\(port)/repo.git', secretRef: {name: git-auth}}
                  git: {commit: {author: {email: bot@keelson.invalid}}}
                """)
            var policy = try await client.get(Self.policies, name: "app", namespace: "team")
            policy.object["status"] = ["latestRef": ["name": "ghcr.io/o/app", "tag": "1.5.0"], "latestImage": "ghcr.io/o/app:1.5.0"]
            _ = try await client.updateStatus(policy, options: WriteOptions())

            let service = ImageAutomationService(client: client, git: cache, logger: logs.logger)
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask { try await service.run() }
                defer { group.cancelAll() }
                @Sendable func ready() async throws -> JSONValue? {
                    try await client.get(Self.automations, name: "values", namespace: "team").object["status"]?["conditions"]?.arrayValue?.first
                }
                // Without the Secret: refused, and the condition says which Secret is missing.
                try await ImageAutomationEndToEndTests.eventually("the missing Secret is reported") {
                    try await ready()?["message"]?.stringValue?.contains("Secret team/git-auth: not found") == true
                }
                #expect(try await GitFixtures.git(["rev-parse", "main"], in: bare) == seed)
                _ = try await client.create(
                    try Manifest([
                        "apiVersion": "v1", "kind": "Secret", "metadata": ["name": "git-auth", "namespace": "team"],
                        "stringData": ["username": "deploy", "password": .string(password)],
                    ]), options: WriteOptions())
                try await ImageAutomationEndToEndTests.eventually("the automation pushes with the Secret's password") {
                    try await GitFixtures.git(["rev-parse", "main"], in: bare) != seed
                }
                #expect(
                    try await GitFixtures.git(["show", "main:values.yaml"], in: bare)
                        == "image: ghcr.io/o/app:1.5.0 # {\"$imagepolicy\": \"team:app\"}")
                try await ImageAutomationEndToEndTests.eventually("the push is recorded") { try await ready()?["status"] == "True" }
                for kind in [Self.policies, Self.automations] {
                    #expect(!"\(try await client.listAll(kind, namespace: "team").items.map(\.value))".contains(password))
                }
            }
        }
        #expect(!logs.lines.joined(separator: "\n").contains(password))
    }
}
