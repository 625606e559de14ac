import Controller
import SCM

/// One pull request's plan to make: the event, and the Applications that follow its base branch.
public struct PullRequestPlanJob: Sendable, Hashable {
    /// Which pull request: its base repository (normalised) and number.
    public struct Key: Sendable, Hashable {
        /// The base repository, normalised.
        public var repository: String
        /// The pull request number.
        public var number: Int
    }

    /// What the forge told.
    public var event: PullRequestEvent
    /// The base repository, normalised, as the Applications name it.
    public var repository: String
    /// The Applications the controller follows on the base branch, sorted by id.
    public var applications: [Application]

    /// Which pull request this plans.
    public var key: Key { Key(repository: repository, number: event.number) }
}

/// The plans waiting and running: at most one per pull request at a time, a newer head replaces
/// the one waiting for the same pull request, at most `capacity` wait and `concurrency` run.
/// Pure: the service does the I/O.
struct PullRequestPlanQueue: Sendable {
    /// What became of a job offered to the queue.
    enum Admission: Sendable, Hashable {
        /// It waits.
        case queued
        /// It replaced the waiting job of the same pull request, whose head it names.
        case superseded(String)
        /// The same head already waits or runs.
        case duplicate
        /// Too many wait.
        case full
    }

    /// The most jobs waiting.
    let capacity: Int
    /// The most jobs running.
    let concurrency: Int
    /// Waiting jobs, oldest first.
    private(set) var waiting: [PullRequestPlanJob] = []
    /// The head each running pull request is planned at.
    private(set) var running: [PullRequestPlanJob.Key: String] = [:]

    init(capacity: Int, concurrency: Int) {
        self.capacity = max(1, capacity)
        self.concurrency = max(1, concurrency)
    }

    /// Queues `job`, replacing a waiting job of the same pull request (it keeps that place).
    mutating func admit(_ job: PullRequestPlanJob) -> Admission {
        let head = job.event.headSHA
        if let index = waiting.firstIndex(where: { $0.key == job.key }) {
            let old = waiting[index].event.headSHA
            waiting[index] = job
            return old == head ? .duplicate : .superseded(old)
        }
        if running[job.key] == head { return .duplicate }
        guard waiting.count < capacity else { return .full }
        waiting.append(job)
        return .queued
    }

    /// The oldest waiting job whose pull request is not being planned, marked running; nil when
    /// none may start.
    mutating func take() -> PullRequestPlanJob? {
        guard running.count < concurrency, let index = waiting.firstIndex(where: { running[$0.key] == nil }) else { return nil }
        let job = waiting.remove(at: index)
        running[job.key] = job.event.headSHA
        return job
    }

    /// Marks the pull request's running plan done.
    mutating func finish(_ key: PullRequestPlanJob.Key) { running[key] = nil }
}
