import Foundation
import KeelsonFoundation

/// The pure state machine of one rollout: `next(state, observation, action, now)` gives the new
/// state and the effects to carry out. No I/O and no clock of its own, so every transition is
/// tested as a row of a table. The table it implements is in `designs/delivery.md` A.2.4.
public struct RolloutMachine: Sendable {
    public let spec: RolloutSpec
    /// How the two copies share pods.
    public let mode: RolloutReplicas.Mode

    public init(spec: RolloutSpec, mode: RolloutReplicas.Mode) {
        self.spec = spec
        self.mode = mode
    }

    /// The step index blue-green's post-promotion analysis is recorded under.
    static let postPromotionStep = 1000

    /// One step of the machine.
    public func next(
        _ state: RolloutState, _ observation: RolloutObservation, action: RolloutAction? = nil, now: Date
    ) -> (RolloutState, [RolloutEffect]) {
        var run = Run(machine: self, state: state, observation: observation, now: now)
        run.adopt()
        run.followTemplate()
        if let action { run.handle(action) }
        run.work()
        return (run.state, run.effects)
    }

    /// The stages of a promotion for this rollout.
    func stages(fastTrack: Bool) -> [RolloutState.Stage] {
        if fastTrack { return [.release, .cleanup] }
        switch spec.strategy {
        case .blueGreen: return [.routeAll, .analysis, .release, .routeBack, .cleanup]
        case .canary(let canary) where canary.traffic.routed: return [.scaleUp, .routeAll, .release, .routeBack, .cleanup]
        case .canary: return [.release, .cleanup]
        }
    }
}

/// One call of `RolloutMachine.next`: the state being changed and the effects collected.
struct Run {
    let machine: RolloutMachine
    var state: RolloutState
    let observation: RolloutObservation
    let now: Date
    var effects: [RolloutEffect] = []

    var spec: RolloutSpec { machine.spec }
    var steps: [RolloutSpec.Step] {
        if case .canary(let canary) = spec.strategy { return canary.steps }
        return []
    }

    /// A Rollout seen for the first time adopts the live target as its stable copy.
    mutating func adopt() {
        guard state.stableHash == nil, let stable = observation.stable else { return }
        state.stableHash = stable.hash
        // What ran before the Rollout counts as promoted: a rollback to it needs no steps.
        if !stable.hash.isEmpty, !state.promotedHashes.contains(stable.hash) { state.promotedHashes.append(stable.hash) }
    }

    /// A template Git changed starts, restarts or ends a rollout.
    mutating func followTemplate() {
        let target = observation.targetHash
        switch state.phase {
        case .healthy:
            if target != state.stableHash || observation.stable == nil && state.stableHash == nil { start() }
        case .progressing, .paused, .promoting:
            guard target != state.canaryHash else { return }
            // Past release the target already runs the canary's template: it is the stable one now.
            if released {
                finish()
                if target != state.stableHash { start() }
                return
            }
            stopAnalyses()
            if let superseded = state.canaryHash { effects.append(.completeHistory(hash: superseded, result: .superseded)) }
            if target == state.stableHash {
                settle(message: "the template is the stable one again")
            } else {
                start()
            }
        case .aborted:
            guard target != state.abortedHash else { return }
            if target == state.stableHash {
                // A revert: the stable copy already serves it.
                settle(message: "reverted to the stable template")
                if let aborted = state.abortedHash { state.promotedHashes.removeAll { $0 == aborted } }
                state.abortedHash = nil
            } else {
                start()
            }
        }
    }

    mutating func start() {
        let target = observation.targetHash
        let recent = state.promotedHashes.suffix(spec.rollbackWindow)
        state.forgetCanary()
        state.canaryHash = target
        state.abortedHash = nil
        state.stepStartedAt = now
        if observation.stable == nil || recent.contains(target) {
            state.phase = .promoting
            state.stage = .release
            state.fastTrack = true
            state.message = observation.stable == nil ? "first deploy: no stable copy runs yet" : "in the rollback window: promoted without steps"
            return
        }
        state.phase = .progressing
        effects.append(.emit(RolloutEvent(.started, "rolling out \(target)")))
    }

    /// Back to idle on the stable template, nothing left to do.
    mutating func settle(message: String) {
        state.forgetCanary()
        state.message = message
    }

    mutating func handle(_ action: RolloutAction) {
        switch action {
        case .abort where state.isRunning && !released:
            abort(.manual, "aborted by request")
        case .retry where state.phase == .aborted && state.abortedHash == observation.targetHash:
            state.abortedHash = nil
            state.promotedHashes.removeAll { $0 == observation.targetHash }
            start()
        case .pause where state.phase == .progressing:
            pause(.manual, "paused by request at step \(state.currentStep)")
        case .resume where state.phase == .paused, .promote where state.phase == .paused:
            effects.append(.emit(RolloutEvent(.resumed, "resumed at step \(state.currentStep)")))
            let reason = state.pauseReason
            state.pauseReason = nil
            state.message = nil
            if let stage = state.stage {
                // Paused inside a promotion (an inconclusive post-promotion analysis): go on past it.
                state.phase = .promoting
                if stage == .analysis { passAnalysisStage() }
            } else if reason == .awaitingPromotion {
                promote()
            } else {
                state.phase = .progressing
                if action == .promote || reason == .inconclusive || pausedAtPauseStep { advance() }
            }
        case .promote where state.phase == .progressing:
            advance()
        case .promoteFull where state.phase == .progressing || state.phase == .paused:
            stopAnalyses()
            state.pauseReason = nil
            promote()
        default:
            break
        }
    }

    /// Whether the target already received the canary's template: an abort then could only
    /// go forward, so the promotion completes.
    var released: Bool { state.phase == .promoting && [.release, .routeBack, .cleanup].contains(state.stage) }

    var pausedAtPauseStep: Bool {
        guard state.currentStep < steps.count, case .pause(nil) = steps[state.currentStep] else { return false }
        return true
    }

    mutating func work() {
        switch state.phase {
        case .healthy, .aborted, .paused: return
        case .progressing:
            if backgroundFailed() { return }
            if case .blueGreen(let blueGreen) = spec.strategy { warmUp(blueGreen) } else { stepCanary() }
        case .promoting:
            if backgroundFailed() { return }
            promoteStage()
        }
    }
}
