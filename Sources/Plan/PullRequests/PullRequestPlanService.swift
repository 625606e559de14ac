import Controller
import GitSource
import Kube
import Logging
import SCM
import ServiceLifecycle
import Synchronization

/// What became of a pull request handed to `PullRequestPlanService.submit`.
public struct PullRequestPlanAdmission: Sendable, Hashable {
    /// Whether a plan was queued.
    public var queued: Bool
    /// Whether the delivery should be sent again later: this replica does not lead or has not
    /// listed the Applications yet, or the queue is full.
    public var unavailable: Bool
    /// What happened, in words (never a secret).
    public var message: String
}

/// Server-side pull-request plans (`keelson controller --pr-plans`): pull requests of
/// repositories the controller's Applications follow are planned in the background with the
/// controller's Git credentials and cluster (`keelson plan --live`), and the plan is posted as
/// one upserted comment and a commit status.
///
/// `submit` decides at once and never clones: only a repository and base branch that an
/// Application follows is planned, and a fork's pull request only when its base repository is
/// in `forkRepositories`. The head is fetched from the base repository's own pull-request ref.
///
/// ```swift
/// let plans = PullRequestPlanService(handle: handle, client: client, git: cache, configuration: settings)
/// let admission = await plans.submit(event)   // from a verified webhook
/// try await plans.run()                        // in the ServiceGroup, on the leader
/// ```
public final class PullRequestPlanService: Service, Sendable {
    let handle: ControllerHandle
    let client: any KubernetesAPI
    let git: GitCache
    let configuration: PullRequestPlanConfiguration
    let logger: Logger
    let queue: Mutex<PullRequestPlanQueue>
    let wakeups: AsyncStream<Void>
    let wake: AsyncStream<Void>.Continuation

    /// Creates the service; plans start once `run` runs.
    public init(
        handle: ControllerHandle, client: any KubernetesAPI, git: GitCache, configuration: PullRequestPlanConfiguration,
        logger: Logger = Logger(label: "keelson.pr-plans")
    ) {
        self.handle = handle
        self.client = client
        self.git = git
        self.configuration = configuration
        self.logger = logger
        queue = Mutex(PullRequestPlanQueue(capacity: configuration.maximumQueued, concurrency: configuration.concurrency))
        (wakeups, wake) = AsyncStream.makeStream(of: Void.self, bufferingPolicy: .bufferingNewest(1))
    }

    /// Queues a plan of `event`'s head, or says why not.
    public func submit(_ event: PullRequestEvent) async -> PullRequestPlanAdmission {
        guard handle.isLeading else {
            return PullRequestPlanAdmission(queued: false, unavailable: true, message: "this replica is a standby; the leader plans pull requests")
        }
        // Before the first list every event would find no Application and be skipped for good;
        // the sender is asked to try again, as `/readyz` tells a load balancer.
        guard await handle.isReady else {
            return PullRequestPlanAdmission(
                queued: false, unavailable: true, message: "the controller has not listed the Applications yet; send the event again later")
        }
        if event.forge == .gitea && configuration.apiURLs[.gitea] == nil {
            record(event, "skipped")
            return PullRequestPlanAdmission(queued: false, unavailable: false, message: "no --pr-plans-api-url for gitea: Gitea has no public API")
        }
        let job: PullRequestPlanJob
        switch Self.job(for: event, applications: await handle.applications().compactMap(\.application), forks: configuration.forkRepositories) {
        case .success(let found): job = found
        case .failure(let skipped):
            record(event, "skipped")
            logger.info("pull request not planned", metadata: metadata(event).merging(["keelson.reason": "\(skipped.reason)"]) { $1 })
            return PullRequestPlanAdmission(queued: false, unavailable: false, message: skipped.reason)
        }
        let admission = queue.withLock { $0.admit(job) }
        switch admission {
        case .queued, .superseded:
            if case .superseded(let old) = admission { record(event, "superseded", note: "replaces the waiting plan of \(old.prefix(12))") }
            wake.yield()
            return PullRequestPlanAdmission(queued: true, unavailable: false, message: "planning pull request \(event.number) in the background")
        case .duplicate:
            return PullRequestPlanAdmission(queued: false, unavailable: false, message: "a plan of this head is already waiting or running")
        case .full:
            record(event, "dropped", note: "the queue is full")
            return PullRequestPlanAdmission(
                queued: false, unavailable: true, message: "\(configuration.maximumQueued) plans are waiting; send the event again later")
        }
    }

    /// Why a pull request is not planned.
    struct Skipped: Error, Hashable {
        var reason: String
    }

    /// The job for `event`: the Applications that follow its base repository and branch.
    /// Pure: the rules of what is planned, one per case.
    static func job(for event: PullRequestEvent, applications: [Application], forks: Set<String>) -> Result<PullRequestPlanJob, Skipped> {
        let repositories = Set(event.baseURLs.map(RepositoryURL.normalize))
        let sameRepository = applications.filter {
            $0.spec.source.chartRepository == nil && repositories.contains(RepositoryURL.normalize($0.spec.source.repoURL))
        }
        guard let first = sameRepository.first else { return .failure(Skipped(reason: "no Application follows this repository")) }
        let followers = sameRepository.filter { (try? Revision.parse($0.spec.source.revision)) == .branch(event.baseRef) }
        guard !followers.isEmpty else { return .failure(Skipped(reason: "no Application follows the base branch \(event.baseRef)")) }
        if event.isFork && forks.isDisjoint(with: repositories) {
            return .failure(Skipped(reason: "a pull request from a fork: plans of forks are off for this repository (--pr-plans-fork-repos)"))
        }
        let repository = RepositoryURL.normalize(first.spec.source.repoURL)
        return .success(PullRequestPlanJob(event: event, repository: repository, applications: followers.sorted { $0.id < $1.id }))
    }

    /// Plans what is queued, `concurrency` at a time, until the service group shuts down; plans
    /// under way then finish, waiting ones are dropped (a later event plans them again).
    public func run() async throws {
        await withDiscardingTaskGroup { group in
            for await _ in wakeups.cancelOnGracefulShutdown() {
                while let job = queue.withLock({ $0.take() }) {
                    group.addTask {
                        await self.execute(job)
                        self.queue.withLock { $0.finish(job.key) }
                        self.wake.yield()
                    }
                }
            }
        }
        let dropped = queue.withLock { $0.waiting.count }
        if dropped > 0 { logger.notice("stopped with pull-request plans waiting", metadata: ["keelson.dropped": "\(dropped)"]) }
    }

    /// Counts a plan's result, and logs it when `note` says why.
    func record(_ event: PullRequestEvent, _ result: String, note: String? = nil) {
        handle.metrics.record(.pullRequestPlan(forge: event.forge.rawValue, result: result))
        if let note { logger.info("pull request plan \(result)", metadata: metadata(event).merging(["keelson.reason": "\(note)"]) { $1 }) }
    }

    /// The log metadata naming a pull request.
    func metadata(_ event: PullRequestEvent) -> Logger.Metadata {
        [
            "keelson.forge": "\(event.forge.rawValue)", "keelson.project": "\(event.project)", "keelson.pr": "\(event.number)",
            "keelson.revision": "\(event.headSHA)",
        ]
    }
}
