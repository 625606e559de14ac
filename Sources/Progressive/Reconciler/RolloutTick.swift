import Foundation
import KeelsonFoundation
import Kube
import Logging
import Manifests

/// One tick of one Rollout: observe, step the machine, carry out its effects, write, persist.
struct RolloutTick {
    let engine: RolloutEngine
    let spec: RolloutSpec
    let manifest: Manifest
    let revision: String
    let mayStart: Bool
    let logger: Logger

    var client: any KubernetesAPI { engine.client }

    mutating func run(_ outcome: inout RolloutEngine.Outcome) async throws {
        let now = engine.now()
        let live = try await liveRollout()
        var status = RolloutStatus(live)
        let analysisBefore = status.analysis
        let action = RequestedAction(live)
        let render = outcome.manifests
        guard
            let target = render.first(where: {
                $0.kind == "Deployment" && $0.group == "apps" && $0.name == spec.target && $0.namespace == spec.namespace
            })
        else {
            outcome.reports.append(
                RolloutReport(namespace: spec.namespace, name: spec.name, problem: "Deployment \(spec.target) is not in the render"))
            return
        }
        let liveTarget = try await optional(RolloutEngine.deploymentKind, spec.target)
        let liveCanary = try await optional(RolloutEngine.deploymentKind, spec.canaryDeployment)
        let (mode, total) = Self.sizing(spec, target: target, liveTarget: liveTarget)
        let targetHash = PodTemplate.hash(target.object["spec"]?["template"] ?? .object([:]))
        var observation = RolloutObservation(
            targetHash: targetHash, replicas: total, stable: liveTarget.map { Self.workload($0, adopting: targetHash) },
            canary: liveCanary.map { Self.workload($0, adopting: nil) })
        observation.appliedWeight = status.appliedWeight

        // Analyses: measure what is due, then let the machine read the verdicts.
        if let canaryHash = status.state.canaryHash {
            for (slot, run) in status.analysis where run.outcome == "running" {
                status.analysis[slot] = await advance(run, canaryHash: canaryHash, render: render, now: now)
            }
        }
        observation.stepAnalysis = status.state.analysisStep == nil ? nil : status.analysis["step"].map(Self.verdict)
        observation.backgroundAnalysis = status.state.backgroundRunning ? status.analysis["background"].map(Self.verdict) : nil

        await gates(&status, into: &observation, now: now)

        let before = status.state
        let machine = RolloutMachine(spec: spec, mode: mode)
        var (state, effects) = machine.next(before, observation, action: action?.action, now: now)
        if !mayStart, state.canaryHash == targetHash, before.canaryHash != targetHash {
            // Not synced yet: the new template waits for the sync that brings it.
            outcome.reports.append(RolloutReport(spec: spec, status: status))
            return
        }
        if state.canaryHash != before.canaryHash { state.canaryRevision = state.canaryHash == nil ? nil : revision }
        if state.stableHash != before.stableHash { state.stableRevision = before.canaryRevision ?? before.stableRevision ?? revision }
        if state.stableRevision == nil, state.stableHash != nil { state.stableRevision = revision }
        status.state = state
        await postRollout(&status, effects: effects, fastTrack: before.fastTrack)
        for effect in effects {
            await carry(effect, status: &status, before: before, render: render, now: now, outcome: &outcome)
        }

        // The overlay, written where it changes something this tick.
        let canaryReady = liveCanary.map { Self.workload($0, adopting: nil) }.flatMap { $0.hash == state.canaryHash ? $0.ready : nil } ?? 0
        let overlay = RolloutOverlay.apply(
            render,
            rollouts: [
                .init(
                    spec: spec, state: state, mode: mode, replicas: total, liveTarget: liveTarget, canaryReady: canaryReady,
                    uid: live.metadata["uid"]?.stringValue, now: now)
            ])
        if let problem = overlay.problems.values.first {
            outcome.reports.append(RolloutReport(namespace: spec.namespace, name: spec.name, problem: problem))
            return
        }
        // Written when what the rollout wants changed (or a resync is due): writing the same
        // objects on every tick would wake the application again and again with nothing to do.
        let adopting = liveTarget.map { $0.annotations[PodTemplate.hashAnnotation] == nil } ?? false
        let digest = Self.digest(overlay)
        let stale = status.appliedAt.map { now.timeIntervalSince($0) >= RolloutTick.rewriteInterval } ?? true
        if state != before || adopting || digest != status.appliedDigest || state.phase != .healthy && stale {
            try await write(overlay, over: render)
            status.appliedWeight = state.setWeight
            status.appliedDigest = digest
            status.appliedAt = now
        }
        status.generated = overlay.generated.map { "\($0.kind)/\($0.name)" }
        status.actualWeight = Self.actualWeight(stable: liveTarget, canary: liveCanary, canaryHash: state.canaryHash)
        status.observedGeneration = live.metadata["generation"]?.intValue
        status.abortedHealth = spec.abortedHealth.rawValue
        outcome.manifests = overlay.manifests
        if try await persist(status, on: live, clearing: action) {
            outcome.measurements += RolloutEngine.measurements(before: analysisBefore, after: status.analysis)
            if state.phase != before.phase {
                outcome.transitions.append(.init(namespace: spec.namespace, name: spec.name, from: before.phase, to: state.phase))
            }
        }
        outcome.reports.append(RolloutReport(spec: spec, status: status))
        // A stepping rollout looks again in a second; one waiting for a person, or an aborted
        // canary waiting out its scale-down delay, every five (watches wake it sooner on changes).
        let again: Duration? =
            [.progressing, .promoting].contains(state.phase) || status.state != before
            ? .seconds(1)
            : state.phase == .paused || state.phase == .aborted && canaryScaledUp(liveCanary) ? .seconds(5) : nil
        if let again {
            outcome.requeue = min(outcome.requeue ?? again, again)
        }
    }

