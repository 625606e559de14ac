import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// A5, A6 and A7: routers move traffic on the user's own objects, measured by the sandbox's
/// traffic simulator, and everything is back to Git's form after promotion.
@Suite struct RolloutRouterTests {
    typealias R = RolloutTests
    static let services = GroupVersionKind(group: "", version: "v1", kind: "Service")
    static let routes = GroupVersionKind(group: "gateway.networking.k8s.io", version: "v1", kind: "HTTPRoute")
    static let ingresses = GroupVersionKind(group: "networking.k8s.io", version: "v1", kind: "Ingress")

    static func rollout(traffic: String, weight: Int) -> String {
        R.rollout(strategy: "    canary: {steps: [{setWeight: \(weight)}, {pause: {}}], traffic: \(traffic)}")
    }

    static let route = """
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, annotations: {sandbox.keelson.dev/rps: "100"}}
        spec: {rules: [{backendRefs: [{name: web, port: 80}]}]}

        """

    static let ingress = """
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, annotations: {sandbox.keelson.dev/rps: "100"}}
        spec:
          ingressClassName: nginx
          rules: [{host: shop.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}]}}]

        """

    /// The share of each Deployment in the sandbox's entry point `default/web`.
    static func shares(_ h: ControllerHarness) async -> [String: Double] {
        guard let reply = try? await LoopbackHTTP.call(h.sandboxURL + "/sandbox/traffic"), let json = try? JSONParser.parse(reply.text) else {
            return [:]
        }
        let share = json[path: ["entrypoints", "default/web", "share"]]?.objectValue ?? [:]
        return share.reduce(into: [:]) { $0[$1.key] = $1.value.doubleValue }
    }

    static func get(_ h: ControllerHarness, _ kind: GroupVersionKind, _ name: String) async -> Manifest? {
        try? await h.client.get(kind, name: name, namespace: "default")
    }

    // A5: weights in the user's HTTPRoute and a stable-only apex selector; Git's form after promotion.
    @Test func gatewayAPIWeighsTheUsersRoute() async throws {
        try await ControllerHarness.with(
            files: [
                "app/crd.yaml": GatewayAPIFixtures.httpRouteCRD, "app/web.yaml": R.web("1.0.0"), "app/route.yaml": Self.route,
                "app/rollout.yaml": Self.rollout(traffic: "{gatewayAPI: {httpRoute: web}}", weight: 25),
            ],
            apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")]
        ) { h in
            try await h.eventually("the first version runs") { (await R.state(h))?["phase"]?.stringValue == "Healthy" }
            try await h.commit(["app/web.yaml": R.web("1.0.1")], message: "web 1.0.1")
            try await h.eventually("the route sends a quarter to the canary", timeout: .seconds(60)) {
                let refs = await Self.get(h, Self.routes, "web")?.value[path: ["spec", "rules"]]?.arrayValue?.first?["backendRefs"]
                return refs
                    == .array([
                        .object(["name": "web", "port": 80, "weight": 75]), .object(["name": "web-canary", "port": 80, "weight": 25]),
                    ])
            }
            let selector = await Self.get(h, Self.services, "web")?.value[path: ["spec", "selector"]]
            #expect(selector == .object(["app": "web", "keelson.dev/track": "stable"]))
            try await h.eventually("a quarter of the traffic reaches the canary") {
                let share = await Self.shares(h)["web-canary"] ?? 0
                return abs(share - 0.25) <= 0.01
            }
            try await R.annotate(h, "keelson.dev/promote-full")
            try await h.eventually("promoted: the route, the Service and the target are Git's again", timeout: .seconds(90)) {
                let refs = await Self.get(h, Self.routes, "web")?.value[path: ["spec", "rules"]]?.arrayValue?.first?["backendRefs"]
                let selector = await Self.get(h, Self.services, "web")?.value[path: ["spec", "selector"]]
                let canaryService = await Self.get(h, Self.services, "web-canary")
                let web = await R.deployment(h, "web")
                return refs == .array([.object(["name": "web", "port": 80])]) && selector == .object(["app": "web"]) && canaryService == nil
                    && web?.image.hasSuffix(":1.0.1") == true
            }
            try await h.eventually("the Application is Synced") { (await h.status("shop-web"))?["sync"]?["status"]?.stringValue == "Synced" }
        }
    }

