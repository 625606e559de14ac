import Foundation
import Progressive
import Testing

/// One row of the machine's transition table (designs/delivery.md A.2.4).
struct Transition: CustomTestStringConvertible, Sendable {
    var rule: String
    var spec: RolloutSpec = Transition.canary
    var mode: RolloutReplicas.Mode = .shift
    var state: RolloutState
    var observation: RolloutObservation
    var action: RolloutAction?
    /// Seconds after `t0` the tick runs at.
    var at: TimeInterval = 1
    var phase: RolloutState.Phase
    var step: Int?
    var stage: RolloutState.Stage?
    var weight: Int?
    var pauseReason: RolloutState.PauseReason?
    var abortReason: RolloutState.AbortReason?
    /// The events emitted, leaving out step-completed and resumed; nil when the row does not care.
    var events: [RolloutEvent.Kind]? = nil
    var effects: [RolloutEffect] = []
    var stableHash: String?

    var testDescription: String { rule }

    static let t0 = Date(timeIntervalSince1970: 1_800_000_000)
    static let successRate = RolloutSpec.AnalysisReference(templates: ["success-rate"])
    static let latency = RolloutSpec.AnalysisReference(templates: ["latency"])
    /// setWeight 20, pause 3s, analysis, setWeight 60, pause {}.
    static let canary = RolloutSpec(
        namespace: "shop", name: "web", target: "web", service: .init(name: "web"),
        strategy: .canary(.init(steps: [.setWeight(20), .pause(.seconds(3)), .analysis(successRate), .setWeight(60), .pause(nil)])))
    static var routed: RolloutSpec {
        var spec = canary
        spec.strategy = .canary(.init(steps: [.setWeight(25), .pause(nil)], traffic: .gatewayAPI(httpRoute: "web", rule: nil)))
        return spec
    }
    static var background: RolloutSpec {
        var spec = canary
        spec.strategy = .canary(.init(steps: [.setWeight(20), .pause(.seconds(3))], background: .init(analysis: latency, startingStep: 1)))
        return spec
    }
    static func blueGreen(auto: Bool = false, pre: Bool = false, post: Bool = false) -> RolloutSpec {
        var blueGreen = RolloutSpec.BlueGreen()
        blueGreen.autoPromotion = auto
        blueGreen.prePromotionAnalysis = pre ? successRate : nil
        blueGreen.postPromotionAnalysis = post ? successRate : nil
        blueGreen.scaleDownDelay = .seconds(2)
        var spec = canary
        spec.strategy = .blueGreen(blueGreen)
        return spec
    }

    /// Stable `a` serves 5 of 5; Git renders `b`.
    static func seen(
        target: String = "b", stable: String? = "a", stableReady: Int = 5, canary: Int? = nil, canaryHash: String = "b",
        step: RolloutObservation.Verdict? = nil, background: RolloutObservation.Verdict? = nil, routeApplied: Bool = true
    ) -> RolloutObservation {
        var observation = RolloutObservation(
            targetHash: target, replicas: 5, stable: stable.map { .init(hash: $0, replicas: 5, ready: stableReady) },
            canary: canary.map { .init(hash: canaryHash, replicas: $0, ready: $0) })
        observation.stepAnalysis = step
        observation.backgroundAnalysis = background
        observation.routeApplied = routeApplied
        return observation
    }

    /// A state of rolling `b` out over stable `a`.
    static func state(
        _ phase: RolloutState.Phase, step: Int = 0, stage: RolloutState.Stage? = nil, weight: Int = 0,
        pause: RolloutState.PauseReason? = nil, analysisStep: Int? = nil, background: Bool = false, promoted: [String] = ["a"]
    ) -> RolloutState {
        var state = RolloutState()
        state.phase = phase
        state.currentStep = step
        state.stage = stage
        state.setWeight = weight
        state.pauseReason = pause
        state.stableHash = "a"
        state.canaryHash = phase == .healthy ? nil : "b"
        state.stepStartedAt = t0
        state.analysisStep = analysisStep
        state.backgroundRunning = background
        state.promotedHashes = promoted
        if phase == .aborted {
            state.abortedHash = "b"
            state.abortReason = .analysisFailed
        }
        return state
    }
}

