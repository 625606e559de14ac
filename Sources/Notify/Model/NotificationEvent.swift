import Progressive

/// How much an event matters. Ordered: an Alert with a minimum severity takes that and worse.
public enum Severity: String, Sendable, Hashable, CaseIterable, Comparable {
    case info, warning, error

    public static func < (lhs: Severity, rhs: Severity) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}

/// The catalog of what Keelson tells people about, derived from an Application's status
/// transitions (and from rollouts and image automation).
public enum EventType: String, Sendable, Hashable, CaseIterable {
    case appCreated = "app-created"
    case appDeleted = "app-deleted"
    case syncRunning = "sync-running"
    case syncSucceeded = "sync-succeeded"
    case syncFailed = "sync-failed"
    case sourceFailed = "source-failed"
    case deployed
    case healthDegraded = "health-degraded"
    case healthRecovered = "health-recovered"
    case driftDetected = "drift-detected"
    case driftCorrected = "drift-corrected"
    case outOfSync = "out-of-sync"
    case rollbackPinned = "rollback-pinned"
    case pinReleased = "pin-released"
    case imageUpdated = "image-updated"
    case rolloutStarted = "rollout-started"
    case rolloutPaused = "rollout-paused"
    case rolloutResumed = "rollout-resumed"
    case rolloutPromoted = "rollout-promoted"
    case rolloutAborted = "rollout-aborted"
    case analysisFailed = "analysis-failed"

    /// The severity every event of this type has.
    ///
    /// A rollback is a warning, not an error: the stable version still serves, health stays
    /// honest, and the commit status already fails the pipeline (delivery design A.2.6), so an
    /// Alert for errors only (the one that pages) does not wake anyone for a rollout that did
    /// its job. Alerts at `warning` see it.
    public var severity: Severity {
        switch self {
        case .syncFailed, .sourceFailed, .healthDegraded: .error
        case .driftDetected, .rollbackPinned, .rolloutAborted, .analysisFailed: .warning
        default: .info
        }
    }

    /// A few words for titles: `sync failed`, `health degraded`.
    public var title: String { rawValue.replacing("-", with: " ") }

    /// Whether the event opens an incident (PagerDuty trigger, Opsgenie alert) or closes one.
    public var incident: IncidentAction? {
        switch self {
        case .syncFailed, .sourceFailed, .healthDegraded: .trigger
        case .healthRecovered, .deployed, .syncSucceeded: .resolve
        default: nil
        }
    }
}

/// Whether an event opens or closes an incident.
public enum IncidentAction: String, Sendable, Hashable { case trigger, resolve }

/// The Application an event is about.
public struct EventSource: Sendable, Hashable {
    public var namespace: String
    public var name: String
    public var labels: [String: String]
    /// The Git repository the Application deploys from (commit statuses post only to their own).
    public var repoURL: String

    public init(namespace: String, name: String, labels: [String: String] = [:], repoURL: String = "") {
        self.namespace = namespace
        self.name = name
        self.labels = labels
        self.repoURL = repoURL
    }

    /// `namespace/name`.
    public var id: String { "\(namespace)/\(name)" }
}

/// One drifted object: its key (`Deployment guestbook/guestbook`), the fields and who wrote them.
public struct DriftedObject: Sendable, Hashable {
    public var key: String
    public var fields: [String]
    public var managers: [String]

    public init(key: String, fields: [String], managers: [String]) {
        self.key = key
        self.fields = fields
        self.managers = managers
    }
}

/// One thing to tell people about.
public struct NotificationEvent: Sendable, Hashable {
    public var type: EventType
    public var source: EventSource
    /// The revision (commit) it concerns.
    public var revision: String
    /// One line: what happened (a `file:line` for source failures; never a Secret value).
    public var message: String
    /// Sync and health status when it happened.
    public var sync: String
    public var health: String
    /// Drifted objects, for `drift-detected`.
    public var drift: [DriftedObject]
    /// The ledger key: the same transition always has the same key (`X-Keelson-Event-ID`).
    public var key: String
    /// The incident this event opens or closes: a `health-degraded` and the `health-recovered`
    /// that follows share it, so PagerDuty and Opsgenie resolve what they opened.
    public var incidentKey: String
    /// Commit facts when known (author, subject).
    public var commitAuthor: String
    public var commitSubject: String
    /// The rollout a rollout event is about.
    public var rollout: RolloutReport?
    /// A rollout of `revision` has not been promoted yet (it runs, or was rolled back): a
    /// success commit status would claim too much, so none is posted.
    public var deliveryPending = false

    public init(
        type: EventType, source: EventSource, revision: String, message: String, sync: String = "", health: String = "",
        drift: [DriftedObject] = [], key: String, incidentKey: String, commitAuthor: String = "", commitSubject: String = ""
    ) {
        self.type = type
        self.source = source
        self.revision = revision
        self.message = message
        self.sync = sync
        self.health = health
        self.drift = drift
        self.key = key
        self.incidentKey = incidentKey
        self.commitAuthor = commitAuthor
        self.commitSubject = commitSubject
    }

    public var severity: Severity { type.severity }
}
