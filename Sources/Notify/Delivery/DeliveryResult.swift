/// What one delivery came to: how many requests were tried, the last HTTP status, and whether
/// the notification arrived.
///
/// Both `delivered` and `skipped` are final: the event's ledger entry may be written. So is a
/// permanent failure; a failure that is not permanent leaves the event to be detected again.
public struct DeliveryResult: Sendable, Hashable, CustomStringConvertible {
    /// Requests sent, retries included (for forges: one plus the retries of its API calls).
    public var attempts: Int
    /// The HTTP status of the last answer, when there was one (forges report it only on failure).
    public var statusCode: Int?
    /// What came of it.
    public var outcome: DeliveryOutcome

    /// Creates a result.
    public init(attempts: Int, statusCode: Int? = nil, outcome: DeliveryOutcome) {
        self.attempts = attempts
        self.statusCode = statusCode
        self.outcome = outcome
    }

    /// Nothing was sent, for `reason`.
    public static func skipped(_ reason: String) -> DeliveryResult {
        DeliveryResult(attempts: 0, outcome: .skipped(reason: reason))
    }

    /// Whether the notification arrived.
    public var isDelivered: Bool { outcome == .delivered }

    /// The failure, if it failed.
    public var failure: DeliveryFailure? {
        if case .failed(let failure) = outcome { failure } else { nil }
    }

    /// `delivered (HTTP 200, 3 attempts)`, `skipped: …`, `failed: HTTP 400 from provider hook …`.
    public var description: String {
        let tries = "\(attempts) attempt" + (attempts == 1 ? "" : "s")
        switch outcome {
        case .delivered: return "delivered (" + (statusCode.map { "HTTP \($0), " } ?? "") + tries + ")"
        case .skipped(let reason): return "skipped: \(reason)"
        case .failed(let failure): return "failed: \(failure) after \(tries)"
        }
    }
}

/// Whether a notification arrived.
public enum DeliveryOutcome: Sendable, Hashable {
    /// The service accepted it.
    case delivered
    /// Nothing was sent, and nothing needs to be: the event means nothing to this provider
    /// (no incident for PagerDuty, no commit status for `drift-detected`), the app deploys from
    /// another repository than the provider's, or the forge already shows this status.
    case skipped(reason: String)
    /// It did not arrive.
    case failed(DeliveryFailure)
}
