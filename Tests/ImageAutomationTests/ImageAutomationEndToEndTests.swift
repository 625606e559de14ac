import Controller
import Foundation
import GitSource
import ImageAutomation
import KeelsonRuntime
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Registry
import Testing

/// The whole loop: a registry on loopback, a bare Git repository, a sandbox cluster, the
/// controller and the image automation service.
@Suite(.serialized) struct ImageAutomationEndToEndTests {
    static let deployments = GroupVersionKind(group: "apps", version: "v1", kind: "Deployment")
    static let policies = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "ImagePolicy")
    static let automations = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "ImageUpdateAutomation")

    static func git(_ arguments: [String], in directory: String) async throws -> String { try await GitFixtures.git(arguments, in: directory) }

    static func deployment(_ image: String) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web   # the storefront
        spec:
          replicas: 1
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec:
              containers:
              - name: web
                image: \(image) # {"$imagepolicy": "keelson:app"}
                ports: [{containerPort: 8080}]

        """
    }

    /// Polls `check` until it holds, or fails after `timeout`.
    static func eventually(_ what: String, timeout: Duration = .seconds(60), _ check: @Sendable () async throws -> Bool) async throws {
        try await KeelsonTesting.eventually(what, timeout: timeout, check)
    }

    /// Applies `yaml`, retrying while the CRDs are still being installed.
    static func apply(_ client: KubeClient, _ yaml: String) async throws {
        for object in try Manifest.decode(Array(yaml.utf8), file: "test.yaml") {
            try await eventually("\(object.kind) \(object.name) is accepted", timeout: .seconds(20)) {
                _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
                return true
            }
        }
    }

    @Test(.enabled(if: LocalRegistry.missing == nil, "docker-registry is not installed"))
    func newTagFlowsFromRegistryThroughGitToTheCluster() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-image-e2e")
        defer { folder.remove() }
        let logs = LogCapture()
        try await LocalRegistry.with { registry in
            let image = registry.host + "/app"
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: { _ in .anonymous }) { client in
                try await LocalRegistry.pushImage(client, image + ":1.0.0")
                try await LocalRegistry.pushImage(client, image + ":0.9.0")
            }
            let bare = try await GitFixtures.bareRepository(
                in: folder,
                files: [
                    "deploy/deployment.yaml": Self.deployment(image + ":1.0.0"),
                    // The same image without a marker: never touched.
                    "deploy/notes.yaml":
                        "# no markers here\napiVersion: v1\nkind: ConfigMap\nmetadata: {name: notes}\ndata: {image: '\(image):1.0.0'}\n",
                ])
            let seedCommit = try await Self.git(["rev-parse", "main"], in: bare)
            try folder.write(
                "apps/web.yaml",
                """
                apiVersion: keelson.dev/v1alpha1
                kind: Application
                metadata: {name: web, namespace: keelson}
                spec:
                  source: {repoURL: 'file://\(bare)', revision: main, path: deploy}
                  destination: {namespace: default}
                  syncPolicy: {automated: {prune: true, selfHeal: true}, interval: 1s}
                """)

            try await GitFixtures.withSandbox(in: folder) { client, cache in
                var settings = KeelsonConfiguration()
                settings.controller.appsPath = folder.path + "/apps"
                settings.controller.tickInterval = .milliseconds(200)
                settings.logger = { label in label == "keelson.image-automation" ? logs.logger : Logger(label: label) }
                let system = KeelsonSystem(client: client, git: cache, configuration: settings)
                let images = try #require(system.imageAutomation)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await system.run() }
                    defer { group.cancelAll() }
                    try await Self.run(client: client, images: images, image: image, bare: bare, seedCommit: seedCommit, registry: registry)
                }
            }
        }
        // No credential reached a log line.
        #expect(!logs.lines.joined(separator: "\n").contains("CANARY-registry-password"))
    }

    static func run(client: KubeClient, images: ImageAutomationService, image: String, bare: String, seedCommit: String, registry: LocalRegistry)
        async throws
    {
        @Sendable func deployedImage() async throws -> String? {
            let object = try await client.get(deployments, name: "web", namespace: "default")
            return object.object["spec"]?[path: ["template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue
        }
        try await eventually("the controller deploys 1.0.0") { try await deployedImage() == image + ":1.0.0" }

        // A registry secret whose password must never surface, for a policy that cannot scan.
        try await apply(
            client,
            GitFixtures.dockerConfigSecret("regcred", namespace: "keelson", host: "127.0.0.1:1", user: "robot", password: "CANARY-registry-password")
                + """
                apiVersion: keelson.dev/v1alpha1
                kind: ImagePolicy
                metadata: {name: app, namespace: keelson}
                spec:
                  image: \(image)
                  insecure: true
                  interval: 1h
                  policy: {semver: {range: ">=1.0.0"}}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: ImagePolicy
                metadata: {name: unreachable, namespace: keelson}
                spec:
                  image: 127.0.0.1:1/other
                  insecure: true
                  secretRef: {name: regcred}
                  policy: {semver: {range: ">=1.0.0"}}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: ImageUpdateAutomation
                metadata: {name: web, namespace: keelson}
                spec:
                  interval: 1h
                  sourceRef: {kind: Application, name: web}
                  git:
                    commit:
                      author: {name: image-bot, email: image-bot@keelson.invalid}
                  update: {path: deploy, strategy: Setters}
                """)
        @Sendable func status(_ kind: GroupVersionKind, _ name: String) async throws -> JSONValue? {
            try await client.get(kind, name: name, namespace: "keelson").object["status"]
        }
        try await eventually("the policy selects 1.0.0") { try await status(policies, "app")?["latestImage"] == .string(image + ":1.0.0") }
        try await eventually("the automation has run") { try await status(automations, "web")?["lastAutomationRunTime"] != nil }
        // Everything is current: nothing is committed.
        #expect(try await git(["rev-parse", "main"], in: bare) == seedCommit)
        #expect(try await status(automations, "web")?["lastPushCommit"] == nil)

        // The failing policy says why on its Ready condition, without the credential.
        try await eventually("the unreachable policy reports its failure") {
            try await status(policies, "unreachable")?["conditions"]?.arrayValue?.first?["status"] == "False"
        }
        let failure = try #require(try await status(policies, "unreachable"))
        #expect(!"\(failure)".contains("CANARY-registry-password"))
        #expect(failure["conditions"]?.arrayValue?.first?["reason"] == "ScanFailed")

        // CI pushes 1.1.0; the registry's webhook asks for a scan at once — the policy's own
        // interval is an hour.
        try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: { _ in .anonymous }) { client in
            try await LocalRegistry.pushImage(client, image + ":1.1.0")
            try await LocalRegistry.pushImage(client, image + ":2.0.0-rc.1")
        }
        let webhooks = RegistryWebhookHandler(secrets: RegistryWebhookSecrets(generic: "hook-secret"), policies: images)
        let body = Array(#"{"image": "\#(image):1.1.0"}"#.utf8)
        let ids = try await webhooks.handle(provider: "generic", headers: ["X-Signature": RegistryWebhookTests.sign(body, "hook-secret")], body: body)
        #expect(ids == ["keelson:app"])
        await images.rescan(ids)
        try await eventually("the policy selects 1.1.0", timeout: .seconds(20)) {
            try await status(policies, "app")?["latestImage"] == .string(image + ":1.1.0")
        }
        let policyStatus = try #require(try await status(policies, "app"))
        #expect(policyStatus["observedPreviousImage"] == .string(image + ":1.0.0"))
        #expect(policyStatus["latestTag"] == "1.1.0")

        // The automation commits the new tag to Git...
        try await eventually("the automation pushes a commit") { try await git(["rev-parse", "main"], in: bare) != seedCommit }
        let head = try await git(["rev-parse", "main"], in: bare)
        #expect(try await git(["rev-list", "--count", "main"], in: bare) == "2")
        #expect(try await git(["log", "-1", "--format=%an <%ae>", "main"], in: bare) == "image-bot <image-bot@keelson.invalid>")
        let message = try await git(["log", "-1", "--format=%B", "main"], in: bare)
        #expect(message.contains("Update images (keelson/web)"))
        #expect(message.contains("- keelson:app: \(image):1.0.0 → \(image):1.1.0"), "\(message)")
        // ...changing that one line and nothing else.
        #expect(try await git(["diff", "--name-only", seedCommit, head], in: bare) == "deploy/deployment.yaml")
        let diff = try await git(["diff", "--unified=0", seedCommit, head], in: bare).split(separator: "\n").filter {
            $0.hasPrefix("-") || $0.hasPrefix("+")
        }
        #expect(
            diff == [
                "--- a/deploy/deployment.yaml", "+++ b/deploy/deployment.yaml",
                "-        image: \(image):1.0.0 # {\"$imagepolicy\": \"keelson:app\"}",
                "+        image: \(image):1.1.0 # {\"$imagepolicy\": \"keelson:app\"}",
            ])
        try await eventually("the automation records the push") { try await status(automations, "web")?["lastPushCommit"] == .string(head) }

        // ...and the controller syncs it to the cluster.
        try await eventually("the controller deploys 1.1.0") { try await deployedImage() == image + ":1.1.0" }
    }
}
