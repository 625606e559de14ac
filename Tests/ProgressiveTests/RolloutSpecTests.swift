import Manifests
import Progressive
import Testing

@Suite struct RolloutSpecTests {
    static let example = """
        apiVersion: keelson.dev/v1alpha1
        kind: Rollout
        metadata: {name: web, namespace: shop}
        spec:
          targetRef: {kind: Deployment, name: web}
          service: {name: web, port: 80}
          progressDeadline: 10m
          rollbackWindow: 3
          abortScaleDownDelay: 30s
          strategy:
            canary:
              steps:
                - setWeight: 20
                - pause: {duration: 1m}
                - analysis: {templates: [{name: success-rate}], args: [{name: service, value: web-canary}]}
                - setWeight: 50
                - pause: {}
              analysis: {templates: [{name: latency}], startingStep: 1}
              traffic: {replicas: {}}
        """

    static func rollout(_ yaml: String) throws -> RolloutSpec {
        let manifests = try Manifest.decode(Array(yaml.utf8), file: "rollout.yaml")
        return try RolloutSpec(try #require(manifests.first))
    }

    // The design's example (A.3) reads as written.
    @Test func theDesignExampleReads() throws {
        let spec = try Self.rollout(Self.example)
        #expect(spec.target == "web" && spec.namespace == "shop" && spec.service == .init(name: "web", port: 80))
        #expect(spec.progressDeadline == .seconds(600) && spec.abortScaleDownDelay == .seconds(30))
        guard case .canary(let canary) = spec.strategy else {
            Issue.record("not a canary")
            return
        }
        #expect(
            canary.steps == [
                .setWeight(20), .pause(.seconds(60)), .analysis(.init(templates: ["success-rate"], args: ["service": "web-canary"])), .setWeight(50),
                .pause(nil),
            ])
        #expect(canary.background == .init(analysis: .init(templates: ["latency"]), startingStep: 1))
        #expect(canary.traffic == .replicas)
        #expect(spec.canaryDeployment == "web-canary" && spec.canaryService == "web-canary")
    }

    // Flagger's stepWeights + interval expand into weight and pause steps.
    @Test func flaggerShorthandExpands() throws {
        let yaml = Self.example.replacingOccurrences(
            of:
                "      steps:\n        - setWeight: 20\n        - pause: {duration: 1m}\n        - analysis: {templates: [{name: success-rate}], args: [{name: service, value: web-canary}]}\n        - setWeight: 50\n        - pause: {}\n",
            with: "      stepWeights: [10, 50]\n      interval: 30s\n")
        guard case .canary(let canary) = try Self.rollout(yaml).strategy else { return }
        #expect(canary.steps == [.setWeight(10), .pause(.seconds(30)), .setWeight(50), .pause(.seconds(30))])
    }

    // Routers read with their settings.
    @Test(arguments: [
        ("{gatewayAPI: {httpRoute: web}}", RolloutSpec.TrafficRouting.gatewayAPI(httpRoute: "web", rule: nil)),
        ("{nginx: {ingress: web}}", .nginx(ingress: "web", annotationPrefix: "nginx.ingress.kubernetes.io")),
        (
            "{patch: {target: {apiVersion: networking.istio.io/v1, kind: VirtualService, name: web}, stableWeight: /spec/http/0/route/0/weight, canaryWeight: /spec/http/0/route/1/weight}}",
            .patch(
                .init(
                    apiVersion: "networking.istio.io/v1", kind: "VirtualService", name: "web", stableWeight: "/spec/http/0/route/0/weight",
                    canaryWeight: "/spec/http/0/route/1/weight"))
        ),
    ])
    func routersRead(_ traffic: String, _ expected: RolloutSpec.TrafficRouting) throws {
        let spec = try Self.rollout(Self.example.replacingOccurrences(of: "traffic: {replicas: {}}", with: "traffic: " + traffic))
        guard case .canary(let canary) = spec.strategy else { return }
        #expect(canary.traffic == expected)
    }

    // Every mistake names its field.
    @Test(arguments: [
        ("targetRef: {kind: Deployment, name: web}", "targetRef: {kind: StatefulSet, name: web}", "spec.targetRef.kind"),
        ("targetRef: {kind: Deployment, name: web}", "targetRef: {kind: Deployment}", "spec.targetRef.name"),
        ("- setWeight: 20", "- setWeight: 120", "spec.strategy.canary.steps[0].setWeight"),
        ("- setWeight: 20", "- setWeight: 20\n          pause: {}", "spec.strategy.canary.steps[0]"),
        ("- setWeight: 20", "- scale: 20", "spec.strategy.canary.steps[0].scale"),
        ("pause: {duration: 1m}", "pause: {duration: soon}", "spec.strategy.canary.steps[1].pause.duration"),
        ("templates: [{name: success-rate}]", "templates: []", "spec.strategy.canary.steps[2].analysis.templates"),
        ("traffic: {replicas: {}}", "traffic: {istio: {}}", "spec.strategy.canary.traffic.istio"),
        ("traffic: {replicas: {}}", "traffic: {gatewayAPI: {}}", "spec.strategy.canary.traffic.gatewayAPI.httpRoute"),
        ("progressDeadline: 10m", "progressDeadline: 10", "spec.progressDeadline"),
        ("rollbackWindow: 3", "rollbackWindow: 99", "spec.rollbackWindow"),
        ("    canary:", "    blueGreen: {}\n    canary:", "spec.strategy"),
        ("  service: {name: web, port: 80}\n", "", "spec.service"),
    ])
    func mistakesNameTheirField(_ from: String, _ to: String, _ field: String) throws {
        var yaml = Self.example.replacingOccurrences(of: from, with: to)
        if field == "spec.service" { yaml = yaml.replacingOccurrences(of: "traffic: {replicas: {}}", with: "traffic: {nginx: {ingress: web}}") }
        #expect(yaml != Self.example)
        #expect {
            try Self.rollout(yaml)
        } throws: { error in
            (error as? ObjectFieldError)?.field == field
        }
    }

    // Blue-green reads with Keelson's manual gate by default.
    @Test func blueGreenDefaultsToAManualGate() throws {
        let yaml = Self.example.replacing(
            #/    canary:[\s\S]*/#, with: "    blueGreen: {postPromotionAnalysis: {templates: [{name: success-rate}]}, scaleDownDelay: 2s}\n")
        guard case .blueGreen(let blueGreen) = try Self.rollout(yaml).strategy else {
            Issue.record("not blue-green")
            return
        }
        #expect(!blueGreen.autoPromotion && blueGreen.scaleDownDelay == .seconds(2))
        #expect(blueGreen.postPromotionAnalysis == RolloutSpec.AnalysisReference(templates: ["success-rate"]))
    }
}
