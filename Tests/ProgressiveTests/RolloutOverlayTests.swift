import Foundation
import Manifests
import Progressive
import Testing

@Suite struct RolloutOverlayTests {
    static let git = """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web, namespace: shop}
        spec:
          replicas: 5
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "registry.local/shop/web:1.0.1"}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web, namespace: shop}
        spec: {selector: {app: web}, ports: [{port: 80}], clusterIP: 10.0.0.7}
        ---
        apiVersion: gateway.networking.k8s.io/v1
        kind: HTTPRoute
        metadata: {name: web, namespace: shop}
        spec: {rules: [{backendRefs: [{name: web, port: 80}]}]}
        ---
        apiVersion: networking.k8s.io/v1
        kind: Ingress
        metadata: {name: web, namespace: shop}
        spec:
          ingressClassName: nginx
          rules: [{host: shop.example, http: {paths: [{path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}, {path: /other, pathType: Prefix, backend: {service: {name: other, port: {number: 80}}}}]}}]
        """
    static let liveTemplate: JSONValue = .object([
        "metadata": .object(["labels": .object(["app": "web", "keelson.dev/track": "stable"])]),
        "spec": .object(["containers": .array([.object(["name": "web", "image": "registry.local/shop/web:1.0.0"])])]),
    ])

    static func overlay(
        _ traffic: RolloutSpec.TrafficRouting = .replicas, blueGreen: Bool = false, phase: RolloutState.Phase, weight: Int = 20,
        stage: RolloutState.Stage? = nil, canaryReady: Int = 1, mode: RolloutReplicas.Mode = .shift, abortedAgo: TimeInterval = 0,
        stableReady: Int = 4
    ) throws -> RolloutOverlay.Result {
        let manifests = try Manifest.decode(Array(git.utf8), file: "git.yaml")
        var spec = RolloutSpec(
            namespace: "shop", name: "web", target: "web", service: .init(name: "web", port: 80),
            strategy: .canary(.init(steps: [.setWeight(20)], traffic: traffic)))
        if blueGreen { spec.strategy = .blueGreen(.init()) }
        spec.abortScaleDownDelay = .seconds(30)
        var state = RolloutState()
        state.phase = phase
        state.setWeight = weight
        state.stage = stage
        state.stableHash = "stable"
        state.canaryHash = "canary"
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        state.abortedAt = now.addingTimeInterval(-abortedAgo)
        state.stepStartedAt = now
        var live = manifests[0]
        live.object["spec"]?["template"] = liveTemplate
        live.object["metadata"]?["generation"] = .number(JSONNumber(Int64(2)))
        live.object["status"] = .object([
            "observedGeneration": .number(JSONNumber(Int64(2))), "readyReplicas": .number(JSONNumber(Int64(stableReady))),
        ])
        let rollout = RolloutOverlay.Rollout(
            spec: spec, state: state, mode: traffic.routed ? .routed : mode, replicas: 5, liveTarget: live, canaryReady: canaryReady, uid: "u-1",
            now: now)
        return RolloutOverlay.apply(manifests, rollouts: [rollout])
    }

    static func object(_ result: RolloutOverlay.Result, _ kind: String, _ name: String) -> Manifest? {
        (result.manifests + result.generated).first { $0.kind == kind && $0.name == name }
    }

    // A1: at 20 % of 5 the canary runs 1 pod of the new template and the stable 4 of the old.
    @Test func replicaCanaryShiftsPods() throws {
        let result = try Self.overlay(phase: .progressing)
        let target = try #require(Self.object(result, "Deployment", "web"))
        let canary = try #require(Self.object(result, "Deployment", "web-canary"))
        #expect(target.object["spec"]?["replicas"]?.intValue == 4)
        #expect(
            target.value[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue
                == "registry.local/shop/web:1.0.0")
        #expect(canary.object["spec"]?["replicas"]?.intValue == 1)
        #expect(
            canary.value[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue
                == "registry.local/shop/web:1.0.1")
        #expect(canary.value[path: ["spec", "selector", "matchLabels", "keelson.dev/track"]]?.stringValue == "canary")
        #expect(canary.value[path: ["metadata", "ownerReferences"]]?.arrayValue?.first?["kind"]?.stringValue == "Rollout")
        // The canary is generated: the render keeps its own objects only.
        #expect(!result.manifests.contains { $0.name == "web-canary" })
    }

