import Foundation
import KeelsonFoundation

extension Run {
    /// Works through canary steps; steps already satisfied are passed in the same tick.
    mutating func stepCanary() {
        if gateFailed() { return }
        // Pre-rollout hooks pass before any traffic reaches the canary.
        guard observation.preRolloutPassed || state.currentStep > 0 else { return checkDeadline("pre-rollout hooks") }
        for _ in 0...steps.count {
            guard state.phase == .progressing else { return }
            startBackgroundIfDue()
            guard state.currentStep < steps.count else {
                guard observation.promotionConfirmed else {
                    state.message = "waiting for confirm-promotion hooks"
                    return
                }
                promote()
                return
            }
            let index = state.currentStep
            switch steps[index] {
            case .setWeight(let weight):
                state.setWeight = weight
                let desired = RolloutReplicas.canary(weight: weight, total: observation.replicas, mode: machine.mode)
                guard canaryReady(desired), routed(weight) else { return checkDeadline("canary \(canaryReadyCount)/\(desired) ready") }
            case .pause(let duration?):
                guard let started = state.stepStartedAt, now >= started.addingTimeInterval(duration.seconds) else { return }
            case .pause(nil):
                return pause(.manual, "paused at step \(index): waiting for promote")
            case .analysis(let reference):
                guard judge(reference, at: index) else { return }
            }
            advance()
        }
    }

    /// Blue-green before the switch: green at full size, then the pre-promotion analysis, then the gate.
    mutating func warmUp(_ blueGreen: RolloutSpec.BlueGreen) {
        state.setWeight = 0
        if state.currentStep == 0 {
            guard canaryReady(observation.replicas) else { return checkDeadline("green \(canaryReadyCount)/\(observation.replicas) ready") }
            advance()
        }
        if state.currentStep == 1 {
            if let analysis = blueGreen.prePromotionAnalysis, !judge(analysis, at: 1) { return }
            advance()
        }
        if blueGreen.autoPromotion {
            promote()
        } else {
            pause(.awaitingPromotion, "green is ready: waiting for promote")
        }
    }

    /// Runs the analysis of `step`; true once it succeeded.
    mutating func judge(_ reference: RolloutSpec.AnalysisReference, at step: Int) -> Bool {
        guard state.analysisStep == step else {
            state.analysisStep = step
            effects.append(.startAnalysis(.step, reference))
            return false
        }
        switch observation.stepAnalysis?.outcome {
        case nil, .running?: return false
        case .successful?:
            return true
        case .failed?, .error?:
            let message = observation.stepAnalysis?.message ?? "analysis failed"
            effects.append(.emit(RolloutEvent(.analysisFailed, message)))
            abort(.analysisFailed, message)
            return false
        case .inconclusive?:
            pause(.inconclusive, observation.stepAnalysis?.message ?? "the analysis could not decide")
            return false
        }
    }

    mutating func startBackgroundIfDue() {
        guard case .canary(let canary) = spec.strategy, let background = canary.background, !state.backgroundRunning,
            state.currentStep >= background.startingStep
        else { return }
        state.backgroundRunning = true
        effects.append(.startAnalysis(.background, background.analysis))
    }

    /// Aborts when pre-rollout or rollout hooks failed `threshold` times.
    mutating func gateFailed() -> Bool {
        guard observation.gateFailures >= spec.threshold else { return false }
        abort(.gateFailed, "\(observation.gateFailures) failed hook calls: \(observation.gateMessage)")
        return true
    }

    /// Aborts when the background analysis failed.
    mutating func backgroundFailed() -> Bool {
        guard state.backgroundRunning, !released, let verdict = observation.backgroundAnalysis, [.failed, .error].contains(verdict.outcome) else {
            return false
        }
        effects.append(.emit(RolloutEvent(.analysisFailed, verdict.message)))
        abort(.analysisFailed, verdict.message)
        return true
    }

    mutating func advance() {
        endStepAnalysis()
        effects.append(.emit(RolloutEvent(.stepCompleted, "step \(state.currentStep) done")))
        state.currentStep += 1
        state.stepStartedAt = now
    }

    /// Stops the step's analysis run, if one runs.
    mutating func endStepAnalysis() {
        guard state.analysisStep != nil else { return }
        effects.append(.stopAnalysis(.step))
        state.analysisStep = nil
    }

    /// Leaves a promotion's analysis stage for the next one.
    mutating func passAnalysisStage() {
        endStepAnalysis()
        state.stage = .release
        state.stepStartedAt = now
    }

