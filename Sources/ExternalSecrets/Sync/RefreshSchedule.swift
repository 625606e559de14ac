import Crypto
import Foundation
import Manifests

/// When an ExternalSecret is fetched again: ESO's rules for `refreshPolicy` and
/// `refreshInterval`, as a pure decision.
public enum RefreshSchedule {
    /// The decision.
    public enum Decision: Sendable, Hashable {
        /// Fetch now.
        case now
        /// Fetch once this much more time has passed.
        case after(Duration)
        /// Not again until the spec (or metadata) changes.
        case never
    }

    /// Decides for one ExternalSecret.
    /// - Parameters:
    ///   - currentVersion: `syncedVersion(of:)` of the object now.
    ///   - syncedVersion: the version the last successful sync saw, `nil` when none succeeded.
    ///   - sinceLastRefresh: how long ago that sync was (negative when its time lies in the future).
    public static func decide(
        policy: ExternalSecret.RefreshPolicy, interval: Duration, currentVersion: String, syncedVersion: String?, sinceLastRefresh: Duration?
    ) -> Decision {
        guard let syncedVersion, let since = sinceLastRefresh else { return .now }
        switch policy {
        case .createdOnce:
            return .never
        case .onChange:
            return syncedVersion == currentVersion ? .never : .now
        case .periodic:
            if syncedVersion != currentVersion { return .now }
            // A zero interval fetches once per change of the spec.
            if interval <= .zero { return .never }
            if since < .zero || since >= interval { return .now }
            return .after(interval - since)
        }
    }

    /// How long after its `failures`-th failure in a row a sync is tried again: `base`, doubled
    /// with every further failure, at most `maximum` (never less than `base`).
    public static func retryDelay(base: Duration, failures: Int, maximum: Duration) -> Duration {
        let doublings = min(max(failures - 1, 0), 30)
        let delay = base * (1 << doublings)
        return min(delay, max(base, maximum))
    }

    /// ESO's `syncedResourceVersion`: the generation and a hash of the labels and annotations, so
    /// that annotating an ExternalSecret (`force-sync=…`) fetches it again.
    public static func syncedVersion(of object: Manifest) -> String {
        let generation = object.metadata["generation"]?.intValue ?? 0
        var metadata = JSONObject()
        for (field, map) in [("labels", object.labels), ("annotations", object.annotations)] {
            var sorted = JSONObject()
            for key in map.keys.sorted() { sorted[key] = map[key].map(JSONValue.string) }
            metadata[field] = .object(sorted)
        }
        let digest = SHA256.hash(data: Array(JSONWriter.compact(.object(metadata)).utf8))
        return "\(generation)-" + digest.prefix(12).map { String(format: "%02x", $0) }.joined()
    }
}