extension Transition {
    static let idle: [Transition] = [
        Transition(rule: "idle on the stable template: nothing happens", state: state(.healthy), observation: seen(target: "a"), phase: .healthy),
        Transition(
            rule: "a new template over a live stable starts at step 0 with the first weight", state: state(.healthy), observation: seen(),
            phase: .progressing, step: 0, weight: 20, events: [.started]),
        Transition(
            rule: "a template in the rollback window is promoted without steps", state: state(.healthy, promoted: ["c", "a"]),
            observation: seen(target: "c"), phase: .promoting, stage: .release),
        Transition(
            rule: "no live stable (first deploy): the template applies directly", state: RolloutState(), observation: seen(stable: nil),
            phase: .promoting, stage: .release),
        Transition(
            rule: "a new Rollout adopts the live target as its stable copy", state: RolloutState(), observation: seen(target: "a"),
            phase: .healthy, stableHash: "a"),
        Transition(
            rule: "a new Rollout whose Git template differs from the live one starts a canary", state: RolloutState(), observation: seen(),
            phase: .progressing, step: 0, events: [.started], stableHash: "a"),
        Transition(rule: "abort while idle does nothing", state: state(.healthy), observation: seen(target: "a"), action: .abort, phase: .healthy),
    ]

    static let steps: [Transition] = [
        Transition(
            rule: "setWeight waits while no canary pod is ready", state: state(.progressing, weight: 20), observation: seen(), phase: .progressing,
            step: 0, weight: 20),
        Transition(
            rule: "setWeight is done once the canary is ready at its size; a running pause waits",
            state: state(.progressing, weight: 20), observation: seen(canary: 1), phase: .progressing, step: 1, events: [.stepCompleted]),
        Transition(
            rule: "ready pods of an older canary template do not count", state: state(.progressing, weight: 20),
            observation: seen(canary: 1, canaryHash: "x"), phase: .progressing, step: 0),
        Transition(
            rule: "setWeight waits for the route to be written", state: state(.progressing, weight: 20),
            observation: seen(canary: 1, routeApplied: false), phase: .progressing, step: 0),
        Transition(
            rule: "a timed pause waits its duration", state: state(.progressing, step: 1, weight: 20), observation: seen(canary: 1), at: 2,
            phase: .progressing, step: 1),
        Transition(
            rule: "a timed pause ends on time and the analysis step starts its run", state: state(.progressing, step: 1, weight: 20),
            observation: seen(canary: 1), at: 3, phase: .progressing, step: 2, effects: [.startAnalysis(.step, successRate)]),
        Transition(
            rule: "a running analysis holds the step", state: state(.progressing, step: 2, weight: 20, analysisStep: 2),
            observation: seen(canary: 1, step: .init(.running)), phase: .progressing, step: 2),
        Transition(
            rule: "a successful analysis moves on and stops its run", state: state(.progressing, step: 2, weight: 20, analysisStep: 2),
            observation: seen(canary: 1, step: .init(.successful)), phase: .progressing, step: 3, weight: 60,
            effects: [.stopAnalysis(.step)]),
        Transition(
            rule: "a failed analysis aborts and completes the revision as RolledBack",
            state: state(.progressing, step: 2, weight: 20, analysisStep: 2),
            observation: seen(canary: 1, step: .init(.failed, "success-rate 0.8 < min 0.95")), phase: .aborted, weight: 0,
            abortReason: .analysisFailed, events: [.analysisFailed, .aborted], effects: [.completeHistory(hash: "b", result: .rolledBack)]),
        Transition(
            rule: "an analysis in error aborts too", state: state(.progressing, step: 2, weight: 20, analysisStep: 2),
            observation: seen(canary: 1, step: .init(.error, "prometheus: 503")), phase: .aborted, abortReason: .analysisFailed),
        Transition(
            rule: "an inconclusive analysis pauses", state: state(.progressing, step: 2, weight: 20, analysisStep: 2),
            observation: seen(canary: 1, step: .init(.inconclusive, "no data")), phase: .paused, step: 2, pauseReason: .inconclusive,
            events: [.paused]),
        Transition(
            rule: "resume after an inconclusive analysis goes past it",
            state: state(.paused, step: 2, weight: 20, pause: .inconclusive, analysisStep: 2), observation: seen(canary: 1), action: .resume,
            phase: .progressing, step: 3, weight: 60, events: [.resumed, .stepCompleted]),
        Transition(
            rule: "a weight reached leads to a pause {} that waits for promote", state: state(.progressing, step: 3, weight: 60),
            observation: seen(canary: 3), phase: .paused, step: 4, pauseReason: .manual),
        Transition(
            rule: "promote at the last pause starts the promotion", state: state(.paused, step: 4, weight: 60, pause: .manual),
            observation: seen(canary: 3), action: .promote, phase: .promoting, stage: .release),
        Transition(
            rule: "resume at a pause {} step goes on as promote does", state: state(.paused, step: 4, weight: 60, pause: .manual),
            observation: seen(canary: 3), action: .resume, phase: .promoting, stage: .release),
        Transition(
            rule: "pause stops at the current step", state: state(.progressing, weight: 20), observation: seen(), action: .pause, phase: .paused,
            step: 0, pauseReason: .manual),
        Transition(
            rule: "resume after a requested pause continues the same step", state: state(.paused, weight: 20, pause: .manual),
            observation: seen(), action: .resume, phase: .progressing, step: 0),
        Transition(
            rule: "promote while progressing skips the current step", state: state(.progressing, step: 1, weight: 20),
            observation: seen(canary: 1), action: .promote, phase: .progressing, step: 2, effects: [.startAnalysis(.step, successRate)]),
        Transition(
            rule: "promote --full skips every step and analysis", state: state(.progressing, step: 2, weight: 20, analysisStep: 2),
            observation: seen(canary: 1), action: .promoteFull, phase: .promoting, stage: .release, effects: [.stopAnalysis(.step)]),
        Transition(
            rule: "abort while progressing sends traffic back at once", state: state(.progressing, step: 1, weight: 20),
            observation: seen(canary: 1), action: .abort, phase: .aborted, weight: 0, abortReason: .manual, events: [.aborted]),
        Transition(
            rule: "no ready canary within the progress deadline aborts", state: state(.progressing, weight: 20), observation: seen(), at: 601,
            phase: .aborted, abortReason: .progressDeadlineExceeded),
        Transition(
            rule: "the deadline has not passed yet", state: state(.progressing, weight: 20), observation: seen(), at: 599, phase: .progressing,
            step: 0),
        Transition(
            rule: "a pause longer than the deadline is no lack of progress", state: state(.progressing, step: 1, weight: 20),
            observation: seen(canary: 1), at: 700, phase: .progressing, step: 2),
    ]
}

