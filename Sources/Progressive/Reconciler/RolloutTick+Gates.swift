import Foundation
import Manifests

/// Where a rollout's hooks stand for its canary, kept in `Rollout.status.gates`.
public struct GateStatus: Codable, Sendable, Hashable {
    /// The canary the gates are about; another canary starts them afresh.
    public var hash: String?
    public var preRolloutPassed = false
    /// Failed pre-rollout and rollout calls, and the last reason.
    public var failures = 0
    public var message = ""
    /// When the rollout hooks were last called.
    public var rolloutCalledAt: Date?
    public var promotionConfirmed = false
    /// Whether the post-rollout hooks were called for this canary.
    public var postRolloutCalled = false

    public init(hash: String? = nil) { self.hash = hash }
}

extension RolloutTick {
    /// How often the `rollout` hooks run while a canary steps (Flagger runs them every analysis
    /// interval).
    static let rolloutHookInterval: TimeInterval = 10

    /// Calls the hooks due now and puts what they said into `observation`.
    func gates(_ status: inout RolloutStatus, into observation: inout RolloutObservation, now: Date) async {
        let hooks = spec.webhooks
        guard !hooks.isEmpty else { return }
        let state = status.state
        var gates = status.gates ?? GateStatus()
        if gates.hash != state.canaryHash { gates = GateStatus(hash: state.canaryHash) }
        let (pre, rollout, confirm) = (
            hooks.filter { $0.kind == .preRollout }, hooks.filter { $0.kind == .rollout }, hooks.filter { $0.kind == .confirmPromotion }
        )
        if let hash = state.canaryHash, state.phase == .progressing {
            if !gates.preRolloutPassed && !pre.isEmpty {
                let failed = await call(pre, hash: hash, promoted: true)
                if failed.isEmpty { gates.preRolloutPassed = true } else { gates.failures += 1 }
                if let reason = failed.first { gates.message = reason }
            } else if state.currentStep < stepCount {
                if !rollout.isEmpty, gates.rolloutCalledAt.map({ now.timeIntervalSince($0) >= Self.rolloutHookInterval }) ?? true {
                    let failed = await call(rollout, hash: hash, promoted: true)
                    gates.rolloutCalledAt = now
                    gates.failures += failed.isEmpty ? 0 : 1
                    if let reason = failed.first { gates.message = reason }
                }
            } else if !gates.promotionConfirmed {
                gates.promotionConfirmed = await call(confirm, hash: hash, promoted: true).isEmpty
            }
        }
        observation.preRolloutPassed = pre.isEmpty || gates.preRolloutPassed && gates.hash == state.canaryHash
        observation.promotionConfirmed = confirm.isEmpty || gates.promotionConfirmed
        observation.gateFailures = gates.failures
        observation.gateMessage = gates.message
        status.gates = gates
    }

    /// Calls the post-rollout hooks once a rollout ended (promoted or aborted); they are only
    /// logged. A template deployed without steps (a first deploy, the rollback window) had no rollout.
    func postRollout(_ status: inout RolloutStatus, effects: [RolloutEffect], fastTrack: Bool) async {
        let hooks = fastTrack ? [] : spec.webhooks.filter { $0.kind == .postRollout }
        for effect in effects {
            guard case .completeHistory(let hash, let result) = effect, result != .superseded, !hooks.isEmpty else { continue }
            var gates = status.gates ?? GateStatus(hash: hash)
            guard !(gates.hash == hash && gates.postRolloutCalled) else { continue }
            _ = await call(hooks, hash: hash, promoted: result == .succeeded)
            gates.hash = hash
            gates.postRolloutCalled = true
            status.gates = gates
        }
    }

    var stepCount: Int {
        if case .canary(let canary) = spec.strategy { return canary.steps.count }
        return 0
    }

    /// Calls `hooks` with Flagger's payload; the reasons of those that failed.
    func call(_ hooks: [Webhook], hash: String, promoted: Bool) async -> [String] {
        var failed: [String] = []
        for hook in hooks {
            let result = await engine.webhooks.call(
                hook, rollout: spec.name, namespace: spec.namespace, phase: .phase(for: hook.kind, promoted: promoted), checksum: hash)
            if result.passed {
                logger.debug("\(result.message)")
            } else {
                logger.warning("rollout hook failed", metadata: ["hook": "\(hook.name)", "reason": "\(result.message)"])
                failed.append(result.message)
            }
        }
        return failed
    }
}