    // Capacity never drops: the stable shrinks only as far as ready canary pods make up for.
    @Test func stableWaitsForReadyCanaryPods() throws {
        let result = try Self.overlay(phase: .progressing, weight: 60, canaryReady: 1)
        #expect(Self.object(result, "Deployment", "web")?.object["spec"]?["replicas"]?.intValue == 4)
    }

    // A2: an abort without a router gives the stable all pods at once; the canary keeps the
    // ready pods the stable still lacks (capacity never drops) and goes as the stable recovers.
    @Test(arguments: [(4, 1), (5, 0)])
    func abortScalesTheCanaryDownAsTheStableRecovers(_ stableReady: Int, _ canary: Int) throws {
        let result = try Self.overlay(phase: .aborted, weight: 0, canaryReady: 1, stableReady: stableReady)
        #expect(Self.object(result, "Deployment", "web")?.object["spec"]?["replicas"]?.intValue == 5)
        #expect(Self.object(result, "Deployment", "web-canary")?.object["spec"]?["replicas"]?.intValue == Int64(canary))
    }

    // With a router, traffic leaves at once and the pods stay until abortScaleDownDelay has passed.
    @Test(arguments: [(10.0, 5), (31.0, 0)])
    func routedAbortKeepsPodsForTheDelay(_ ago: TimeInterval, _ replicas: Int) throws {
        let result = try Self.overlay(.gatewayAPI(httpRoute: "web", rule: nil), phase: .aborted, weight: 0, abortedAgo: ago)
        #expect(Self.object(result, "Deployment", "web-canary")?.object["spec"]?["replicas"]?.intValue == Int64(replicas))
    }

