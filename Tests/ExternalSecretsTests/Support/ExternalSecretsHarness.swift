import ExternalSecrets
import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Testing

/// A sandbox, a client of it, and the external secrets service running on a manual clock, for
/// as long as a test's body runs. Logs go to `logs`, so tests can check no value is logged.
struct ExternalSecretsHarness: Sendable {
    let client: KubeClient
    let clock: ManualClock
    let logs: LogCapture
    let folder: TemporaryDirectory
    /// The sandbox's base URL (plain http), for a Vault server's Kubernetes auth to review tokens at.
    let sandboxURL: String

    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")

    /// Runs `body` with the service started; `environment` is what providers read (the AWS endpoint).
    static func withRunning(
        environment: [String: String] = [:], installCRDs: Bool = true, _ body: @Sendable (ExternalSecretsHarness) async throws -> Void
    ) async throws {
        let folder = try TemporaryDirectory(prefix: "keelson-eso")
        defer { folder.remove() }
        var quiet = Logger(label: "keelson.sandbox")
        quiet.logLevel = .critical
        let kubeconfig = folder.path + "/kubeconfig"
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(100)), logger: quiet) { endpoint in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                let harness = ExternalSecretsHarness(
                    client: client, clock: ManualClock(), logs: LogCapture(), folder: folder, sandboxURL: endpoint.url)
                var settings = ExternalSecretsConfiguration()
                settings.environment = environment
                settings.installCRDs = installCRDs
                settings.optionalKindRetry = .milliseconds(200)
                let service = ExternalSecretsService(client: client, configuration: settings, clock: harness.clock, logger: harness.logs.logger)
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask { try await service.run() }
                    defer { group.cancelAll() }
                    if installCRDs {
                        try await eventually("the ExternalSecret CRD is served") {
                            (try? await client.resource(for: ExternalSecretsAPI.keelson.kind(.externalSecret))) != nil
                        }
                    }
                    try await body(harness)
                }
            }
        }
    }

    /// Creates or updates every object in `yaml`.
    func apply(_ yaml: String) async throws {
        for object in try Manifest.decode(Array(yaml.utf8), file: "test") {
            _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
        }
    }

    /// The data of Secret `namespace/name`, decoded, or `nil` when it does not exist.
    func secret(_ name: String, namespace: String) async throws -> [String: String]? {
        let object: Manifest
        do { object = try await client.get(Self.secretKind, name: name, namespace: namespace) } catch {
            if error.isNotFound { return nil }
            throw error
        }
        var out: [String: String] = [:]
        for (key, value) in object.object["data"]?.objectValue ?? [:] {
            out[key] = value.stringValue.flatMap { Data(base64Encoded: $0) }.map { String(decoding: $0, as: UTF8.self) }
        }
        return out
    }

    /// The whole object `namespace/name` of `kind` (Keelson's API).
    func object(_ kind: ExternalSecretsKind, _ name: String, namespace: String?, api: ExternalSecretsAPI = .keelson) async throws -> Manifest {
        try await client.get(api.kind(kind), name: name, namespace: namespace)
    }

    /// The `Ready` condition's status, reason and message.
    func ready(_ kind: ExternalSecretsKind, _ name: String, namespace: String?, api: ExternalSecretsAPI = .keelson) async -> (
        status: String, reason: String, message: String
    )? {
        guard let object = try? await object(kind, name, namespace: namespace, api: api) else { return nil }
        let conditions = object.object["status"]?["conditions"]?.arrayValue ?? []
        guard let ready = conditions.first(where: { $0["type"]?.stringValue == "Ready" }) else { return nil }
        return (ready["status"]?.stringValue ?? "", ready["reason"]?.stringValue ?? "", ready["message"]?.stringValue ?? "")
    }

    /// Waits until the ExternalSecret's `Ready` reason is `reason` (and its message contains
    /// `containing`), advancing the clock by `advancing` before every look: the service sleeps a
    /// relative timeout, so a single advance that lands before it sleeps would be missed.
    func waitFor(
        _ name: String, namespace: String, reason: String, containing: String = "", api: ExternalSecretsAPI = .keelson,
        advancing: Duration? = nil
    ) async throws {
        // Generous: with the whole suite on two cores a first sync once took longer than a minute.
        try await eventually("ExternalSecret \(namespace)/\(name) reports \(reason) \(containing)", timeout: .seconds(120)) {
            if let advancing { clock.advance(by: advancing) }
            guard let ready = await ready(.externalSecret, name, namespace: namespace, api: api) else { return false }
            guard ready.reason == reason && (containing.isEmpty || ready.message.contains(containing)) else {
                // Thrown so that a time-out says what the condition said last.
                throw ReadyCondition(status: ready.status, reason: ready.reason, message: ready.message)
            }
            return true
        }
    }

    /// A Namespace per name.
    func namespaces(_ names: String...) async throws {
        for name in names { try await apply("apiVersion: v1\nkind: Namespace\nmetadata: {name: \(name)}\n") }
    }

    /// An Opaque Secret with `data` (given as text).
    func createSecret(_ name: String, namespace: String, data: [String: String], labels: [String: String] = [:]) async throws {
        var object = Manifest(unchecked: [
            "apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": .string(namespace)],
        ])
        var encoded = JSONObject()
        for (key, value) in data { encoded[key] = .string(Data(value.utf8).base64EncodedString()) }
        object.object["data"] = .object(encoded)
        for (key, value) in labels { object.setLabel(key, value) }
        _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
    }
}

/// A `Ready` condition as read, for a failure message.
struct ReadyCondition: Error, CustomStringConvertible {
    var status: String
    var reason: String
    var message: String
    var description: String { "Ready \(status) \(reason): \(message)" }
}