    /// How often a running rollout writes its objects again though nothing changed, so a
    /// generated object someone edited comes back.
    static let rewriteInterval: TimeInterval = 30

    /// A short digest of what the overlay writes and deletes.
    static func digest(_ overlay: RolloutOverlay.Result) -> String {
        let written = overlay.manifests.filter { overlay.touched.contains($0.key) } + overlay.generated
        let text = written.map { JSONWriter.compact($0.value) }.joined(separator: "\n") + overlay.removed.map(\.description).joined(separator: ",")
        return String(FNV1a.hash64(text.utf8), radix: 36)
    }

    /// The live Rollout; created from the render when the sync has not created it yet, so its
    /// status can be written.
    func liveRollout() async throws -> Manifest {
        do {
            return try await client.get(RolloutEngine.rolloutKind, name: spec.name, namespace: spec.namespace)
        } catch {
            guard error.isNotFound else { throw error }
        }
        return try await client.apply(manifest, options: ApplyOptions(fieldManager: engine.fieldManager, force: true))
    }

    func optional(_ gvk: GroupVersionKind, _ name: String) async throws -> Manifest? {
        do {
            return try await client.get(gvk, name: name, namespace: spec.namespace)
        } catch {
            guard error.isNotFound else { throw error }
            return nil
        }
    }

    /// How the copies share pods, and how many the rollout keeps: Git's `replicas` (shift), or
    /// the live count when Git leaves it out (surge); routers and blue-green keep the stable full.
    static func sizing(_ spec: RolloutSpec, target: Manifest, liveTarget: Manifest?) -> (RolloutReplicas.Mode, Int) {
        let gitReplicas = target.object["spec"]?["replicas"]?.intValue.map(Int.init)
        let mode: RolloutReplicas.Mode
        if case .canary(let canary) = spec.strategy, !canary.traffic.routed {
            mode = gitReplicas == nil ? .surge : .shift
        } else {
            mode = .routed
        }
        return (mode, gitReplicas ?? liveTarget.flatMap { $0.object["spec"]?["replicas"]?.intValue.map(Int.init) } ?? 1)
    }

    /// Whether a canary still runs pods.
    func canaryScaledUp(_ canary: Manifest?) -> Bool { (canary?.object["spec"]?["replicas"]?.intValue ?? 0) > 0 }

    /// A live Deployment as the machine sees it. Its template hash is the one the overlay wrote
    /// beside it; a target without one (just adopted) runs what Git renders.
    static func workload(_ deployment: Manifest, adopting: String?) -> RolloutObservation.Workload {
        let hash = deployment.annotations[PodTemplate.hashAnnotation] ?? adopting ?? ""
        let replicas = Int(deployment.object["spec"]?["replicas"]?.intValue ?? 1)
        let status = deployment.object["status"]
        let generation = deployment.metadata["generation"]?.intValue ?? 0
        let current = (status?["observedGeneration"]?.intValue ?? -1) >= generation
        let ready = Int(min(status?["readyReplicas"]?.intValue ?? 0, status?["updatedReplicas"]?.intValue ?? 0))
        return .init(hash: hash, replicas: replicas, ready: current ? ready : 0)
    }

    static func verdict(_ slot: AnalysisSlot) -> RolloutObservation.Verdict {
        .init(RolloutObservation.Verdict.Outcome(rawValue: slot.outcome) ?? .running, slot.message)
    }

    /// The canary's share of ready pods, in percent.
    static func actualWeight(stable: Manifest?, canary: Manifest?, canaryHash: String?) -> Int? {
        guard let canary, let canaryHash else { return 0 }
        let canaryReady = workload(canary, adopting: nil)
        let stableReady = stable.map { Int($0.object["status"]?["readyReplicas"]?.intValue ?? 0) } ?? 0
        let ready = canaryReady.hash == canaryHash ? canaryReady.ready : 0
        guard ready + stableReady > 0 else { return 0 }
        return Int((Double(ready) * 100 / Double(ready + stableReady)).rounded())
    }
}
