import Progressive

/// Rollout events, from what `status.rollouts[]` showed last and shows now. Each rollout is
/// followed per canary hash: a new hash starts its sequence again, and the same mark twice says
/// nothing. When several transitions happened between two looks, all are told, in order.
extension EventDetector {
    /// One rollout event to announce.
    struct RolloutTransition: Equatable {
        var type: EventType
        var rollout: RolloutReport
        /// The commit it is about: the canary's revision, or once promoted the stable's.
        var revision: String
        var message: String
        /// What makes its key unique: the rollout, the hash, and for pauses the step.
        var once: String
    }

    /// The rollout events from `previous` to `current`.
    static func rolloutTransitions(previous: [RolloutReport], current: [RolloutReport]) -> [RolloutTransition] {
        var out: [RolloutTransition] = []
        for rollout in current {
            guard let phase = RolloutState.Phase(rawValue: rollout.phase) else { continue }
            let before = previous.first { $0.id == rollout.id }
            let was = before.flatMap { RolloutState.Phase(rawValue: $0.phase) }
            func add(_ type: EventType, _ text: String, once: String = "") {
                let hash = rollout.canaryHash ?? rollout.stableHash ?? ""
                out.append(
                    RolloutTransition(
                        type: type, rollout: rollout, revision: rollout.revision, message: "rollout \(rollout.id): \(text)",
                        once: "\(rollout.id)/\(hash)" + once))
            }
            let revision = short(rollout.revision)
            // Promoted: the canary it was working on is the stable one now.
            if phase == .healthy, let before, before.isRunning, before.fastTrack != true, let hash = before.canaryHash,
                rollout.stableHash == hash
            {
                add(.rolloutPromoted, "\(revision) promoted")
                continue
            }
            guard rollout.isUnfinished, let hash = rollout.canaryHash else { continue }
            // The same canary as before, unless a retry starts an aborted one again.
            let again = was == .aborted && before?.canaryHash == hash && rollout.isRunning
            let continuing = before?.canaryHash == hash && !again
            if !continuing && rollout.fastTrack != true {
                let progress = rollout.progress.isEmpty ? "" : " (\(rollout.progress))"
                add(.rolloutStarted, "rolling out \(revision)" + (again ? " again" : "") + progress, once: again ? "/retry" : "")
            }
            if continuing, let before, was == .paused, rollout.isRunning, phase != .paused || rollout.step != before.step {
                add(.rolloutResumed, "\(revision) resumed at step \(before.step ?? 0)", once: "/\(before.step ?? 0)")
            }
            let pausedBefore = continuing && was == .paused && before?.step == rollout.step && before?.reason == rollout.reason
            if phase == .paused && !pausedBefore {
                add(.rolloutPaused, "\(revision) paused (\(rollout.reason ?? "Manual")): \(rollout.message ?? "")", once: "/\(rollout.step ?? 0)")
            }
            if phase == .aborted && !(continuing && was == .aborted) {
                let why = rollout.message ?? rollout.reason ?? "aborted"
                if rollout.reason == RolloutState.AbortReason.analysisFailed.rawValue {
                    add(.analysisFailed, "analysis of \(revision) failed: \(why)")
                }
                let serving = rollout.stableRevision.map { "; serving \(short($0))" } ?? ""
                add(.rolloutAborted, "\(revision) rolled back (\(rollout.reason ?? "Manual")): \(why)" + serving)
            }
        }
        return out
    }
}
