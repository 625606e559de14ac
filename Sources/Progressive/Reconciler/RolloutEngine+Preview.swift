import Foundation
import Kube
import Manifests

extension RolloutEngine {
    /// `prepared` as the Rollouts' stored states want it, read-only: no step, no write. What
    /// `keelson diff --app` and `keelson sync --app` compare and apply, so neither undoes a
    /// running rollout. A Rollout not yet in the cluster, or one that cannot be read, leaves
    /// the render as it is.
    public func preview(_ prepared: [Manifest]) async -> [Manifest] {
        var manifests = prepared
        for manifest in prepared where manifest.group == RolloutAPI.group && manifest.kind == RolloutAPI.rolloutKind {
            guard let spec = try? RolloutSpec(manifest),
                let live = try? await client.get(Self.rolloutKind, name: spec.name, namespace: spec.namespace),
                let target = manifests.first(where: {
                    $0.group == "apps" && $0.kind == "Deployment" && $0.name == spec.target && $0.namespace == spec.namespace
                })
            else { continue }
            let status = RolloutStatus(live)
            let liveTarget = try? await client.get(Self.deploymentKind, name: spec.target, namespace: spec.namespace)
            let liveCanary = try? await client.get(Self.deploymentKind, name: spec.canaryDeployment, namespace: spec.namespace)
            let (mode, total) = RolloutTick.sizing(spec, target: target, liveTarget: liveTarget)
            let canary = liveCanary.map { RolloutTick.workload($0, adopting: nil) }
            let canaryReady = canary.flatMap { $0.hash == status.state.canaryHash ? $0.ready : nil } ?? 0
            let overlay = RolloutOverlay.apply(
                manifests,
                rollouts: [
                    .init(
                        spec: spec, state: status.state, mode: mode, replicas: total, liveTarget: liveTarget, canaryReady: canaryReady,
                        uid: live.metadata["uid"]?.stringValue, now: now())
                ])
            if overlay.problems.isEmpty { manifests = overlay.manifests }
        }
        return manifests
    }
}
