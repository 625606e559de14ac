import Foundation
import Manifests

/// What one rollout makes of the render: the target's template and size, the canary copy, and
/// (through the routers) where traffic goes.
struct Shape {
    let rollout: RolloutOverlay.Rollout
    var manifests: [Manifest]
    var generated: [Manifest] = []
    var removed: [ResourceKey] = []
    var touched: Set<ResourceKey> = []
    let targetIndex: Int?

    init(rollout: RolloutOverlay.Rollout, manifests: [Manifest]) {
        self.rollout = rollout
        self.manifests = manifests
        let spec = rollout.spec
        targetIndex = manifests.firstIndex {
            $0.kind == "Deployment" && $0.group == "apps" && $0.name == spec.target && $0.namespace == spec.namespace
        }
    }

    var spec: RolloutSpec { rollout.spec }
    var state: RolloutState { rollout.state }

    /// Why the rollout cannot be followed, if it cannot.
    var problem: String? {
        guard targetIndex != nil else { return "Deployment \(spec.namespace)/\(spec.target) is not in the render" }
        let generatedNames = Set([spec.canaryDeployment] + [spec.canaryService, previewService].compactMap { $0 })
        if let clash = manifests.first(where: {
            generatedNames.contains($0.name) && $0.namespace == spec.namespace && ["Deployment", "Service"].contains($0.kind)
        }) {
            return "\(clash.kind) \(clash.name) is in Git, but the rollout generates an object of that name"
        }
        return nil
    }

    var blueGreen: RolloutSpec.BlueGreen? {
        if case .blueGreen(let blueGreen) = spec.strategy { return blueGreen }
        return nil
    }

    var traffic: RolloutSpec.TrafficRouting {
        if case .canary(let canary) = spec.strategy { return canary.traffic }
        return .replicas
    }

    var previewService: String? { blueGreen.map { $0.previewService ?? spec.service.map { $0.name + "-preview" } ?? spec.target + "-preview" } }

    /// Whether the target still runs the stable template.
    var targetHeldBack: Bool {
        switch state.phase {
        case .healthy: false
        case .progressing, .paused, .aborted: true
        case .promoting: [.scaleUp, .routeAll, .analysis].contains(state.stage)
        }
    }

    /// Whether a canary copy should exist.
    var canaryExists: Bool {
        switch state.phase {
        case .healthy: return false
        case .progressing, .paused, .aborted: return true
        case .promoting:
            guard state.stage == .cleanup else { return true }
            // Blue-green keeps green for scaleDownDelay after the switch back.
            if let blueGreen, !state.fastTrack, let started = state.stepStartedAt {
                return rollout.now < started.addingTimeInterval(blueGreen.scaleDownDelay.seconds)
            }
            return false
        }
    }

    /// The canary's size now.
    var canaryReplicas: Int {
        let total = rollout.replicas
        switch state.phase {
        case .healthy: return 0
        case .aborted:
            // Without a router the share of pods is the share of traffic, but capacity must not
            // drop: the canary keeps the ready pods the stable still lacks, and goes as it recovers.
            // With a router, traffic already left; keep the pods for a look until the delay is over.
            guard blueGreen != nil || traffic.routed else { return min(rollout.canaryReady, max(0, total - stableReady)) }
            guard let aborted = state.abortedAt else { return 0 }
            return rollout.now < aborted.addingTimeInterval(spec.abortScaleDownDelay.seconds) ? total : 0
        case .progressing, .paused:
            if blueGreen != nil { return total }
            return RolloutReplicas.canary(weight: state.setWeight, total: total, mode: rollout.mode)
        case .promoting:
            if blueGreen != nil || traffic.routed { return total }
            return RolloutReplicas.canary(weight: state.setWeight, total: total, mode: rollout.mode)
        }
    }

    /// Ready pods of the live target, counted only when its status is about its current spec.
    var stableReady: Int {
        guard let live = rollout.liveTarget else { return 0 }
        let status = live.object["status"]
        guard (status?["observedGeneration"]?.intValue ?? -1) >= (live.metadata["generation"]?.intValue ?? 0) else { return 0 }
        return Int(status?["readyReplicas"]?.intValue ?? 0)
    }

    mutating func overlayTarget() {
        guard let index = targetIndex else { return }
        var target = manifests[index]
        touched.insert(target.key)
        let rendered = target.object["spec"]?["template"] ?? .object([:])
        let renderedHash = PodTemplate.hash(rendered)
        if targetHeldBack, let live = rollout.liveTarget?.object["spec"]?["template"] {
            target.object["spec"]?["template"] = PodTemplate.tracked(live, .stable)
            target.setAnnotation(PodTemplate.hashAnnotation, state.stableHash ?? renderedHash)
        } else {
            target.object["spec"]?["template"] = PodTemplate.tracked(rendered, .stable)
            target.setAnnotation(PodTemplate.hashAnnotation, renderedHash)
        }
        if rollout.mode == .shift {
            let total = rollout.replicas
            let replicas =
                [.progressing, .paused].contains(state.phase) && blueGreen == nil
                ? RolloutReplicas.stable(weight: state.setWeight, total: total, canaryReady: rollout.canaryReady) : total
            target.object["spec"]?["replicas"] = .number(JSONNumber(Int64(replicas)))
        }
        manifests[index] = target
        let canaryKey = ResourceKey(group: "apps", kind: "Deployment", namespace: spec.namespace, name: spec.canaryDeployment)
        guard canaryExists else {
            removed.append(canaryKey)
            return
        }
        generated.append(canary(from: target, template: rendered))
    }

    /// The canary Deployment: the rendered template, labelled `canary`, selecting only its own pods.
    func canary(from target: Manifest, template: JSONValue) -> Manifest {
        var selector = target.object["spec"]?["selector"] ?? .object(["matchLabels": .object([:])])
        selector["matchLabels"]?[RolloutAPI.trackLabel] = .string(PodTemplate.Track.canary.rawValue)
        if selector["matchLabels"] == nil { selector["matchLabels"] = .object([RolloutAPI.trackLabel: .string("canary")]) }
        var spec = target.object["spec"]?.objectValue ?? [:]
        spec["replicas"] = .number(JSONNumber(Int64(canaryReplicas)))
        spec["selector"] = selector
        spec["template"] = PodTemplate.tracked(template, .canary)
        var canary = generatedObject(apiVersion: "apps/v1", kind: "Deployment", name: self.spec.canaryDeployment)
        canary.object["spec"] = .object(spec)
        canary.setAnnotation(PodTemplate.hashAnnotation, state.canaryHash ?? PodTemplate.hash(template))
        return canary
    }

    /// A new object owned by the Rollout and labelled as generated by it.
    func generatedObject(apiVersion: String, kind: String, name: String) -> Manifest {
        var metadata: JSONObject = [
            "name": .string(name), "namespace": .string(spec.namespace),
            "labels": .object([RolloutAPI.generatedByLabel: .string("rollout." + spec.name)]),
        ]
        if let uid = rollout.uid {
            metadata["ownerReferences"] = .array([
                .object([
                    "apiVersion": .string(RolloutAPI.apiVersion), "kind": .string(RolloutAPI.rolloutKind), "name": .string(spec.name),
                    "uid": .string(uid), "controller": .bool(true), "blockOwnerDeletion": .bool(true),
                ])
            ])
        }
        return Manifest(unchecked: ["apiVersion": .string(apiVersion), "kind": .string(kind), "metadata": .object(metadata)])
    }
}

extension Duration {
    /// The duration in seconds, for `Date` arithmetic.
    var seconds: TimeInterval { Double(components.seconds) + Double(components.attoseconds) / 1e18 }
}
