import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The process's file descriptors and the server's share of them. At start-up the soft
/// `RLIMIT_NOFILE` is raised to the hard limit; the server may then hold what is left after a
/// reserve for the Kubernetes client's connections (its watches among them), Git processes and
/// files, so a flood of connections is refused by the server long before `accept`, the client or
/// Git runs out of descriptors.
public struct FileDescriptorBudget: Sendable, Hashable {
    /// The soft limit in force (after raising it).
    public var limit: Int
    /// Descriptors open when the budget was taken.
    public var openAtStart: Int
    /// Descriptors kept for everything but the server's connections.
    public var reserve: Int

    /// Descriptors kept for Git processes (two socket pairs each while one starts) and files,
    /// beside the client's connections.
    public static let processesAndFiles = 64

    /// A budget for `limit` descriptors, `openAtStart` of them already open, beside a Kubernetes
    /// client that opens up to `clientConnections`. The reserve is a quarter of the limit, but
    /// never less than the client's connections and `processesAndFiles`, and at most 4096.
    public init(limit: Int, openAtStart: Int, clientConnections: Int) {
        self.limit = limit
        self.openAtStart = openAtStart
        reserve = min(4096, max(clientConnections + Self.processesAndFiles, limit / 4))
    }

    /// Connections past the cap that are still accepted, only to be answered 503 and closed at
    /// once; beyond them the server stops accepting until some close.
    public static let refusalHeadroom = 64

    /// The most connections the server serves at once (at least 8, at most 16,384), so that with
    /// the refusal headroom it never holds more than the limit less the reserve.
    public var maximumConnections: Int { min(16_384, max(8, limit - openAtStart - reserve - Self.refusalHeadroom)) }

    /// The most event streams open at once: a quarter of the connections (at least 4, at most 1,024).
    public var maximumEventStreams: Int { min(1024, max(4, maximumConnections / 4)) }

    /// Raises the soft `RLIMIT_NOFILE` to the hard limit (capped at 1,048,576) and returns the
    /// budget under it beside a client of `clientConnections`; when the limit cannot be read, a
    /// budget for 1,024.
    public static func raiseLimit(clientConnections: Int) -> FileDescriptorBudget {
        var limits = rlimit()
        guard getrlimit(Int32(RLIMIT_NOFILE.rawValue), &limits) == 0 else {
            return FileDescriptorBudget(limit: 1024, openAtStart: openNow(), clientConnections: clientConnections)
        }
        let target = min(limits.rlim_max, 1 << 20)
        if limits.rlim_cur < target {
            var raised = limits
            raised.rlim_cur = target
            if setrlimit(Int32(RLIMIT_NOFILE.rawValue), &raised) == 0 { limits = raised }
        }
        return FileDescriptorBudget(limit: Int(limits.rlim_cur), openAtStart: openNow(), clientConnections: clientConnections)
    }

    /// Descriptors open now (`/proc/self/fd`; 32 where it cannot be listed).
    static func openNow() -> Int {
        (try? FileManager.default.contentsOfDirectory(atPath: "/proc/self/fd").count) ?? 32
    }
}
