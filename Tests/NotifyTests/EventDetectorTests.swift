import Manifests
import Notify
import Testing

/// Transitions of an Application's status and the events they give, without a cluster.
@Suite struct EventDetectorTests {
    let source = EventSource(namespace: "keelson", name: "guestbook")
    let sha1 = String(repeating: "a", count: 40)
    let sha2 = String(repeating: "b", count: 40)

    func status(
        sync: String = "Synced", health: String = "Healthy", revision: String, latest: String? = nil, running: String? = nil,
        finished: (String, String)? = nil, drift: [String] = [], sourceFailure: String? = nil, pinned: Int? = nil, rollouts: [JSONValue] = []
    ) -> AppSnapshot {
        var object: JSONObject = [
            "sync": ["status": .string(sync)], "health": ["status": .string(health), "message": "1 of 2 replicas ready"],
            "revision": .string(revision), "latestRevision": .string(latest ?? revision),
        ]
        if let running { object["operationState"] = ["phase": "Running", "revision": .string(running)] }
        if let (result, at) = finished {
            object["operation"] = ["result": .string(result), "finishedAt": .string(at), "revision": .string(revision), "message": ""]
        }
        if !drift.isEmpty { object["drift"] = .array(drift.map(JSONValue.string)) }
        if let sourceFailure {
            object["conditions"] = [["type": "Rendered", "status": "False", "reason": "RenderFailed", "message": .string(sourceFailure)]]
        }
        if let pinned { object["pinned"] = ["historyID": .number(JSONNumber(Int64(pinned)))] }
        if !rollouts.isEmpty { object["rollouts"] = .array(rollouts) }
        return AppSnapshot(status: .object(object))
    }

    /// Runs `states` through the detector as the controller would, keeping only what it announces.
    func run(_ states: [AppSnapshot], isNew: Bool = true, restartAfter: Int? = nil) -> [String] {
        detect(states, isNew: isNew, restartAfter: restartAfter).map(\.type.rawValue)
    }

    /// The events themselves, for what they say.
    func detect(_ states: [AppSnapshot], isNew: Bool = true, restartAfter: Int? = nil) -> [NotificationEvent] {
        var announced: AppSnapshot? = nil
        var out: [NotificationEvent] = []
        for (index, state) in states.enumerated() {
            let (events, next) = EventDetector.events(previous: announced, current: state, isNew: isNew, source: source)
            out += events
            announced = next
            // A restart reads the announced snapshot back from status.
            if index == restartAfter { announced = AppSnapshot(json: next.json) }
        }
        return out
    }

    @Test func aFirstSyncIsCreatedRunningSucceededDeployedOnce() {
        let states = [
            status(sync: "OutOfSync", health: "Missing", revision: "", latest: sha1, running: sha1),
            status(sync: "OutOfSync", health: "Progressing", revision: sha1, running: sha1),
            status(revision: sha1, finished: ("Succeeded", "t1")),
            status(revision: sha1, finished: ("Succeeded", "t1")),
        ]
        #expect(run(states) == ["app-created", "sync-running", "sync-succeeded", "deployed"])
        // Restarted in the middle, from the stored snapshot: nothing is repeated or lost.
        #expect(run(states, restartAfter: 1) == ["app-created", "sync-running", "sync-succeeded", "deployed"])
        #expect(run(states, restartAfter: 2) == ["app-created", "sync-running", "sync-succeeded", "deployed"])
    }