    // A5: the user's HTTPRoute gets 75/25 weights and the apex Service selects stable pods only.
    @Test func gatewayAPIWeighsTheUsersRoute() throws {
        let result = try Self.overlay(.gatewayAPI(httpRoute: "web", rule: nil), phase: .paused, weight: 25)
        let refs = Self.object(result, "HTTPRoute", "web")?.value[path: ["spec", "rules"]]?.arrayValue?.first?["backendRefs"]
        #expect(
            refs
                == .array([
                    .object(["name": "web", "port": .number(JSONNumber(Int64(80))), "weight": .number(JSONNumber(Int64(75)))]),
                    .object(["name": "web-canary", "port": .number(JSONNumber(Int64(80))), "weight": .number(JSONNumber(Int64(25)))]),
                ]))
        #expect(Self.object(result, "Service", "web")?.value[path: ["spec", "selector"]] == .object(["app": "web", "keelson.dev/track": "stable"]))
        let canaryService = try #require(Self.object(result, "Service", "web-canary"))
        #expect(canaryService.value[path: ["spec", "selector", "keelson.dev/track"]]?.stringValue == "canary")
        #expect(canaryService.value[path: ["spec", "clusterIP"]] == nil)
        // The target stays full: the router moves traffic, not pods.
        #expect(Self.object(result, "Deployment", "web")?.object["spec"]?["replicas"]?.intValue == 5)
    }

    // Idle, the route, the Service and the target's size are Git's, and nothing is generated.
    @Test func idleIsGit() throws {
        let result = try Self.overlay(.gatewayAPI(httpRoute: "web", rule: nil), phase: .healthy, weight: 0)
        let git = try Manifest.decode(Array(Self.git.utf8), file: "git.yaml")
        #expect(Self.object(result, "HTTPRoute", "web") == git[2])
        #expect(Self.object(result, "Service", "web") == git[1])
        #expect(result.generated.isEmpty)
        #expect(Set(result.removed.map(\.name)) == ["web-canary"])
    }

    // A6: an nginx canary Ingress copies only the apex's paths, retargeted, with the weight annotations.
    @Test func nginxCanaryIngress() throws {
        let result = try Self.overlay(.nginx(ingress: "web", annotationPrefix: "nginx.ingress.kubernetes.io"), phase: .paused, weight: 30)
        let ingress = try #require(Self.object(result, "Ingress", "web-canary"))
        #expect(ingress.annotations["nginx.ingress.kubernetes.io/canary"] == "true")
        #expect(ingress.annotations["nginx.ingress.kubernetes.io/canary-weight"] == "30")
        let paths = ingress.value[path: ["spec", "rules"]]?.arrayValue?.first?["http"]?["paths"]?.arrayValue ?? []
        #expect(paths.count == 1 && paths.first?["backend"]?["service"]?["name"]?.stringValue == "web-canary")
        #expect(ingress.value[path: ["spec", "ingressClassName"]]?.stringValue == "nginx")
        #expect(Self.object(result, "Ingress", "web") == (try Manifest.decode(Array(Self.git.utf8), file: "git.yaml"))[3])
    }

    // A7: blue-green switches the apex to green at weight 100 and back to blue at 0; the preview selects green.
    @Test(arguments: [(0, "stable"), (100, "canary")])
    func blueGreenSwitchesTheApex(_ weight: Int, _ track: String) throws {
        let result = try Self.overlay(blueGreen: true, phase: .promoting, weight: weight, stage: weight == 100 ? .analysis : .routeBack)
        #expect(Self.object(result, "Service", "web")?.value[path: ["spec", "selector", "keelson.dev/track"]]?.stringValue == track)
        #expect(Self.object(result, "Service", "web-preview")?.value[path: ["spec", "selector", "keelson.dev/track"]]?.stringValue == "canary")
        #expect(Self.object(result, "Deployment", "web-canary")?.object["spec"]?["replicas"]?.intValue == 5)
    }

    // Release hands the rendered template to the target; the hash annotation says which it runs.
    @Test func releaseGivesTheTargetTheNewTemplate() throws {
        let result = try Self.overlay(phase: .promoting, weight: 20, stage: .release)
        let target = try #require(Self.object(result, "Deployment", "web"))
        #expect(
            target.value[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue
                == "registry.local/shop/web:1.0.1")
        #expect(target.value[path: ["spec", "template", "metadata", "labels", "keelson.dev/track"]]?.stringValue == "stable")
        #expect(
            target.annotations[PodTemplate.hashAnnotation]
                == PodTemplate.hash(try Manifest.decode(Array(Self.git.utf8), file: "g")[0].object["spec"]?["template"] ?? .null))
    }

    // The track label is not part of the hash, so adopting a Rollout is not a new version.
    @Test func trackLabelIsNotHashed() {
        let template = Self.liveTemplate
        #expect(PodTemplate.hash(template) == PodTemplate.hash(PodTemplate.tracked(template, .canary)))
        #expect(PodTemplate.hash(template) != PodTemplate.hash(.object(["spec": .object([:])])))
    }

    // A name Git already uses is refused, not overwritten.
    @Test func aGeneratedNameGitUsesIsAProblem() throws {
        var manifests = try Manifest.decode(Array(Self.git.utf8), file: "git.yaml")
        var clash = manifests[0]
        clash.object["metadata"]?["name"] = "web-canary"
        manifests.append(clash)
        let spec = RolloutSpec(namespace: "shop", name: "web", target: "web", strategy: .canary(.init(steps: [])))
        let rollout = RolloutOverlay.Rollout(
            spec: spec, state: RolloutState(), mode: .shift, replicas: 5, liveTarget: nil, canaryReady: 0, uid: nil, now: Date())
        let result = RolloutOverlay.apply(manifests, rollouts: [rollout])
        #expect(result.problems["shop/web"]?.contains("web-canary") == true)
        #expect(result.manifests == manifests)
    }
}
