/// How many pods each copy gets for a weight: the one home of the replica arithmetic, shared by
/// the machine (what to wait for) and the overlay (what to write).
public enum RolloutReplicas {
    /// The canary's size for `weight` percent of `total` replicas.
    ///
    /// Without a router the share of traffic is the share of ready pods, so both copies round up
    /// as Argo Rollouts' basic canary does (10 replicas at 15 % → 2 canary, 9 stable). With a
    /// router the stable stays full and the canary is sized by weight. When Git leaves the size
    /// to an HPA ("surge"), the stable is left alone and the canary is sized so it holds
    /// `weight` percent of all pods.
    public static func canary(weight: Int, total: Int, mode: Mode) -> Int {
        guard weight > 0, total > 0 else { return 0 }
        switch mode {
        case .shift, .routed: return max(1, ceilDiv(total * weight, 100))
        case .surge:
            guard weight < 100 else { return total }
            return max(1, Int((Double(total * weight) / Double(100 - weight)).rounded()))
        }
    }

    /// The stable's size in shift mode: scaled down only as far as ready canary pods make up for.
    public static func stable(weight: Int, total: Int, canaryReady: Int) -> Int {
        let share = ceilDiv(total * (100 - min(max(weight, 0), 100)), 100)
        return min(total, max(share, total - canaryReady))
    }

    /// How the copies share pods.
    public enum Mode: Sendable, Hashable {
        /// No router, Git sets the size: the total stays put.
        case shift
        /// No router, an HPA or the cluster sets the size: the stable is left alone.
        case surge
        /// A router moves traffic: the stable stays full.
        case routed
    }

    static func ceilDiv(_ a: Int, _ b: Int) -> Int { (a + b - 1) / b }
}
