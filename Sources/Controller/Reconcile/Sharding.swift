import KeelsonFoundation
import Kube
import Synchronization

/// How replicas share the Applications, as Argo CD's controller shards clusters.
public enum ShardingMode: Sendable {
    /// This replica is shard `index` of `count` (`--shard K/N`): it owns the Applications whose
    /// hash modulo `count` is `index`.
    case manual(index: Int, count: Int)
    /// Every replica holds a membership Lease (`--shards auto`); an Application belongs to the
    /// live member its rendezvous hash picks, so when a member leaves only its Applications move,
    /// and when one joins about 1/N of them do. `settings.name` is the group.
    case auto(LeaderElectionSettings)
}

/// Which replica owns an Application. An Application annotated `keelson.dev/shard: K` belongs
/// to shard K modulo N (`--shard K/N`), or to the live member at K modulo their count, in name
/// order (`--shards auto`).
enum ShardAssignment {
    static let annotation = "keelson.dev/shard"

    /// The override an Application's annotations ask for, if any.
    static func override(_ annotations: [String: String]) -> Int? {
        annotations[annotation].flatMap { Int($0.trimmingCharacters(in: .whitespaces)) }.flatMap { $0 >= 0 ? $0 : nil }
    }

    /// The shard of `app` among `count`.
    static func shard(of app: String, count: Int, override: Int?) -> Int {
        if let override { return override % count }
        return Int(mix(FNV1a.hash64(app.utf8)) % UInt64(count))
    }

    /// The member of `members` (sorted) that owns `app`: the one with the highest weight for it.
    static func owner(of app: String, members: [String], override: Int?) -> String? {
        guard !members.isEmpty else { return nil }
        if let override { return members[override % members.count] }
        return members.max { weight($0, app) < weight($1, app) }
    }

    /// The rendezvous weight of `member` for `app`.
    static func weight(_ member: String, _ app: String) -> UInt64 {
        mix(FNV1a.hash64((member + "\n" + app).utf8))
    }

    /// SplitMix64's finalizer: spreads FNV's output so weights of similar strings are unrelated.
    static func mix(_ value: UInt64) -> UInt64 {
        var z = value &+ 0x9e37_79b9_7f4a_7c15
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return z ^ (z >> 31)
    }
}

/// This replica's share of the Applications. In auto mode:
///
/// - an Application that comes to this replica after the members changed is taken only once the
///   new view has held for `settle` (unless it was already this replica's in the last settled
///   view), so the replica giving it up, which starts no reconcile of it once it sees the change,
///   has that long to see it (a reconcile it already started runs to its end);
/// - a replica whose own Lease was not renewed within the renew deadline owns nothing: the
///   others count it out after the lease duration, which is longer.
final class ShardOwnership: Sendable {
    let mode: ShardingMode
    let identity: String
    let settle: Duration
    let renewDeadline: Duration
    let clock: any Clock<Duration>
    private let view = Mutex<(current: [String], settled: [String], since: (@Sendable () -> Duration)?)>(([], [], nil))
    private let lastRenewal = Mutex<(@Sendable () -> Duration)?>(nil)

    init(mode: ShardingMode) {
        self.mode = mode
        switch mode {
        case .manual:
            identity = ""
            settle = .zero
            renewDeadline = .zero
            clock = ContinuousClock()
        case .auto(let settings):
            identity = settings.identity
            settle = settings.retryPeriod * 2
            renewDeadline = settings.renewDeadline
            clock = settings.clock
        }
    }

    /// Records that this replica's Lease was renewed, by a renewal sent `sinceSent()` ago.
    func renewed(sinceSent: @escaping @Sendable () -> Duration) {
        lastRenewal.withLock { $0 = sinceSent }
    }

    /// Records the live members (sorted).
    func update(members: [String]) {
        let settle = settle
        let stopwatch = clock.stopwatch()
        view.withLock { view in
            guard members != view.current else { return }
            if let since = view.since, since() >= settle { view.settled = view.current }
            view.current = members
            view.since = stopwatch
        }
    }

    /// The live members as last seen.
    var members: [String] { view.withLock { $0.current } }

    /// Whether this replica reconciles `app` now.
    func owns(_ app: String, annotations: [String: String]) -> Bool {
        let override = ShardAssignment.override(annotations)
        switch mode {
        case .manual(let index, let count):
            return ShardAssignment.shard(of: app, count: count, override: override) == index
        case .auto:
            guard let renewal = lastRenewal.withLock({ $0 }), renewal() < renewDeadline else { return false }
            let (current, settled, since) = view.withLock { ($0.current, $0.settled, $0.since) }
            guard ShardAssignment.owner(of: app, members: current, override: override) == identity else { return false }
            if ShardAssignment.owner(of: app, members: settled, override: override) == identity { return true }
            return (since?() ?? .zero) >= settle
        }
    }
}
