import Foundation
import KeelsonTesting
import Manifests

/// Serves the discovery fixtures for `/api/v1` and `/apis/apps/v1`, and hands every other
/// request to `next`.
func withDiscovery(_ next: @escaping ScriptedServer.Script) -> ScriptedServer.Script {
    let fixtures: [String: String] = [
        "/api": "api.json", "/apis": "apis.json", "/api/v1": "api-v1.json", "/apis/apps/v1": "apis-apps-v1.json",
    ]
    let bodies = fixtures.mapValues { name in
        (try? String(contentsOfFile: KubeFixtures.directory + "/" + name, encoding: .utf8)) ?? "{}"
    }
    return { request in
        if let body = bodies[request.path] { return ScriptedResponse(status: 200, chunks: [body]) }
        return next(request)
    }
}

func configMap(_ name: String, resourceVersion: String, namespace: String = "ns") -> JSONValue {
    [
        "apiVersion": "v1", "kind": "ConfigMap",
        "metadata": ["name": .string(name), "namespace": .string(namespace), "resourceVersion": .string(resourceVersion)],
    ]
}
