import Manifests
import Notify
import Testing

/// Rollout events from `status.rollouts[]`: once per transition and canary hash, across restarts.
extension EventDetectorTests {
    /// A `status.rollouts[]` report of the Rollout `default/web`: canary `hash` of `sha2` over the
    /// stable `stable` of `sha1`; Healthy reports carry only the stable.
    func rollout(
        _ phase: String, hash: String = "c1", step: Int = 0, reason: String? = nil, message: String? = nil, revision: String? = nil,
        stable: String = "s0", stableRevision: String? = nil, fastTrack: Bool = false
    ) -> JSONValue {
        var report: JSONObject = [
            "namespace": "default", "name": "web", "phase": .string(phase), "steps": 4,
            "stableRevision": .string(stableRevision ?? sha1),
        ]
        report["stableHash"] = .string(stable)
        if phase != "Healthy" {
            report["canaryHash"] = .string(hash)
            report["canaryRevision"] = .string(revision ?? sha2)
            report["step"] = .number(JSONNumber(Int64(step)))
        }
        if let reason { report["reason"] = .string(reason) }
        if let message { report["message"] = .string(message) }
        if fastTrack { report["fastTrack"] = true }
        return .object(report)
    }

    var sha3: String { String(repeating: "c", count: 40) }

    /// The app at `sha1`, deployed, with the Rollout idle on the stable.
    var idle: AppSnapshot { status(revision: sha1, rollouts: [rollout("Healthy")]) }
    /// `sha2` synced, its rollout in `report`, with the health the controller gives that phase.
    func rolling(_ report: JSONValue, health: String = "Progressing") -> AppSnapshot {
        status(health: health, revision: sha2, rollouts: [report])
    }

    var paused: AppSnapshot {
        rolling(rollout("Paused", step: 1, reason: "Manual", message: "paused at step 1: waiting for promote"), health: "Suspended")
    }
    var abortedByHand: AppSnapshot { rolling(rollout("Aborted", step: 1, reason: "Manual", message: "aborted by request"), health: "Healthy") }
    var abortedByAnalysis: AppSnapshot {
        rolling(
            rollout("Aborted", step: 2, reason: "AnalysisFailed", message: "success-rate 0.8 < min 0.95 (2 failures > failureLimit 1)"),
            health: "Healthy")
    }
    var promoted: AppSnapshot { status(revision: sha2, rollouts: [rollout("Healthy", stable: "c1", stableRevision: sha2)]) }

    @Test(arguments: [
        // A canary that pauses and is aborted by hand: started, paused, aborted, once each; the
        // rolled-back revision is synced and healthy, yet not `deployed`.
        ("abort", ["rollout-started", "rollout-paused", "rollout-aborted"]),
        // An analysis failure comes before the abort it causes.
        ("analysis", ["rollout-started", "analysis-failed", "rollout-aborted"]),
        // Seen only once it was aborted (the notifier looked late): the whole sequence, in order.
        ("late", ["rollout-started", "analysis-failed", "rollout-aborted"]),
        // Paused, resumed, promoted: then, and only then, the revision is deployed.
        ("promote", ["rollout-started", "rollout-paused", "rollout-resumed", "rollout-promoted", "deployed"]),
        // A new commit while paused restarts the sequence for the new canary hash.
        ("superseded", ["rollout-started", "rollout-paused", "rollout-started"]),
        // A retry of an aborted canary starts it again.
        ("retry", ["rollout-started", "rollout-aborted", "rollout-started"]),
        // A first deploy or a hash in the rollback window goes out without steps: no rollout events.
        ("fast", ["deployed"]),
    ])
    func rolloutSequences(_ name: String, _ expected: [String]) {
        let states: [AppSnapshot] =
            switch name {
            case "abort": [idle, rolling(rollout("Progressing")), paused, paused, abortedByHand, abortedByHand, abortedByHand]
            case "analysis": [idle, rolling(rollout("Progressing")), rolling(rollout("Progressing", step: 2)), abortedByAnalysis, abortedByAnalysis]
            case "late": [idle, abortedByAnalysis, abortedByAnalysis]
            case "promote":
                [
                    idle, rolling(rollout("Progressing")), paused, paused, rolling(rollout("Progressing", step: 2)),
                    rolling(rollout("Promoting", step: 3)), promoted, promoted,
                ]
            case "superseded":
                [idle, paused, status(health: "Progressing", revision: sha3, rollouts: [rollout("Progressing", hash: "c2", revision: sha3)])]
            case "retry": [idle, rolling(rollout("Progressing")), abortedByHand, rolling(rollout("Progressing")), rolling(rollout("Progressing"))]
            default:
                [
                    status(revision: sha1, rollouts: [rollout("Healthy")]),
                    rolling(rollout("Promoting", stable: "s0", fastTrack: true)),
                    status(revision: sha2, rollouts: [rollout("Healthy", stable: "c1", stableRevision: sha2)]),
                ]
            }
        let withoutCreated = { (events: [String]) in events.filter { $0 != "app-created" && !$0.hasPrefix("sync-") } }
        #expect(withoutCreated(run(states, isNew: false)) == expected)
        // A restart after any state, from the stored snapshot: nothing told twice, nothing lost.
        for restart in states.indices {
            #expect(withoutCreated(run(states, isNew: false, restartAfter: restart)) == expected, "restart after \(restart)")
        }
    }

