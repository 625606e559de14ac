import Foundation
import KeelsonTesting
import KubeSandbox
import Testing

/// One routing rule of the traffic simulator: the objects applied and the shares that follow.
struct RoutingCase: Sendable, CustomTestStringConvertible {
    var rule: String
    var manifests: [String]
    /// The entry point, `ns/name`, and its kind.
    var entry: String
    var kind: String
    var shares: [String: Double]
    var needsGatewayAPI = false

    var testDescription: String { rule }
}

@Suite("Simulated traffic: routing", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct TrafficRoutingTests {
    /// Deployments `web` and `web-canary` with one Service each, selecting only their own pods.
    static let twoTracks = [
        Fixtures.deployment("web", replicas: 1), Fixtures.deployment("web-canary", replicas: 1),
        Fixtures.service("web", selector: ["app": "web"]), Fixtures.service("web-canary", selector: ["app": "web-canary"]),
    ]

    static let cases: [RoutingCase] = [
        // A Service weighs the Deployments its selector matches by readyReplicas.
        RoutingCase(
            rule: "a Service splits by ready replicas",
            manifests: [
                Fixtures.deployment("web-a", replicas: 3, labels: ["app": "web", "version": "a"]),
                Fixtures.deployment("web-b", replicas: 1, labels: ["app": "web", "version": "b"]),
                Fixtures.deployment("other", replicas: 2, labels: ["app": "other"]),
                Fixtures.service("web", selector: ["app": "web"], rps: 100),
            ],
            entry: "default/web", kind: "Service", shares: ["web-a": 0.75, "web-b": 0.25]),
        // ready-replicas caps readyReplicas, and with it the share.
        RoutingCase(
            rule: "a capped Deployment gets the share of its ready replicas",
            manifests: [
                Fixtures.deployment(
                    "web-a", replicas: 3, annotations: ["sandbox.keelson.dev/ready-replicas": "1"], labels: ["app": "web", "version": "a"]),
                Fixtures.deployment("web-b", replicas: 1, labels: ["app": "web", "version": "b"]),
                Fixtures.service("web", selector: ["app": "web"], rps: 100),
            ],
            entry: "default/web", kind: "Service", shares: ["web-a": 0.5, "web-b": 0.5]),
        // An HTTPRoute splits by backendRef weight.
        RoutingCase(
            rule: "an HTTPRoute splits 75/25 by weight",
            manifests: twoTracks + [GatewayAPIFixtures.httpRoute("web", backends: [("web", 75), ("web-canary", 25)], annotations: rps(100))],
            entry: "default/web", kind: "HTTPRoute", shares: ["web": 0.75, "web-canary": 0.25], needsGatewayAPI: true),
        // A backendRef of weight 0 gets no traffic.
        RoutingCase(
            rule: "an HTTPRoute backend of weight 0 gets nothing",
            manifests: twoTracks + [GatewayAPIFixtures.httpRoute("web", backends: [("web", 100), ("web-canary", 0)], annotations: rps(100))],
            entry: "default/web", kind: "HTTPRoute", shares: ["web": 1], needsGatewayAPI: true),
        // A canary Ingress of the same host and path takes canary-weight out of 100.
        RoutingCase(
            rule: "an nginx canary Ingress takes its canary-weight",
            manifests: twoTracks + [
                Fixtures.ingress("web", service: "web", rps: 100), Fixtures.ingress("web-canary", service: "web-canary", canaryWeight: 20),
            ],
            entry: "default/web", kind: "Ingress", shares: ["web": 0.8, "web-canary": 0.2]),
        // canary-weight-total replaces 100 as the whole.
        RoutingCase(
            rule: "an nginx canary Ingress weighs against canary-weight-total",
            manifests: twoTracks + [
                Fixtures.ingress("web", service: "web", rps: 100),
                Fixtures.ingress("web-canary", service: "web-canary", canaryWeight: 1, canaryTotal: 4),
            ],
            entry: "default/web", kind: "Ingress", shares: ["web": 0.75, "web-canary": 0.25]),
    ]

    static func rps(_ value: Int) -> [String: String] { ["sandbox.keelson.dev/rps": String(value)] }

    @Test("requests go where the routing rules send them", arguments: cases)
    func routing(_ routing: RoutingCase) async throws {
        try await withTraffic(
            gatewayAPI: routing.needsGatewayAPI, manifests: routing.manifests, entry: routing.entry, ready: { $0 == routing.shares }
        ) { _, endpoint in
            let traffic = try await SandboxHTTP.json(endpoint, "/sandbox/traffic")
            #expect(traffic.value["entrypoints"]?[routing.entry]?["kind"]?.stringValue == routing.kind)
            #expect(traffic.value["entrypoints"]?[routing.entry]?["rps"]?.doubleValue == 100)
        }
    }

    @Test("an HTTPRoute is an entry point only while its CRD is installed")
    func httpRouteNeedsItsCRD() async throws {
        let route = GatewayAPIFixtures.httpRoute("web", backends: [("web", 1)], annotations: Self.rps(10))
        try await withTraffic(gatewayAPI: true, manifests: Self.twoTracks + [route], ready: { $0 == ["web": 1] }) { kubectl, endpoint in
            try await kubectl.ok(["delete", "crd", "httproutes.gateway.networking.k8s.io"])
            try await eventually("the route is no entry point") {
                try await SandboxHTTP.json(endpoint, "/sandbox/traffic").value["entrypoints"] == [:]
            }
        }
    }
}