extension Transition {
    static let promotion: [Transition] = [
        Transition(
            rule: "release waits for the target to run the new template", state: state(.promoting, step: 5, stage: .release, weight: 60),
            observation: seen(canary: 3), phase: .promoting, stage: .release),
        Transition(
            rule: "release waits for the target's pods to be ready", state: state(.promoting, step: 5, stage: .release, weight: 60),
            observation: seen(stable: "b", stableReady: 2, canary: 3), phase: .promoting, stage: .release),
        Transition(
            rule: "a released target moves on to cleanup, which waits for the canary to go",
            state: state(.promoting, step: 5, stage: .release, weight: 60), observation: seen(stable: "b", canary: 3), phase: .promoting,
            stage: .cleanup),
        Transition(
            rule: "cleanup done: the new template is stable and the revision Succeeded",
            state: state(.promoting, step: 5, stage: .cleanup, weight: 60), observation: seen(stable: "b"), phase: .healthy,
            events: [.promoted], effects: [.completeHistory(hash: "b", result: .succeeded)], stableHash: "b"),
        Transition(
            rule: "a fast-tracked template finishes quietly",
            state: {
                var s = state(.promoting, stage: .release); s.fastTrack = true; return s
            }(),
            observation: seen(stable: "b"), phase: .healthy, events: [], effects: [.completeHistory(hash: "b", result: .succeeded)],
            stableHash: "b"),
    ]

