/// Derives notification events from two snapshots of an Application: pure, so every transition
/// is tested without a cluster. The same transition always yields the same event key.
public enum EventDetector {
    /// What changed from `previous` (what was last announced; nil when nothing was, and then
    /// `isNew` says whether the Application is new or merely older than notifications) to
    /// `current`, and the snapshot to announce next (it carries the deployed revision forward).
    public static func events(
        previous: AppSnapshot?, current: AppSnapshot, isNew: Bool, source: EventSource
    ) -> (events: [NotificationEvent], announce: AppSnapshot) {
        var next = current
        guard let before = previous ?? (isNew ? AppSnapshot() : nil) else {
            // An Application older than notifications: what it shows now is the baseline.
            if current.sync == "Synced" && current.health == "Healthy" { next.deployedRevision = current.revision }
            next.runningRevision = current.operationPhase == "Running" ? current.operationRevision : current.revision
            return ([], next)
        }
        next.deployedRevision = before.deployedRevision
        next.runningRevision = before.runningRevision
        next.healthIncident = before.healthIncident
        var events: [NotificationEvent] = []
        func add(_ type: EventType, revision: String, message: String, once: String, incident: String = "") {
            var event = NotificationEvent(
                type: type, source: source, revision: revision, message: message, sync: current.sync, health: current.health,
                key: "\(source.id)/\(type.rawValue)/\(once)", incidentKey: "\(source.id)/\(incident.isEmpty ? type.rawValue : incident)")
            event.deliveryPending = current.rolloutUnfinished(revision)
            events.append(event)
        }
        if previous == nil { add(.appCreated, revision: current.latestRevision, message: "application created", once: "created") }
        if current.sourceFailed && current.sourceID != before.sourceID {
            add(.sourceFailed, revision: current.latestRevision, message: current.sourceFailure, once: current.sourceID, incident: "source")
        }
        // A revision is rolling out while its sync runs, or once applied until it is healthy.
        let rolling =
            current.operationPhase == "Running"
            ? current.operationRevision
            : (current.sync == "Synced" && current.health == "Progressing" && current.revision != before.deployedRevision ? current.revision : "")
        if !rolling.isEmpty && rolling != before.runningRevision {
            add(.syncRunning, revision: rolling, message: "\(short(rolling)) is rolling out", once: rolling)
            next.runningRevision = rolling
        }
        if !current.lastOperation.isEmpty && current.lastOperation != before.lastOperation {
            let succeeded = current.lastOperationResult == "Succeeded"
            let message = current.lastOperationMessage.isEmpty ? "sync \(succeeded ? "succeeded" : "failed")" : current.lastOperationMessage
            add(
                succeeded ? .syncSucceeded : .syncFailed, revision: current.operationRevision, message: message,
                once: current.lastOperation.replacing(" ", with: "@"), incident: "sync")
        }
        // Rollouts, once a snapshot that kept them is there to compare with.
        if let announced = before.rollouts {
            for transition in rolloutTransitions(previous: announced, current: current.rollouts ?? []) {
                add(transition.type, revision: transition.revision, message: transition.message, once: transition.once)
                events[events.count - 1].rollout = transition.rollout
            }
        }
        if current.health == "Degraded" && !before.healthIncident {
            add(
                .healthDegraded, revision: current.revision, message: current.healthMessage,
                once: current.revision + "/" + AppSnapshot.fingerprint([current.healthMessage]), incident: "health")
            next.healthIncident = true
        }
        // Recovered when healthy again, through Progressing or not.
        if before.healthIncident && current.health == "Healthy" {
            add(.healthRecovered, revision: current.revision, message: "healthy again", once: current.revision, incident: "health")
            next.healthIncident = false
        }
        // Drift at the revision already there (or found at the first look at a new Application).
        if current.hasDrift && current.driftID != before.driftID && (current.revision == before.revision || before.revision.isEmpty) {
            let drifted = current.drift.map(DriftedObject.init(statusLine:))
            let message = drifted.isEmpty ? "drift detected" : drifted.map(\.summary).joined(separator: "; ")
            add(.driftDetected, revision: current.revision, message: message, once: current.driftID)
            events[events.count - 1].drift = drifted
        }
        if before.hasDrift && !current.hasDrift && current.revision == before.revision && current.sync == "Synced" {
            add(.driftCorrected, revision: current.revision, message: "drift corrected", once: before.driftID)
        }
        if current.sync == "OutOfSync" && current.latestRevision != current.revision && current.latestRevision != before.latestRevision
            && current.operationPhase.isEmpty && !current.hasDrift
        {
            add(
                .outOfSync, revision: current.latestRevision, message: "\(short(current.latestRevision)) waits to be synced",
                once: current.latestRevision)
        }
        if let pin = current.pinned, pin != before.pinned {
            add(.rollbackPinned, revision: current.revision, message: "pinned to history entry \(pin)", once: String(pin))
        }
        if current.pinned == nil, let pin = before.pinned {
            add(.pinReleased, revision: current.revision, message: "pin on history entry \(pin) released", once: String(pin))
        }
        // Deployed once its rollouts promoted it: a rolled-back revision is synced and healthy
        // (the stable serves) but was not deployed.
        let settled =
            current.operationPhase.isEmpty && current.sync == "Synced" && current.health == "Healthy"
            && !current.rolloutUnfinished(current.revision)
        if settled && !current.revision.isEmpty && current.revision != before.deployedRevision {
            add(.deployed, revision: current.revision, message: "\(short(current.revision)) deployed", once: current.revision, incident: "source")
            next.deployedRevision = current.revision
        }
        return (events, next)
    }

    static func short(_ revision: String) -> String { String(revision.prefix(7)) }
}