    // A6: a generated nginx canary Ingress owned by the Rollout, outside the inventory.
    @Test func nginxCanaryIngress() async throws {
        try await ControllerHarness.with(
            files: [
                "app/web.yaml": R.web("1.0.0"), "app/ingress.yaml": Self.ingress,
                "app/rollout.yaml": Self.rollout(traffic: "{nginx: {ingress: web}}", weight: 30),
            ],
            apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")]
        ) { h in
            try await h.eventually("the first version runs") { (await R.state(h))?["phase"]?.stringValue == "Healthy" }
            let git = await Self.get(h, Self.ingresses, "web")?.object["spec"]
            try await h.commit(["app/web.yaml": R.web("1.0.1")], message: "web 1.0.1")
            try await h.eventually("a canary Ingress carries 30 %", timeout: .seconds(60)) {
                let canary = await Self.get(h, Self.ingresses, "web-canary")
                return canary?.annotations["nginx.ingress.kubernetes.io/canary"] == "true"
                    && canary?.annotations["nginx.ingress.kubernetes.io/canary-weight"] == "30"
                    && canary?.value[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["kind"]?.stringValue == "Rollout"
            }
            try await h.eventually("30 % of the traffic reaches the canary") { abs((await Self.shares(h)["web-canary"] ?? 0) - 0.3) <= 0.01 }
            let inventory = (await h.status("shop-web"))?["inventory"]?.arrayValue?.compactMap(\.stringValue) ?? []
            #expect(!inventory.isEmpty && !inventory.contains { $0.contains("web-canary") })
            #expect(await Self.get(h, Self.ingresses, "web")?.object["spec"] == git, "the user's Ingress is Git's throughout")
            try await R.annotate(h, "keelson.dev/promote-full")
            try await h.eventually("promoted: the canary Ingress is gone", timeout: .seconds(90)) {
                let canary = await Self.get(h, Self.ingresses, "web-canary")
                let phase = await R.state(h)?["phase"]?.stringValue
                return canary == nil && phase == "Healthy"
            }
            #expect(await Self.get(h, Self.ingresses, "web")?.object["spec"] == git)
        }
    }
}

extension RolloutRouterTests {
    static let blueGreen = R.rollout(
        strategy:
            "    blueGreen: {postPromotionAnalysis: {templates: [{name: success-rate}], args: [{name: service, value: web}]}, scaleDownDelay: 2s}")

    /// Git's Deployment and an apex Service that takes 100 requests a second.
    static func busyWeb(_ version: String) -> String {
        R.web(version).replacingOccurrences(
            of: "metadata: {name: web}\nspec: {selector",
            with: "metadata: {name: web, annotations: {sandbox.keelson.dev/rps: \"100\"}}\nspec: {selector")
    }

    // A7: green waits behind a preview Service for promote; after the switch a failing analysis
    // sends everything back to blue within a tick; a passing one releases green to the target,
    // puts the selector back as Git has it, and deletes green after scaleDownDelay.
    @Test func blueGreenWithAManualGateAndSwitchBack() async throws {
        #expect(Self.busyWeb("1.0.0") != R.web("1.0.0"))
        try await ControllerHarness.with(
            files: ["app/web.yaml": Self.busyWeb("1.0.0"), "app/rollout.yaml": Self.blueGreen],
            apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")]
        ) { h in
            try await h.commit(["app/template.yaml": RolloutAnalysisTests.template(h.sandboxURL)], message: "analysis")
            try await h.eventually("the first version runs") { (await R.state(h))?["phase"]?.stringValue == "Healthy" }
            try await RolloutAnalysisTests.answer(h, 0.5)
            try await h.commit(["app/web.yaml": Self.busyWeb("2.0.0")], message: "web 2.0.0")
            try await h.eventually("green is ready and waits for promote", timeout: .seconds(60)) {
                let state = await R.state(h)
                return state?["phase"]?.stringValue == "Paused" && state?["pauseReason"]?.stringValue == "AwaitingPromotion"
            }
            let preview = await Self.get(h, Self.services, "web-preview")?.value[path: ["spec", "selector", "keelson.dev/track"]]?.stringValue
            #expect(preview == "canary")
            try await h.eventually("blue takes all the traffic") { (await Self.shares(h)["web"] ?? 0) == 1 }
            try await R.annotate(h, "keelson.dev/promote")
            try await h.eventually("the failing analysis switches back to blue", timeout: .seconds(60)) {
                let phase = await R.state(h)?["phase"]?.stringValue
                let selector = await Self.get(h, Self.services, "web")?.value[path: ["spec", "selector", "keelson.dev/track"]]?.stringValue
                let blue = await Self.shares(h)["web"] ?? 0
                return phase == "Aborted" && selector == "stable" && blue == 1
            }
            #expect(await R.deployment(h, "web")?.image.hasSuffix(":1.0.0") == true)
            try await h.eventually("delivery RolledBack") { (await h.status("shop-web"))?["delivery"]?["state"]?.stringValue == "RolledBack" }

            // The passing variant.
            try await RolloutAnalysisTests.answer(h, 0.99)
            try await h.commit(["app/web.yaml": Self.busyWeb("2.0.1")], message: "web 2.0.1")
            try await h.eventually("green 2.0.1 waits for promote", timeout: .seconds(60)) {
                (await R.state(h))?["pauseReason"]?.stringValue == "AwaitingPromotion"
            }
            try await R.annotate(h, "keelson.dev/promote")
            try await h.eventually("2.0.1 serves from the target, the selector is Git's, green is gone", timeout: .seconds(90)) {
                let web = await R.deployment(h, "web")
                let green = await R.deployment(h, "web-canary")
                let selector = await Self.get(h, Self.services, "web")?.value[path: ["spec", "selector"]]
                return web?.image.hasSuffix(":2.0.1") == true && green == nil && selector == .object(["app": "web"])
            }
        }
    }
}