    static let routers: [Transition] = [
        Transition(
            rule: "a router sizes the canary by weight: 25 % of 5 is 2 ready pods", spec: routed, mode: .routed,
            state: state(.progressing, weight: 25), observation: seen(canary: 2), phase: .paused, step: 1, pauseReason: .manual),
        Transition(
            rule: "scale-up waits for a full-size canary", spec: routed, mode: .routed,
            state: state(.promoting, step: 2, stage: .scaleUp, weight: 25),
            observation: seen(canary: 2), phase: .promoting, stage: .scaleUp, weight: 25),
        Transition(
            rule: "a full canary takes all traffic, then the target is released", spec: routed, mode: .routed,
            state: state(.promoting, step: 2, stage: .scaleUp, weight: 25), observation: seen(canary: 5), phase: .promoting, stage: .release,
            weight: 100),
        Transition(
            rule: "route-all waits until the route is written", spec: routed, mode: .routed,
            state: state(.promoting, step: 2, stage: .routeAll, weight: 25), observation: seen(canary: 5, routeApplied: false), phase: .promoting,
            stage: .routeAll, weight: 100),
        Transition(
            rule: "route-all waits for a later tick to see weight 100 written", spec: routed, mode: .routed,
            state: state(.promoting, step: 2, stage: .routeAll, weight: 25),
            observation: {
                var o = seen(canary: 5); o.appliedWeight = 25; return o
            }(), phase: .promoting, stage: .routeAll, weight: 100),
        Transition(
            rule: "a released target takes traffic back before cleanup", spec: routed, mode: .routed,
            state: state(.promoting, step: 2, stage: .release, weight: 100), observation: seen(stable: "b", canary: 5), phase: .promoting,
            stage: .cleanup, weight: 0),
    ]

    static let templates: [Transition] = [
        Transition(
            rule: "a new commit mid-rollout restarts at step 0 and supersedes the old revision", state: state(.progressing, step: 3, weight: 60),
            observation: seen(target: "c", canary: 3), phase: .progressing, step: 0, weight: 20, events: [.started],
            effects: [.completeHistory(hash: "b", result: .superseded)]),
        Transition(
            rule: "a new commit after release completes the released promotion, then starts anew",
            state: state(.promoting, step: 5, stage: .cleanup, weight: 60), observation: seen(target: "c", stable: "b", canary: 3),
            phase: .progressing, step: 0, events: [.promoted, .started], effects: [.completeHistory(hash: "b", result: .succeeded)],
            stableHash: "b"),
        Transition(
            rule: "abort after release is refused: the target already runs the new template",
            state: state(.promoting, step: 5, stage: .release, weight: 60), observation: seen(canary: 3), action: .abort,
            phase: .promoting, stage: .release),
        Transition(
            rule: "Git back on the stable template mid-rollout ends it", state: state(.progressing, step: 3, weight: 60),
            observation: seen(target: "a", canary: 3), phase: .healthy, weight: 0, stableHash: "a"),
        Transition(
            rule: "an abort is sticky for the same template", state: state(.aborted), observation: seen(canary: 0), phase: .aborted, events: []),
        Transition(
            rule: "a revert to the stable template is fast-tracked: nothing to roll", state: state(.aborted), observation: seen(target: "a"),
            phase: .healthy, events: [], stableHash: "a"),
        Transition(
            rule: "another template after an abort starts a new rollout", state: state(.aborted), observation: seen(target: "c"),
            phase: .progressing, step: 0, events: [.started]),
        Transition(
            rule: "retry starts the aborted template again", state: state(.aborted), observation: seen(canary: 0), action: .retry,
            phase: .progressing, step: 0, weight: 20, events: [.started]),
        Transition(
            rule: "resume does not undo an abort", state: state(.aborted), observation: seen(canary: 0), action: .resume, phase: .aborted),
        Transition(
            rule: "an aborted template that was once promoted is not fast-tracked after retry",
            state: state(.aborted, promoted: ["b", "a"]), observation: seen(canary: 0), action: .retry, phase: .progressing, step: 0),
    ]

    static let gates: [Transition] = [
        Transition(
            rule: "pre-rollout hooks hold the canary at weight 0 until they pass", state: state(.progressing, weight: 0),
            observation: {
                var o = seen(); o.preRolloutPassed = false; return o
            }(), phase: .progressing, step: 0, weight: 0),
        Transition(
            rule: "failed hook calls up to the threshold abort with GateFailed", state: state(.progressing, step: 1, weight: 20),
            observation: {
                var o = seen(canary: 1); o.gateFailures = 1; o.gateMessage = "webhook smoke: HTTP 500"; return o
            }(),
            phase: .aborted, weight: 0, abortReason: .gateFailed, events: [.aborted]),
        Transition(
            rule: "the last step waits for confirm-promotion hooks", state: state(.progressing, step: 5, weight: 60),
            observation: {
                var o = seen(canary: 3); o.promotionConfirmed = false; return o
            }(), phase: .progressing, step: 5),
        Transition(
            rule: "a confirmed promotion goes on", state: state(.progressing, step: 5, weight: 60), observation: seen(canary: 3),
            phase: .promoting, stage: .release),
    ]

