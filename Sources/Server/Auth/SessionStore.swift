import Crypto
import Foundation
import KeelsonFoundation
import Synchronization

/// Dashboard sessions, kept in the server's memory: the `keelson_session` cookie holds a random
/// id, never the token. A session ends when unused for `idleTimeout`, after `lifetime` whatever
/// its use, on logout, or when the server restarts. Ids are stored as SHA-256 hashes.
///
/// ```swift
/// let sessions = SessionStore(idleTimeout: .seconds(3600), lifetime: .seconds(12 * 3600))
/// let id = sessions.start(principal)        // the cookie's value
/// sessions.principal(id)                    // the caller, until it expires
/// sessions.end(id)                          // logout
/// ```
public final class SessionStore: Sendable {
    struct Session: Sendable {
        var principal: Principal
        var started: Duration
        var lastUsed: Duration
    }

    /// How long a session lives unused.
    public let idleTimeout: Duration
    /// How long a session lives at most.
    public let lifetime: Duration
    /// The most sessions kept; starting one more ends the least recently used.
    public let maximumSessions: Int
    private let elapsed: @Sendable () -> Duration
    private let sessions = Mutex<[String: Session]>([:])

    /// Creates an empty store.
    public init(
        idleTimeout: Duration = .seconds(3600), lifetime: Duration = .seconds(12 * 3600), maximumSessions: Int = 10_000,
        clock: any Clock<Duration> = ContinuousClock()
    ) {
        self.idleTimeout = idleTimeout
        self.lifetime = lifetime
        self.maximumSessions = max(1, maximumSessions)
        elapsed = clock.stopwatch()
    }

    /// Starts a session for `principal` and returns its id (64 hex digits from the system's CSPRNG).
    public func start(_ principal: Principal) -> String {
        var generator = SystemRandomNumberGenerator()
        let id = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let now = elapsed()
        sessions.withLock { sessions in
            if sessions.count >= maximumSessions {
                sessions = sessions.filter { !isExpired($0.value, now) }
                if sessions.count >= maximumSessions, let oldest = sessions.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                    sessions[oldest.key] = nil
                }
            }
            sessions[Self.key(id)] = Session(principal: principal, started: now, lastUsed: now)
        }
        return id
    }

    /// The principal of session `id` while it lives (and marks it used); `nil` once expired or ended.
    public func principal(_ id: String) -> Principal? {
        guard id.utf8.count == 64 else { return nil }
        let key = Self.key(id)
        let now = elapsed()
        return sessions.withLock { sessions in
            guard var session = sessions[key] else { return nil }
            guard !isExpired(session, now) else {
                sessions[key] = nil
                return nil
            }
            session.lastUsed = now
            sessions[key] = session
            return session.principal
        }
    }

    /// Whether session `id` still lives, without counting this as a use (open event streams ask).
    public func isLive(_ id: String) -> Bool {
        let key = Self.key(id)
        let now = elapsed()
        return sessions.withLock { sessions in sessions[key].map { !isExpired($0, now) } ?? false }
    }

    /// Ends session `id` (logout); unknown ids are ignored.
    public func end(_ id: String) {
        let key = Self.key(id)
        sessions.withLock { _ = $0.removeValue(forKey: key) }
    }

    /// Sessions kept now (expired ones included until they are next looked at).
    public var count: Int { sessions.withLock { $0.count } }

    private func isExpired(_ session: Session, _ now: Duration) -> Bool {
        now - session.lastUsed >= idleTimeout || now - session.started >= lifetime
    }

    private static func key(_ id: String) -> String {
        SHA256.hash(data: Data(id.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