    @Test func rolloutMessagesNameTheRolloutTheRevisionAndWhy() throws {
        let events = detect([idle, rolling(rollout("Progressing")), abortedByAnalysis], isNew: false)
        let byType = Dictionary(events.map { ($0.type, $0) }, uniquingKeysWith: { first, _ in first })
        let started = try #require(byType[.rolloutStarted])
        #expect(started.message == "rollout default/web: rolling out bbbbbbb (step 0/4)")
        #expect(started.revision == sha2 && started.rollout?.name == "web" && started.severity == .info)
        let failed = try #require(byType[.analysisFailed])
        #expect(failed.message == "rollout default/web: analysis of bbbbbbb failed: success-rate 0.8 < min 0.95 (2 failures > failureLimit 1)")
        let aborted = try #require(byType[.rolloutAborted])
        #expect(
            aborted.message
                == "rollout default/web: bbbbbbb rolled back (AnalysisFailed): success-rate 0.8 < min 0.95 (2 failures > failureLimit 1); serving aaaaaaa"
        )
        #expect(aborted.severity == .warning && failed.severity == .warning && aborted.type.incident == nil)
        // The key is per rollout and canary hash: the same transition always has the same key.
        #expect(aborted.key == "keelson/guestbook/rollout-aborted/default/web/c1")
    }

    // Health recovering after a rollback says so, but holds back the commit's success.
    @Test func eventsOfARevisionWhoseRolloutIsUnfinishedHoldTheirSuccess() {
        let states = [idle, rolling(rollout("Progressing")), rolling(rollout("Progressing", step: 1), health: "Degraded"), abortedByHand]
        let events = detect(states, isNew: false).filter { !$0.type.rawValue.hasPrefix("sync-") }
        #expect(events.map(\.type) == [.rolloutStarted, .healthDegraded, .rolloutAborted, .healthRecovered])
        #expect(events.allSatisfy { $0.deliveryPending })
        #expect(detect([idle, rolling(rollout("Progressing")), promoted], isNew: false).last?.deliveryPending == false)
    }

    // A snapshot stored before rollout events has no rollouts: what runs now is the baseline.
    @Test func aSnapshotOlderThanRolloutEventsStartsFromWhatRuns() throws {
        var stored = try #require(EventDetector.events(previous: nil, current: idle, isNew: false, source: source).announce.json.objectValue)
        stored["rollouts"] = nil
        let old = try #require(AppSnapshot(json: .object(stored)))
        #expect(old.rollouts == nil)
        let first = EventDetector.events(previous: old, current: paused, isNew: false, source: source)
        #expect(first.events.filter { $0.rollout != nil }.isEmpty)
        let second = EventDetector.events(previous: AppSnapshot(json: first.announce.json), current: abortedByHand, isNew: false, source: source)
        #expect(second.events.map(\.type) == [.rolloutAborted])
    }

    // The stored form is one short mark per rollout.
    @Test func rolloutsAreKeptAsMarks() {
        let json = EventDetector.events(previous: nil, current: paused, isNew: false, source: source).announce.json
        #expect(json["rollouts"] == ["default/web": "Paused c1 1 Manual"])
    }
}
