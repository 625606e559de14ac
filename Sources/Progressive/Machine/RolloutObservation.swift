/// What a rollout tick saw: the rendered template, the live copies, and the analyses.
public struct RolloutObservation: Sendable, Hashable {
    /// One live Deployment as the machine needs it.
    public struct Workload: Sendable, Hashable {
        /// The hash of its pod template, without the track label.
        public var hash: String
        /// `spec.replicas`.
        public var replicas: Int
        /// `status.readyReplicas`, counted only when the status is about the current template.
        public var ready: Int
        public init(hash: String, replicas: Int, ready: Int) {
            self.hash = hash
            self.replicas = replicas
            self.ready = ready
        }
    }

    /// The verdict of an analysis run.
    public struct Verdict: Sendable, Hashable {
        public enum Outcome: String, Sendable, Hashable { case running, successful, failed, error, inconclusive }
        public var outcome: Outcome
        /// A sentence for people, e.g. `success-rate 0.8 < min 0.95`.
        public var message: String
        public init(_ outcome: Outcome, _ message: String = "") {
            self.outcome = outcome
            self.message = message
        }
    }

    /// The hash of the target's pod template as Git renders it.
    public var targetHash: String
    /// The replica count the rollout keeps (Git's, or the live count when Git leaves it to an HPA).
    public var replicas: Int
    /// The target Deployment as it runs.
    public var stable: Workload?
    /// The generated canary Deployment as it runs.
    public var canary: Workload?
    /// Whether the traffic the state asks for has been written (routers).
    public var routeApplied = true
    /// The weight the last write put on the routes, when known: a weight the state sets now is
    /// applied only once a later tick sees it written.
    public var appliedWeight: Int?
    /// The run of the current step's analysis (or the blue-green pre/post analysis).
    public var stepAnalysis: Verdict?
    /// The background analysis.
    public var backgroundAnalysis: Verdict?
    /// Whether the pre-rollout hooks passed for this canary (true when there are none).
    public var preRolloutPassed = true
    /// Failed calls of pre-rollout and rollout hooks for this canary, and the last reason.
    public var gateFailures = 0
    public var gateMessage = ""
    /// Whether the confirm-promotion hooks said yes (true when there are none).
    public var promotionConfirmed = true

    public init(targetHash: String, replicas: Int, stable: Workload?, canary: Workload? = nil) {
        self.targetHash = targetHash
        self.replicas = replicas
        self.stable = stable
        self.canary = canary
    }
}