    static let backgrounds: [Transition] = [
        Transition(
            rule: "background analysis starts at its starting step", spec: background, state: state(.progressing, step: 1, weight: 20),
            observation: seen(canary: 1), phase: .progressing, step: 1, effects: [.startAnalysis(.background, latency)]),
        Transition(
            rule: "background analysis does not start before its starting step", spec: background, state: state(.progressing, weight: 20),
            observation: seen(), phase: .progressing, step: 0, effects: []),
        Transition(
            rule: "a failed background analysis aborts", spec: background, state: state(.progressing, step: 1, weight: 20, background: true),
            observation: seen(canary: 1, background: .init(.failed, "latency 900 > max 500")), phase: .aborted, abortReason: .analysisFailed,
            events: [.analysisFailed, .aborted], effects: [.stopAnalysis(.background)]),
    ]

    static let blueGreens: [Transition] = [
        Transition(
            rule: "blue-green waits for a full-size green", spec: blueGreen(), state: state(.progressing), observation: seen(canary: 3),
            phase: .progressing, step: 0),
        Transition(
            rule: "a ready green waits for promote by default", spec: blueGreen(), state: state(.progressing), observation: seen(canary: 5),
            phase: .paused, step: 2, weight: 0, pauseReason: .awaitingPromotion),
        Transition(
            rule: "autoPromotion switches without a gate", spec: blueGreen(auto: true), state: state(.progressing), observation: seen(canary: 5),
            phase: .promoting, stage: .release, weight: 100),
        Transition(
            rule: "pre-promotion analysis runs before the gate", spec: blueGreen(pre: true), state: state(.progressing),
            observation: seen(canary: 5), phase: .progressing, step: 1, effects: [.startAnalysis(.step, successRate)]),
        Transition(
            rule: "promote switches the apex Service to green", spec: blueGreen(), state: state(.paused, step: 2, pause: .awaitingPromotion),
            observation: seen(canary: 5), action: .promote, phase: .promoting, stage: .release, weight: 100),
        Transition(
            rule: "post-promotion analysis runs while green serves", spec: blueGreen(post: true),
            state: state(.paused, step: 2, pause: .awaitingPromotion), observation: seen(canary: 5), action: .promote, phase: .promoting,
            stage: .analysis, weight: 100, effects: [.startAnalysis(.step, successRate)]),
        Transition(
            rule: "a failed post-promotion analysis switches back in one write", spec: blueGreen(post: true),
            state: state(.promoting, step: 2, stage: .analysis, weight: 100, analysisStep: 1000),
            observation: seen(canary: 5, step: .init(.failed, "success-rate 0.5 < min 0.95")), phase: .aborted, weight: 0,
            abortReason: .analysisFailed),
        Transition(
            rule: "an inconclusive post-promotion analysis pauses inside the promotion", spec: blueGreen(post: true),
            state: state(.promoting, step: 2, stage: .analysis, weight: 100, analysisStep: 1000),
            observation: seen(canary: 5, step: .init(.inconclusive)), phase: .paused, stage: .analysis, weight: 100,
            pauseReason: .inconclusive),
        Transition(
            rule: "resume inside a promotion goes on to release", spec: blueGreen(post: true),
            state: state(.paused, step: 2, stage: .analysis, weight: 100, pause: .inconclusive, analysisStep: 1000),
            observation: seen(canary: 5), action: .resume, phase: .promoting, stage: .release, weight: 100),
        Transition(
            rule: "blue keeps running for scaleDownDelay after the switch back", spec: blueGreen(),
            state: state(.promoting, step: 2, stage: .cleanup), observation: seen(stable: "b"), at: 1, phase: .promoting, stage: .cleanup),
        Transition(
            rule: "after scaleDownDelay green goes and the rollout ends", spec: blueGreen(), state: state(.promoting, step: 2, stage: .cleanup),
            observation: seen(stable: "b"), at: 3, phase: .healthy, events: [.promoted], stableHash: "b"),
    ]
}

@Suite struct RolloutMachineTests {
    static let table: [Transition] = [
        Transition.idle, Transition.steps, Transition.promotion, Transition.routers, Transition.templates, Transition.gates,
        Transition.backgrounds, Transition.blueGreens,
    ].flatMap { $0 }

    // The design asks for at least 40 rows; every row of A.2.4 is among them.
    @Test func theTableIsLarge() {
        #expect(Self.table.count >= 40)
    }

