import Manifests

/// The health of an object or application, ordered from best to worst: an application's
/// health is its worst object's.
public enum HealthStatus: String, Sendable, Hashable, CaseIterable, Comparable, Codable {
    /// The object is what its spec asks for.
    case healthy = "Healthy"
    /// The object is deliberately paused (a suspended CronJob, a paused Deployment).
    case suspended = "Suspended"
    /// The object is still converging.
    case progressing = "Progressing"
    /// The object should exist but does not.
    case missing = "Missing"
    /// The object failed to converge (a rollout past its deadline, a failed Job).
    case degraded = "Degraded"
    /// The object's health cannot be told.
    case unknown = "Unknown"

    private var rank: Int { Self.allCases.firstIndex(of: self)! }

    public static func < (lhs: HealthStatus, rhs: HealthStatus) -> Bool { lhs.rank < rhs.rank }

    /// The worst of several statuses; healthy for none.
    public static func worst(_ statuses: some Sequence<HealthStatus>) -> HealthStatus {
        statuses.max() ?? .healthy
    }
}

/// kstatus' vocabulary: how far an object has reconciled.
public enum ReconcileStatus: String, Sendable, Hashable {
    case current = "Current"
    case inProgress = "InProgress"
    case failed = "Failed"
    case terminating = "Terminating"
    case notFound = "NotFound"
    case unknown = "Unknown"
}

/// The assessed health of one object, with the reason a person would want to read.
public struct ObjectHealth: Sendable, Hashable {
    /// The kstatus status.
    public var reconcile: ReconcileStatus
    /// The health it maps to.
    public var status: HealthStatus
    /// Why, e.g. `Ready: 1/3`.
    public var message: String

    /// Creates a health result.
    public init(_ reconcile: ReconcileStatus, _ status: HealthStatus, _ message: String) {
        self.reconcile = reconcile
        self.status = status
        self.message = message
    }
}
