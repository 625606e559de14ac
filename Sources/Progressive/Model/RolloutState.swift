import Foundation

/// Where a rollout stands, persisted in `Rollout.status` so a restarted controller resumes at the
/// same step. The machine reads and writes it; the overlay derives the cluster's shape from it.
public struct RolloutState: Codable, Sendable, Hashable {
    /// The rollout's phase.
    public enum Phase: String, Codable, Sendable, Hashable, CaseIterable {
        /// Nothing to roll out: the target runs the stable template.
        case healthy = "Healthy"
        /// Stepping through the canary steps (or warming up the green copy).
        case progressing = "Progressing"
        /// Waiting for a person (or for an inconclusive analysis to be judged).
        case paused = "Paused"
        /// Handing the new template to the target.
        case promoting = "Promoting"
        /// Traffic is back on the stable template; sticky until the template changes or a retry.
        case aborted = "Aborted"
    }

    /// Why a rollout waits.
    public enum PauseReason: String, Codable, Sendable, Hashable {
        /// A `pause: {}` step, or `keelson rollout pause`.
        case manual = "Manual"
        /// An analysis could not decide.
        case inconclusive = "Inconclusive"
        /// A blue-green copy is ready and waits for `promote`.
        case awaitingPromotion = "AwaitingPromotion"
    }

    /// Why a rollout was aborted.
    public enum AbortReason: String, Codable, Sendable, Hashable {
        case analysisFailed = "AnalysisFailed"
        case gateFailed = "GateFailed"
        case progressDeadlineExceeded = "ProgressDeadlineExceeded"
        case manual = "Manual"
    }

    /// The stages of a promotion, in order; each waits for what it needs to see.
    public enum Stage: String, Codable, Sendable, Hashable, CaseIterable {
        /// The canary grows to full size.
        case scaleUp
        /// All traffic goes to the canary.
        case routeAll
        /// Blue-green: the post-promotion analysis runs while green serves.
        case analysis
        /// The target receives the new template and becomes Ready with it.
        case release
        /// Traffic goes back to the target.
        case routeBack
        /// The generated objects go away.
        case cleanup
    }

    public var phase: Phase = .healthy
    /// The step being worked on (canary), counted from 0.
    public var currentStep = 0
    /// The promotion stage, while promoting.
    public var stage: Stage?
    public var pauseReason: PauseReason?
    public var abortReason: AbortReason?
    /// Words for people: why it waits, why it was aborted.
    public var message: String?
    /// The template hash the target serves.
    public var stableHash: String?
    /// The template hash being rolled out.
    public var canaryHash: String?
    /// The Git revision that brought the stable template.
    public var stableRevision: String?
    /// The Git revision that brought the template being rolled out.
    public var canaryRevision: String?
    /// The template hash last aborted: the same template does not start again on its own.
    public var abortedHash: String?
    /// The percentage of traffic meant for the canary (100 = the canary is the active copy).
    public var setWeight = 0
    /// When the current step or stage started.
    public var stepStartedAt: Date?
    /// When the rollout was aborted.
    public var abortedAt: Date?
    /// Recently promoted hashes, newest last: these come back without steps.
    public var promotedHashes: [String] = []
    /// The step whose analysis run exists (so a restart does not start it twice).
    public var analysisStep: Int?
    /// Whether the background analysis runs.
    public var backgroundRunning = false
    /// Promoting without steps or analysis: an initial deploy or a hash in the rollback window.
    public var fastTrack = false

    public init() {}

    /// Idle, with nothing of the last canary left but what outlives it: the stable and promoted
    /// hashes, the aborted hash, and the step timer.
    public mutating func forgetCanary() {
        phase = .healthy
        currentStep = 0
        stage = nil
        pauseReason = nil
        abortReason = nil
        abortedAt = nil
        message = nil
        canaryHash = nil
        setWeight = 0
        analysisStep = nil
        backgroundRunning = false
        fastTrack = false
    }

    /// Whether a canary is being worked on.
    public var isRunning: Bool { [.progressing, .paused, .promoting].contains(phase) }
}
