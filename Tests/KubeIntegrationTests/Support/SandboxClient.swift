import Foundation
import Kube
import KubeSandbox
import Logging
import Manifests
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A sandbox on 127.0.0.1 and a `KubeClient` loaded from the kubeconfig it wrote, both stopped
/// when `body` returns.
func withSandboxClient<T: Sendable>(
    _ configure: (inout SandboxConfiguration) -> Void = { _ in }, options: KubeClientOptions = KubeClientOptions(),
    _ body: @Sendable (KubeClient, SandboxEndpoint) async throws -> T
) async throws -> T {
    let directory = FileManager.default.temporaryDirectory.path + "/keelson-kit-" + UUID().uuidString.prefix(8).lowercased()
    defer { try? FileManager.default.removeItem(atPath: directory) }
    var configuration = SandboxConfiguration(kubeconfigPath: directory + "/kubeconfig", readyDelay: .milliseconds(100))
    configure(&configuration)
    let kubeconfigPath = configuration.kubeconfigPath
    return try await Sandbox.withRunning(configuration, logger: quietLogger) { endpoint in
        let kube = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfigPath))
        return try await KubeClient.withClient(kube, options: options) { client in try await body(client, endpoint) }
    }
}

/// A sandbox logger that keeps injected faults and shutdown chatter out of test output.
let quietLogger: Logger = {
    var logger = Logger(label: "keelson.sandbox")
    logger.logLevel = .critical
    return logger
}()

/// The one object in `yaml`.
func object(_ yaml: String) throws -> Manifest {
    let objects = try Manifest.decode(Array(yaml.utf8), file: "test")
    guard objects.count == 1, let first = objects.first else { throw TestFailure("expected one object in \(yaml)") }
    return first
}

/// A ConfigMap in `namespace` with `labels` and `data`.
func configMap(_ name: String, namespace: String = "default", labels: [String: String] = [:], data: [String: String] = [:]) -> Manifest {
    var metadata: JSONObject = ["name": .string(name), "namespace": .string(namespace)]
    if !labels.isEmpty { metadata["labels"] = .object(stringMap(labels)) }
    var object: JSONObject = ["apiVersion": "v1", "kind": "ConfigMap", "metadata": .object(metadata)]
    if !data.isEmpty { object["data"] = .object(stringMap(data)) }
    return Manifest(unchecked: object)
}

/// A JSON object of strings, keys sorted.
func stringMap(_ map: [String: String]) -> JSONObject {
    var object = JSONObject()
    for (key, value) in map.sorted(by: { $0.key < $1.key }) { object[key] = .string(value) }
    return object
}

let configMapKind = GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")

/// A failed expectation inside support code.
struct TestFailure: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}

/// The sandbox's admin endpoint for faults and counters.
struct SandboxAdmin {
    let url: String

    /// Sets faults (`POST`), clears them (`DELETE`) or reads them with the counters (`GET`).
    @discardableResult
    func faults(_ method: String, _ body: String? = nil) async throws -> JSONValue {
        var request = URLRequest(url: URL(string: url + "/sandbox/faults")!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        guard (response as? HTTPURLResponse)?.statusCode == 200 else {
            throw TestFailure("\(method) /sandbox/faults: \(String(decoding: data, as: UTF8.self))")
        }
        return try JSONParser.parse(Array(data), file: "/sandbox/faults")
    }

    /// A counter from `GET /sandbox/faults`.
    func counter(_ name: String) async throws -> Int {
        guard let value = try await faults("GET")[name]?.intValue else { throw TestFailure("no counter \(name)") }
        return Int(value)
    }
}
