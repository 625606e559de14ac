import Foundation
import GoTemplate
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Testing

@testable import Controller

/// The cluster side of chart renders against the sandbox: the seed Secret, `lookup` and discovery.
@Suite struct HelmClusterTests {
    func withClient(_ body: @Sendable (KubeClient) async throws -> Void) async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-helm-cluster")
        defer { folder.remove() }
        let kubeconfig = folder.path + "/kubeconfig"
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig)) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in try await body(client) }
        }
    }

    func app(_ name: String = "web") throws -> Application {
        let yaml = """
            apiVersion: keelson.dev/v1alpha1
            kind: Application
            metadata: {name: \(name), namespace: default}
            spec:
              source: {repoURL: "file:///r", path: chart}
              destination: {namespace: default}
            """
        return try Application(try #require(try Manifest.decode(Array(yaml.utf8), file: "app.yaml").first))
    }

    // Replicas racing to create the seed agree on one; a revision keeps its time, a new one gets a new time.
    @Test func theSeedIsCreatedOnceAndTheTimeIsFixedPerRevision() async throws {
        try await withClient { client in
            let app = try app()
            let start = Date(timeIntervalSince1970: 1_700_000_000)
            let seeds = try await withThrowingTaskGroup(of: HelmSeed.self) { group in
                for _ in 0..<4 { group.addTask { try await HelmSeed.load(client, for: app, revision: "c1", now: start) } }
                return try await group.reduce(into: []) { $0.append($1) }
            }
            #expect(Set(seeds.map(\.seed)).count == 1, "every replica reads the same seed")
            #expect(seeds[0].seed.count == 32)
            let again = try await HelmSeed.load(client, for: app, revision: "c1", now: start.addingTimeInterval(3600))
            #expect(again == seeds[0], "the same revision renders with the same seed and time")
            let next = try await HelmSeed.load(client, for: app, revision: "c2", now: start.addingTimeInterval(7200))
            #expect(next.seed == seeds[0].seed && next.time == start.addingTimeInterval(7200), "a new revision gets its own time")
            let secret = try await client.get(HelmSeed.secretKind, name: "web-helm-seed", namespace: "default")
            #expect(secret.labels[HelmSeed.applicationLabel] == "web")
        }
    }

    // lookup reads the destination namespace (a missing object is {}), lists, and refuses the rest,
    // called synchronously from a render thread.
    @Test func lookupReadsTheDestinationOnly() async throws {
        try await withClient { client in
            _ = try await client.create(
                Manifest(unchecked: [
                    "apiVersion": "v1", "kind": "ConfigMap", "metadata": ["name": "live", "namespace": "default"], "data": ["n": "1"],
                ]),
                options: WriteOptions())
            let lookup = ClusterLookup(client: client, policy: LookupPolicy(namespace: "default", allowSecrets: false))
            let (found, missing, list) = try await ClusterLookup.run {
                (
                    try lookup.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "live"),
                    try lookup.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "absent"),
                    try lookup.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "default", name: "")
                )
            }
            #expect(found.formatted.contains("n:1"))
            #expect(missing.formatted == "map[]")
            #expect(list.formatted.contains("ConfigMapList") && list.formatted.contains("live"))
            await #expect(throws: (any Error).self) {
                try await ClusterLookup.run { try lookup.lookup(apiVersion: "v1", kind: "Secret", namespace: "default", name: "x") }
            }
            await #expect(throws: (any Error).self) {
                try await ClusterLookup.run { try lookup.lookup(apiVersion: "v1", kind: "ConfigMap", namespace: "kube-system", name: "x") }
            }
        }
    }

    // Discovery gives the sandbox's version and kinds.
    @Test func capabilitiesComeFromDiscovery() async throws {
        try await withClient { client in
            let capabilities = try await ClusterCapabilities.read(client, helm: ApplicationSpec.HelmOptions())
            #expect(capabilities.kubeVersion.major == 1 && capabilities.kubeVersion.minor == 32)
            #expect(capabilities.apiVersions.contains("apps/v1/Deployment") && capabilities.apiVersions.contains("v1"))
        }
    }
}
