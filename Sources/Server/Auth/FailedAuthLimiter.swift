import Synchronization

/// A token bucket per client address that only failed authentications drain: a client may fail
/// `burst` times at once, then once per `refill`; while its bucket is empty wrong tokens are
/// answered 429 without being counted or audited. Valid tokens never consult it, so nobody
/// behind the same address is locked out by another's failures.
public final class FailedAuthLimiter: Sendable {
    struct Bucket {
        var tokens: Double
        var updated: ContinuousClock.Instant
    }

    let burst: Double
    let perSecond: Double
    /// The most addresses tracked; the oldest are forgotten beyond it, so a flood of addresses cannot exhaust memory.
    let maximumClients = 10_000
    private let buckets = Mutex<[String: Bucket]>([:])

    /// Allows `burst` failures at once, refilled at `perSecond`.
    public init(burst: Int = 10, perSecond: Double = 0.5) {
        self.burst = Double(max(1, burst))
        self.perSecond = perSecond
    }

    /// Whether `client` may try to authenticate now.
    public func allows(_ client: String) -> Bool {
        buckets.withLock { buckets in
            guard let bucket = buckets[client] else { return true }
            return refilled(bucket).tokens >= 1
        }
    }

    /// Records a failed attempt by `client`.
    public func recordFailure(_ client: String) {
        buckets.withLock { buckets in
            var bucket = buckets[client].map(refilled) ?? Bucket(tokens: burst, updated: .now)
            bucket.tokens = max(0, bucket.tokens - 1)
            if buckets.count >= maximumClients, buckets[client] == nil {
                // Drop the entries that have refilled completely: they hold no information.
                buckets = buckets.filter { refilled($0.value).tokens < burst }
                if buckets.count >= maximumClients, let oldest = buckets.min(by: { $0.value.updated < $1.value.updated }) {
                    buckets[oldest.key] = nil
                }
            }
            buckets[client] = bucket
        }
    }

    /// Counts one more failure by `client` if its bucket allows it: whether it did. Unauthenticated
    /// refusals (bad webhook signatures) are audited only when it does, so a flood of them writes
    /// at most the bucket's worth of lines per address.
    public func admit(_ client: String) -> Bool {
        guard allows(client) else { return false }
        recordFailure(client)
        return true
    }

    /// Seconds until `client` may try again (at least 1).
    public func retryAfter(_ client: String) -> Int {
        buckets.withLock { buckets in
            guard let bucket = buckets[client].map(refilled), bucket.tokens < 1 else { return 1 }
            return max(1, Int(((1 - bucket.tokens) / perSecond).rounded(.up)))
        }
    }

    private func refilled(_ bucket: Bucket) -> Bucket {
        let now = ContinuousClock.now
        let elapsed = now - bucket.updated
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return Bucket(tokens: min(burst, bucket.tokens + seconds * perSecond), updated: now)
    }
}