    @Test(arguments: table)
    func transition(_ row: Transition) {
        let machine = RolloutMachine(spec: row.spec, mode: row.mode)
        let (state, effects) = machine.next(row.state, row.observation, action: row.action, now: Transition.t0.addingTimeInterval(row.at))
        #expect(state.phase == row.phase)
        if let step = row.step { #expect(state.currentStep == step) }
        if row.phase == .promoting || row.stage != nil { #expect(state.stage == row.stage) }
        if let weight = row.weight { #expect(state.setWeight == weight) }
        #expect(state.pauseReason == row.pauseReason)
        if row.phase == .aborted { #expect(state.abortReason == (row.abortReason ?? row.state.abortReason)) }
        if let stable = row.stableHash { #expect(state.stableHash == stable) }
        if let expected = row.events {
            let events = effects.compactMap { effect -> RolloutEvent.Kind? in
                guard case .emit(let event) = effect else { return nil }
                return event.kind
            }
            #expect(events.filter { $0 != .stepCompleted && $0 != .resumed } == expected.filter { $0 != .stepCompleted && $0 != .resumed })
        }
        for effect in row.effects { #expect(effects.contains(effect), "missing \(effect)") }
        if row.effects.isEmpty, row.rule.contains("does not start") {
            #expect(!effects.contains { if case .startAnalysis = $0 { true } else { false } })
        }
    }

    // What ran before the Rollout counts as promoted: a later rollback to it is fast-tracked.
    @Test func theAdoptedTemplateIsInTheRollbackWindow() {
        let machine = RolloutMachine(spec: Transition.canary, mode: .shift)
        let (adopted, _) = machine.next(RolloutState(), Transition.seen(target: "a"), now: Transition.t0)
        #expect(adopted.promotedHashes == ["a"])
        var promoted = adopted
        promoted.stableHash = "b"
        promoted.promotedHashes.append("b")
        let (back, effects) = machine.next(promoted, Transition.seen(target: "a", stable: "b"), now: Transition.t0)
        #expect(back.phase == .promoting && back.stage == .release && back.fastTrack)
        #expect(!effects.contains { if case .emit(let event) = $0 { event.kind == .started } else { false } })
    }

    // A.10's resume rule: the state survives a restart as JSON, and the next tick goes on from it.
    @Test func stateSurvivesARestartAsJSON() throws {
        var state = Transition.state(.paused, step: 3, weight: 60, pause: .manual)
        state.message = "paused by request at step 3"
        let data = try JSONEncoder().encode(state)
        let back = try JSONDecoder().decode(RolloutState.self, from: data)
        #expect(back == state)
        let (next, _) = RolloutMachine(spec: Transition.canary, mode: .shift).next(
            back, Transition.seen(canary: 3), action: .resume, now: Transition.t0.addingTimeInterval(5))
        #expect(next.phase == .progressing && next.currentStep == 4 || next.phase == .paused && next.currentStep == 4)
    }

    // A full run from idle to promoted through the machine alone: every tick sees what the previous one asked for.
    @Test func aCanaryRunsToTheEnd() {
        let machine = RolloutMachine(spec: Transition.canary, mode: .shift)
        var state = Transition.state(.healthy)
        var clock = Transition.t0
        var canary: Int? = nil
        var stable = "a"
        var analysis: RolloutObservation.Verdict? = nil
        var action: RolloutAction? = nil
        var phases: [RolloutState.Phase] = []
        for _ in 0..<30 where !(state.phase == .healthy && stable == "b") {
            var observation = Transition.seen(stable: stable, canary: canary, step: analysis)
            observation.canary = canary.map { .init(hash: "b", replicas: $0, ready: $0) }
            let (next, effects) = machine.next(state, observation, action: action, now: clock)
            action = nil
            state = next
            phases.append(state.phase)
            if effects.contains(where: { if case .startAnalysis = $0 { true } else { false } }) { analysis = .init(.successful) }
            switch state.phase {
            case .progressing, .paused: canary = RolloutReplicas.canary(weight: state.setWeight, total: 5, mode: .shift)
            case .promoting where state.stage == .release: stable = "b"
            case .promoting: canary = nil
            default: break
            }
            if state.phase == .paused { action = .promote }
            clock.addTimeInterval(2)
        }
        #expect(state.phase == .healthy && state.stableHash == "b")
        #expect(phases.contains(.paused) && phases.contains(.promoting))
    }
}