    mutating func promote() {
        state.phase = .promoting
        state.pauseReason = nil
        state.stage = machine.stages(fastTrack: state.fastTrack).first
        state.stepStartedAt = now
        state.message = nil
        endStepAnalysis()
        promoteStage()
    }

    /// Works through the promotion stages; each waits for what it needs to see.
    mutating func promoteStage() {
        let stages = machine.stages(fastTrack: state.fastTrack)
        while state.phase == .promoting, let stage = state.stage {
            let total = observation.replicas
            switch stage {
            case .scaleUp:
                guard canaryReady(total) else { return checkDeadline("canary \(canaryReadyCount)/\(total) ready") }
            case .routeAll:
                state.setWeight = 100
                guard routed(100) else { return }
            case .analysis:
                if case .blueGreen(let blueGreen) = spec.strategy, let analysis = blueGreen.postPromotionAnalysis {
                    guard judge(analysis, at: RolloutMachine.postPromotionStep) else { return }
                    endStepAnalysis()
                }
            case .release:
                guard let stable = observation.stable, stable.hash == state.canaryHash, stable.ready >= max(1, min(total, stable.replicas)) else {
                    return
                }
            case .routeBack:
                state.setWeight = 0
                guard routed(0) else { return }
            case .cleanup:
                if case .blueGreen(let blueGreen) = spec.strategy, !state.fastTrack {
                    guard let started = state.stepStartedAt, now >= started.addingTimeInterval(blueGreen.scaleDownDelay.seconds) else { return }
                }
                guard observation.canary == nil else { return }
                return finish()
            }
            guard let index = stages.firstIndex(of: stage), index + 1 < stages.count else { return }
            state.stage = stages[index + 1]
            state.stepStartedAt = now
        }
    }

    /// The new template is the stable one.
    mutating func finish() {
        let hash = state.canaryHash ?? observation.targetHash
        let quiet = state.fastTrack
        if !quiet { effects.append(.emit(RolloutEvent(.promoted, "promoted \(hash)"))) }
        effects.append(.completeHistory(hash: hash, result: .succeeded))
        if state.backgroundRunning { effects.append(.stopAnalysis(.background)) }
        state.promotedHashes.removeAll { $0 == hash }
        state.promotedHashes.append(hash)
        state.promotedHashes = Array(state.promotedHashes.suffix(10))
        state.stableHash = hash
        settle(message: quiet ? "deployed without steps" : "promoted")
    }

    mutating func pause(_ reason: RolloutState.PauseReason, _ message: String) {
        state.phase = .paused
        state.pauseReason = reason
        state.message = message
        effects.append(.emit(RolloutEvent(.paused, message)))
    }

    mutating func abort(_ reason: RolloutState.AbortReason, _ message: String) {
        stopAnalyses()
        let hash = state.canaryHash ?? observation.targetHash
        state.phase = .aborted
        state.abortReason = reason
        state.message = message
        state.abortedHash = hash
        state.abortedAt = now
        state.pauseReason = nil
        state.stage = nil
        state.setWeight = 0
        state.analysisStep = nil
        effects.append(.emit(RolloutEvent(.aborted, message)))
        effects.append(.completeHistory(hash: hash, result: .rolledBack))
    }

    mutating func stopAnalyses() {
        if state.analysisStep != nil { effects.append(.stopAnalysis(.step)) }
        if state.backgroundRunning { effects.append(.stopAnalysis(.background)) }
        state.analysisStep = nil
        state.backgroundRunning = false
    }

    /// Aborts when the current wait has gone on longer than the progress deadline.
    mutating func checkDeadline(_ waiting: String) {
        guard let started = state.stepStartedAt, now > started.addingTimeInterval(spec.progressDeadline.seconds) else { return }
        abort(.progressDeadlineExceeded, "no progress for \(GoDuration.format(spec.progressDeadline)): \(waiting)")
    }

    var canaryReadyCount: Int {
        guard let canary = observation.canary, canary.hash == state.canaryHash else { return 0 }
        return canary.ready
    }

    /// Whether `weight` has been written to the routes (always, without a router).
    func routed(_ weight: Int) -> Bool {
        observation.routeApplied && (observation.appliedWeight.map { $0 == weight } ?? true)
    }

    func canaryReady(_ desired: Int) -> Bool { desired <= 0 || canaryReadyCount >= desired }
}
