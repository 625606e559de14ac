import Foundation

/// What the notification service remembers between wakes: per Application the snapshot its
/// last detected transition leads to (so a transition is detected once), the transitions
/// waiting to be delivered (in order, one Application's at a time), when a failed one may try
/// again, the rate limit's ledger, and each Alert's last delivery.
actor NotifierState {
    /// Per Application, the snapshot its last detected transition leads to.
    var baseline: [String: AppSnapshot] = [:]
    /// Per Application, its transitions waiting to be delivered, oldest first.
    var queues: [String: [NotificationWork]] = [:]
    var inFlight: Set<String> = []
    var retryAt: [String: Date] = [:]
    var sent: [String: Date] = [:]
    var lastDelivery: [String: LastDelivery] = [:]

    func setBaseline(_ app: String, _ snapshot: AppSnapshot) { baseline[app] = snapshot }

    /// Queues a transition behind the Application's others: they are delivered in order.
    func enqueue(_ work: NotificationWork) { queues[work.app, default: []].append(work) }

    /// The oldest transition of each Application that may be delivered now (none in flight, no
    /// retry pending), at most `limit` in all counting those in flight; each is marked in flight.
    func next(now: Date, limit: Int) -> [NotificationWork] {
        var out: [NotificationWork] = []
        for app in queues.keys.sorted() {
            guard inFlight.count < limit else { break }
            guard !inFlight.contains(app), let head = queues[app]?.first else { continue }
            if let at = retryAt[app], at > now { continue }
            retryAt[app] = nil
            inFlight.insert(app)
            out.append(head)
        }
        return out
    }

    /// The oldest transition of `app` was delivered (or refused for good).
    func finished(_ app: String) {
        inFlight.remove(app)
        queues[app]?.removeFirst()
        if queues[app]?.isEmpty == true { queues[app] = nil }
    }

    /// Some deliveries of the oldest transition of `app` failed for now: the others (`done`)
    /// are kept, and it is tried again at `time`.
    func failed(_ app: String, retryAt time: Date, done: Set<Int>) {
        inFlight.remove(app)
        retryAt[app] = time
        guard var head = queues[app]?.first else { return }
        head.done = done
        head.attempts += 1
        queues[app]?[0] = head
    }

    /// Drops what is kept for Applications that no longer exist.
    func forget(keeping apps: Set<String>) {
        baseline = baseline.filter { apps.contains($0.key) }
        queues = queues.filter { apps.contains($0.key) || inFlight.contains($0.key) }
        retryAt = retryAt.filter { apps.contains($0.key) }
    }

    /// Whether `key` was sent within `interval` before `now` (the rate limit).
    func recentlySent(_ key: String, interval: Duration, now: Date) -> Bool {
        let seconds = Double(interval.components.seconds) + Double(interval.components.attoseconds) / 1e18
        guard let last = sent[key] else { return false }
        return now.timeIntervalSince(last) < seconds
    }

    /// Records that `key` was delivered at `now`.
    func markSent(_ key: String, now: Date) {
        sent[key] = now
        if sent.count > 10_000 { sent = sent.filter { now.timeIntervalSince($0.value) < 3600 } }
    }

    func record(_ delivery: LastDelivery, alert: String) { lastDelivery[alert] = delivery }

    func snapshotDeliveries() -> [String: LastDelivery] { lastDelivery }
}

/// One Alert's last delivery, as its status and `keelson notify list` show it.
public struct LastDelivery: Sendable, Hashable {
    public var time: Date
    public var event: String
    public var application: String
    /// `Delivered`, `Skipped`, `Suppressed` or `Failed`.
    public var result: String
    public var code: Int?
    /// For failures: the message (never a URL beyond its first segment, never a credential).
    public var message: String
    public var permanent: Bool
}