    @Test func anApplicationOlderThanNotificationsIsABaseline() {
        #expect(
            run([status(revision: sha1, finished: ("Succeeded", "t1")), status(revision: sha1, finished: ("Succeeded", "t1"))], isNew: false) == [])
        #expect(
            run(
                [status(revision: sha1), status(revision: sha1, latest: sha2, running: sha2), status(revision: sha2, finished: ("Succeeded", "t2"))],
                isNew: false) == ["sync-running", "sync-succeeded", "deployed"])
    }

    @Test func aSourceFailureIsToldOnceAndItsFixDeploys() {
        let broken = status(
            sync: "Synced", revision: sha1, latest: sha2, sourceFailure: "apps/guestbook/deploy.yaml:7:3: mapping key \"image\" already defined")
        let states = [status(revision: sha1), broken, broken, broken, status(revision: sha2, finished: ("Succeeded", "t2"))]
        let events = run(states, isNew: false)
        #expect(events == ["source-failed", "sync-succeeded", "deployed"])
        let (detected, _) = EventDetector.events(previous: status(revision: sha1), current: broken, isNew: false, source: source)
        #expect(detected.first?.message.contains("deploy.yaml:7:3") == true)
        #expect(detected.first?.severity == .error)
    }

    @Test func degradedAndRecoveredShareTheirIncident() {
        let baseline = EventDetector.events(previous: nil, current: status(revision: sha1), isNew: false, source: source).announce
        let degraded = EventDetector.events(previous: baseline, current: status(health: "Degraded", revision: sha1), isNew: false, source: source)
        let recovered = EventDetector.events(previous: degraded.announce, current: status(revision: sha1), isNew: false, source: source)
        #expect(degraded.events.map(\.type) == [.healthDegraded])
        #expect(recovered.events.map(\.type) == [.healthRecovered])
        #expect(degraded.events[0].incidentKey == recovered.events[0].incidentKey)
        #expect(degraded.events[0].key != recovered.events[0].key)
    }

    @Test func recoveryThroughProgressingResolvesTheIncident() {
        let states = [
            status(revision: sha1), status(health: "Degraded", revision: sha1), status(health: "Progressing", revision: sha1),
            status(revision: sha1), status(health: "Progressing", revision: sha1), status(revision: sha1),
        ]
        #expect(run(states, isNew: false, restartAfter: 2) == ["health-degraded", "health-recovered"])
    }

    @Test func driftIsToldOncePerChangeAndItsCorrection() {
        let drifted = status(sync: "OutOfSync", revision: sha1, drift: ["Deployment/guestbook/guestbook update: /spec/replicas"])
        let more = status(sync: "OutOfSync", revision: sha1, drift: ["Deployment/guestbook/guestbook update: /spec/replicas, /spec/paused"])
        let states = [status(revision: sha1), drifted, drifted, drifted, more, status(revision: sha1, finished: ("Succeeded", "t3"))]
        #expect(run(states, isNew: false, restartAfter: 2) == ["drift-detected", "drift-detected", "sync-succeeded", "drift-corrected"])
    }

    @Test func driftFoundAtTheFirstLookAtANewApplicationIsTold() {
        let drifted = status(sync: "OutOfSync", revision: sha1, drift: ["Deployment/default/web update: /spec/replicas (by kubectl-scale)"])
        #expect(run([drifted, drifted]) == ["app-created", "drift-detected"])
    }

    @Test func aNewRevisionWaitingForAManualSyncAndPins() {
        let waiting = status(sync: "OutOfSync", revision: sha1, latest: sha2)
        #expect(run([status(revision: sha1), waiting, waiting], isNew: false) == ["out-of-sync"])
        #expect(
            run([status(revision: sha1), status(revision: sha1, pinned: 3), status(revision: sha1)], isNew: false) == [
                "rollback-pinned", "pin-released",
            ])
    }

    @Test func aFailedSyncIsAnErrorWithItsMessage() {
        var failed = status(sync: "OutOfSync", health: "Healthy", revision: sha1, finished: ("Failed", "t9"))
        failed.lastOperationMessage = "Deployment guestbook/guestbook: field is immutable"
        let (events, _) = EventDetector.events(previous: status(revision: sha1), current: failed, isNew: false, source: source)
        #expect(events.map(\.type) == [.syncFailed])
        #expect(events[0].message == "Deployment guestbook/guestbook: field is immutable")
        #expect(events[0].key.hasPrefix("keelson/guestbook/sync-failed/"))
    }

    @Test func aSyncDoneBeforeHealthIsRollingOutUntilHealthyAndASelfHealIsNot() {
        let states = [
            status(revision: sha1),
            status(sync: "Synced", health: "Progressing", revision: sha2, finished: ("Succeeded", "t2")),
            status(sync: "Synced", health: "Progressing", revision: sha2, finished: ("Succeeded", "t2")),
            status(revision: sha2, finished: ("Succeeded", "t2")),
            // A self-heal of the deployed revision that restarts pods: no new rollout.
            status(sync: "Synced", health: "Progressing", revision: sha2, finished: ("Succeeded", "t3")),
            status(revision: sha2, finished: ("Succeeded", "t3")),
        ]
        #expect(run(states, isNew: false, restartAfter: 1) == ["sync-running", "sync-succeeded", "deployed", "sync-succeeded"])
    }
}

@Suite struct DriftedObjectTests {
    @Test func statusLinesReadAsObjectsFieldsAndWriters() {
        let drifted = DriftedObject(
            statusLine: "Deployment/guestbook/guestbook update: /spec/replicas, /metadata/labels/app.kubernetes.io~1name (by kubectl-scale)")
        #expect(drifted.key == "Deployment guestbook/guestbook")
        #expect(drifted.fields == ["spec.replicas", "metadata.labels.app.kubernetes.io/name"])
        #expect(drifted.managers == ["kubectl-scale"])
        #expect(drifted.summary == "Deployment guestbook/guestbook spec.replicas, metadata.labels.app.kubernetes.io/name (by kubectl-scale)")
        #expect(DriftedObject(statusLine: "Namespace/shop create").summary == "Namespace shop")
    }
}
