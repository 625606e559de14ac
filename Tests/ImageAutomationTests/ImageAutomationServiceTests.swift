import Foundation
import GitSource
import ImageAutomation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Registry
import Testing

/// `ImageAutomationService` alone against a sandbox: registry credentials from a Secret,
/// Flux's ImageRepository + ImagePolicy pair, invalid objects, and an automation that pushes
/// to a review branch with its own message template.
@Suite struct ImageAutomationServiceTests {
    static let policies = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "ImagePolicy")
    static let fluxPolicies = GroupVersionKind(group: "image.toolkit.fluxcd.io", version: "v1beta2", kind: "ImagePolicy")
    static let automations = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "ImageUpdateAutomation")
    static let password = "CANARY-pass-77"

    /// A minimal CRD for one of Flux's kinds, so the sandbox serves it.
    static func fluxCRD(_ kind: String, plural: String) -> String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: \(plural).image.toolkit.fluxcd.io}
        spec:
          group: image.toolkit.fluxcd.io
          scope: Namespaced
          names: {plural: \(plural), singular: \(kind.lowercased()), kind: \(kind), listKind: \(kind)List}
          versions:
          - name: v1beta2
            served: true
            storage: true
            subresources: {status: {}}
            schema:
              openAPIV3Schema:
                type: object
                properties:
                  spec: {type: object, x-kubernetes-preserve-unknown-fields: true}
                  status: {type: object, x-kubernetes-preserve-unknown-fields: true}
        ---

        """
    }

    @Test(.enabled(if: LocalRegistry.missing == nil, "docker-registry is not installed; scripts/test installs it"))
    func policiesAndAutomationAgainstTheSandbox() async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-image-service")
        defer { folder.remove() }
        let logs = LogCapture()
        let htpasswd = try await LocalRegistry.htpasswd(user: "robot", password: Self.password)
        try await LocalRegistry.with(.htpasswd(htpasswd)) { registry in
            let host = registry.host
            let basic: RegistryClient.Credentials = { _ in .basic(username: "robot", password: Self.password) }
            try await RegistryClient.withClient(options: RegistryOptions(insecure: true), credentials: basic) { client in
                for tag in ["1.0.0", "1.3.0", "build-7", "build-12"] { try await LocalRegistry.pushImage(client, "\(host)/team/app:\(tag)") }
            }
            let bare = try await GitFixtures.bareRepository(
                in: folder,
                files: [
                    "values.yaml": """
                    app:
                      image: \(host)/team/app:1.0.0 # {"$imagepolicy": "team:app"}
                      # {"$imagepolicy": "team:builds:tag"}
                      build: build-7

                    """
                ])
            let seed = try await ImageAutomationEndToEndTests.git(["rev-parse", "main"], in: bare)

            try await GitFixtures.withSandbox(in: folder) { client, cache in
                var settings = ImageAutomationConfiguration()
                // The automations read a file:// repository: only the controller's own namespace may.
                settings.controllerNamespace = "team"
                let service = ImageAutomationService(client: client, git: cache, configuration: settings, logger: logs.logger)
                // Flux's kinds are served before the service starts (it probes for them once a minute).
                try await ImageAutomationEndToEndTests.apply(
                    client, Self.fluxCRD("ImageRepository", plural: "imagerepositories") + Self.fluxCRD("ImagePolicy", plural: "imagepolicies"))
                try await ImageAutomationEndToEndTests.eventually("Flux's kinds are served") {
                    (try? await client.resource(for: Self.fluxPolicies)) != nil
                }
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await service.run() }
                    defer { group.cancelAll() }
                    try await Self.check(client: client, host: host, bare: bare, seed: seed)
                }
            }
        }
        #expect(!logs.lines.joined(separator: "\n").contains(Self.password))
    }

    static func check(client: KubeClient, host: String, bare: String, seed: String) async throws {
        try await ImageAutomationEndToEndTests.apply(
            client,
            """
            apiVersion: v1
            kind: Namespace
            metadata: {name: team}
            ---

            """ + GitFixtures.dockerConfigSecret("regcred", namespace: "team", host: host, user: "robot", password: password) + """
                apiVersion: keelson.dev/v1alpha1
                kind: ImagePolicy
                metadata: {name: app, namespace: team}
                spec: {image: \(host)/team/app, insecure: true, secretRef: {name: regcred}, policy: {semver: {range: '^1.0.0'}}, digestReflectionPolicy: Always}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: ImagePolicy
                metadata: {name: no-credentials, namespace: team}
                spec: {image: \(host)/team/app, insecure: true, policy: {semver: {range: '^1.0.0'}}}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: ImagePolicy
                metadata: {name: bad-range, namespace: team}
                spec: {image: \(host)/team/app, policy: {semver: {range: 'one point oh'}}}
                ---
                apiVersion: image.toolkit.fluxcd.io/v1beta2
                kind: ImageRepository
                metadata: {name: app, namespace: team}
                spec: {image: \(host)/team/app, interval: 1m, insecure: true, secretRef: {name: regcred}}
                ---
                apiVersion: image.toolkit.fluxcd.io/v1beta2
                kind: ImagePolicy
                metadata: {name: builds, namespace: team}
                spec:
                  imageRepositoryRef: {name: app}
                  filterTags: {pattern: '^build-(?P<n>[0-9]+)$', extract: '$n'}
                  policy: {numerical: {order: asc}}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: ImageUpdateAutomation
                metadata: {name: values, namespace: team}
                spec:
                  sourceRef: {repoURL: 'file://\(bare)'}
                  git:
                    checkout: {ref: {branch: main}}
                    commit:
                      author: {email: bot@keelson.invalid}
                      messageTemplate: "images on {{branch}}\\n{{#changes}}{{file}}:{{line}} {{new}}\\n{{/changes}}"
                    push: {branch: review}
                """)
        @Sendable func status(_ kind: GroupVersionKind, _ name: String) async throws -> JSONValue? {
            try await client.get(kind, name: name, namespace: "team").object["status"]
        }
        @Sendable func ready(_ status: JSONValue?) -> JSONValue? { status?["conditions"]?.arrayValue?.first { $0["type"] == "Ready" } }

        try await ImageAutomationEndToEndTests.eventually("the policy with credentials selects 1.3.0") {
            try await status(policies, "app")?["latestTag"] == "1.3.0"
        }
        let app = try #require(try await status(policies, "app"))
        let digest = try #require(app["latestRef"]?["digest"]?.stringValue)
        #expect(digest.hasPrefix("sha256:"))
        #expect(app["latestImage"] == .string("\(host)/team/app:1.3.0@\(digest)"))
        #expect(ready(app)?["status"] == "True")

        try await ImageAutomationEndToEndTests.eventually("Flux's pair selects build-12") {
            try await status(fluxPolicies, "builds")?["latestTag"] == "build-12"
        }
        try await ImageAutomationEndToEndTests.eventually("the policy without credentials reports why") {
            ready(try await status(policies, "no-credentials"))?["reason"] == "AuthenticationFailed"
        }
        try await ImageAutomationEndToEndTests.eventually("the invalid policy reports its field") {
            ready(try await status(policies, "bad-range"))?["reason"] == "InvalidSpec"
        }
        #expect("\(ready(try await status(policies, "bad-range")) ?? .null)".contains("spec.policy.semver.range"))

        try await ImageAutomationEndToEndTests.eventually("the automation pushes to review") {
            guard let tip = try? await ImageAutomationEndToEndTests.git(["rev-parse", "--verify", "-q", "review"], in: bare) else { return false }
            return try await status(automations, "values")?["lastPushCommit"]?.stringValue == tip
        }
        #expect(try await ImageAutomationEndToEndTests.git(["rev-parse", "main"], in: bare) == seed)
        // The two policies may land in one commit or in two (the automation runs as soon as a
        // policy of its namespace moves): every commit message lists exactly its own changes.
        try await ImageAutomationEndToEndTests.eventually("both values are on review") {
            let values = try await ImageAutomationEndToEndTests.git(["show", "review:values.yaml"], in: bare)
            return values.contains("app:1.3.0@\(digest) #") && values.contains("build: build-12")
        }
        let messages = try await ImageAutomationEndToEndTests.git(["log", "--reverse", "--format=%B%x00", "main..review"], in: bare)
            .split(separator: "\0").map { $0.trimmingCharacters(in: .whitespacesAndNewlines) }.filter { !$0.isEmpty }
        let lines = messages.flatMap { $0.split(separator: "\n").map(String.init) }
        #expect(messages.allSatisfy { $0.hasPrefix("images on review\n") }, "\(messages)")
        #expect(
            Set(lines.filter { $0 != "images on review" }) == ["values.yaml:2 \(host)/team/app:1.3.0@\(digest)", "values.yaml:4 build-12"],
            "\(messages)")
        #expect(try await ImageAutomationEndToEndTests.git(["diff", "--name-only", "main", "review"], in: bare) == "values.yaml")

        // No status anywhere holds the registry password.
        for kind in [policies, fluxPolicies, automations] {
            let listed = try await client.listAll(kind, namespace: "team")
            #expect(!"\(listed.items.map(\.value))".contains(password))
        }
    }
}
