import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import SealedSecrets
import Secrets

/// A sandbox with the SealedSecret CRD, and a SealedSecrets service on a manual clock.
enum SealedSecretsCluster {
    static let sealedSecrets = GroupVersionKind(group: "bitnami.com", version: "v1alpha1", kind: "SealedSecret")
    static let secrets = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    static func withCluster(_ body: @Sendable (KubeClient) async throws -> Void) async throws {
        var quiet = Logger(label: "sandbox")
        quiet.logLevel = .critical
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: folder.path + "/kubeconfig"), logger: quiet) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: folder.path + "/kubeconfig"))
            try await KubeClient.withClient(configuration) { client in
                try await client.createNamespaceIfMissing("shop", fieldManager: "test")
                try await body(client)
            }
        }
    }

    /// The service's virtual time: `clock` moves, `now` follows it from a fixed start.
    struct Time: Sendable {
        /// Moves the clock a second at a time, at most `limit` in all (shared by every call), so
        /// a test that polls cannot reach a later timer (the resync) by polling long enough.
        func step(limit: Duration) -> Bool {
            guard clock.now.offset < limit else { return false }
            clock.advance(by: .seconds(1))
            return true
        }

        let clock = ManualClock()
        let start = Date(timeIntervalSince1970: 1_750_000_000)
        var now: @Sendable () -> Date {
            { [clock, start] in start.addingTimeInterval(Double(clock.now.offset.components.seconds)) }
        }
    }

    /// Runs a service and its key watch (2048-bit keys, the CRD installed by it) while `body`
    /// runs; waits for the first key unless `waitForKey` is false.
    static func withService(
        _ client: any KubernetesAPI, time: Time = Time(), logger: Logger = Logger(label: "test"), waitForKey: Bool = true,
        configure: (inout SealedSecretsConfiguration) -> Void = { _ in }, _ body: @Sendable (SealedSecretsService) async throws -> Void
    ) async throws {
        var configuration = SealedSecretsConfiguration()
        configuration.keyBits = 2048
        configuration.clock = time.clock
        configuration.now = time.now
        configure(&configuration)
        let service = SealedSecretsService(client: client, configuration: configuration, logger: logger)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await service.keyWatch.run() }
            group.addTask { try await service.run() }
            defer { group.cancelAll() }
            if waitForKey {
                try await eventually("the first sealing key exists") { service.keys.certificatePEM != nil }
                try await eventually("the CRD is served") { (try? await client.resource(for: sealedSecrets)) != nil }
            }
            try await body(service)
        }
    }

    static func secret(name: String, namespace: String = "shop", values: [String: String]) -> Manifest {
        var data = JSONObject()
        for (key, value) in values { data[key] = .string(Data(value.utf8).base64EncodedString()) }
        return Manifest(unchecked: [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(namespace)], "data": .object(data),
        ])
    }

    /// `sealed` created in the sandbox (renamed to `name` when given).
    @discardableResult
    static func create(_ sealed: Manifest, name: String? = nil, client: KubeClient) async throws -> Manifest {
        var sealed = sealed
        if let name { sealed.setMetadata("name", .string(name)) }
        return try await client.create(sealed, options: WriteOptions(fieldManager: "test"))
    }

    /// The `Synced` condition of a SealedSecret, once written.
    static func synced(_ name: String, namespace: String = "shop", client: KubeClient) async throws -> JSONValue? {
        let object = try await client.get(sealedSecrets, name: name, namespace: namespace)
        return object.object["status"]?["conditions"]?.arrayValue?.first { $0["type"]?.stringValue == "Synced" }
    }

    /// The value under `key` of Secret `shop/name`, decoded.
    static func value(_ name: String, _ key: String, client: KubeClient) async throws -> String? {
        let secret = try await client.get(secrets, name: name, namespace: "shop")
        return secret.object["data"]?[key]?.stringValue.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
    }
}
