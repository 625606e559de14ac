import KeelsonTesting
import KubeSandbox
import Testing

/// Runs `body` against a fresh sandbox whose workloads are ready after 50 ms and whose traffic
/// runs on `clock` (real time when nil), once `manifests` are applied (after the HTTPRoute CRD,
/// with `gatewayAPI`) and `ready` holds for `GET /sandbox/traffic`'s entry point `entry`'s shares.
func withTraffic(
    clock: (any Clock<Duration>)? = nil, gatewayAPI: Bool = false, manifests: [String], entry: String = "default/web",
    ready: @escaping @Sendable ([String: Double]) -> Bool, _ body: @Sendable (Kubectl, SandboxEndpoint) async throws -> Void
) async throws {
    try await withSandbox({
        if let clock { $0.trafficClock = clock }
        $0.readyDelay = .milliseconds(50)
    }) { kubectl, endpoint in
        if gatewayAPI {
            try await kubectl.ok(["apply", "-f", "-"], stdin: GatewayAPIFixtures.httpRouteCRD)
            try await kubectl.ok(["wait", "--for=condition=Established", "crd/httproutes.gateway.networking.k8s.io", "--timeout=30s"])
        }
        try await kubectl.ok(["apply", "-f", "-"], stdin: manifests.joined(separator: "---\n"))
        try await eventually("\(entry) sends where expected") { ready(try await SandboxHTTP.shares(endpoint, entry)) }
        try await body(kubectl, endpoint)
    }
}
