import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for servers a test starts as child processes (which cannot report a port 0 bind).
public enum Ports {
    /// Calls `body` with a socket and the address 127.0.0.1:`port`.
    static func withLoopback<T>(_ port: Int, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// A TCP port on 127.0.0.1 for a child server to listen on: free now, never handed out before
    /// in this process, and outside the kernel's ephemeral range, so neither a server here binding
    /// port 0 nor an outgoing connection's source port can take it before the child binds it.
    public static func free() throws -> Int {
        let (low, high) = candidates
        for _ in 0..<1000 {
            let port = Int.random(in: low...high)
            guard handedOut.withLock({ !$0.contains(port) }), isFree(port) else { continue }
            if handedOut.withLock({ $0.insert(port).inserted }) { return port }
        }
        throw POSIXError(.EADDRINUSE)
    }

    /// Ports `free` returned, so two tests starting servers at once never get the same one.
    private static let handedOut = Mutex<Set<Int>>([])

    /// The range `free` draws from: unprivileged ports outside the ephemeral range where it leaves room.
    static let candidates: (Int, Int) = {
        let range = (try? String(contentsOfFile: "/proc/sys/net/ipv4/ip_local_port_range", encoding: .utf8)) ?? ""
        let bounds = range.split(whereSeparator: \.isWhitespace).compactMap { Int($0) }
        let (low, high) = bounds.count == 2 ? (bounds[0], bounds[1]) : (32768, 60999)
        if low > 11000 { return (10000, low - 1) }
        if high < 64000 { return (high + 1, 65535) }
        return (10000, 65535)
    }()

    /// Whether 127.0.0.1:`port` can be bound (without `SO_REUSEADDR`, so a port in TIME_WAIT is not free).
    static func isFree(_ port: Int) -> Bool {
        withLoopback(port) { fd, address, length in
            defer { close(fd) }
            return fd >= 0 && bind(fd, address, length) == 0
        }
    }

    /// Binds 127.0.0.1:`port` without listening, so connections are refused and no other server
    /// takes the port while a test's own server is down. Returns the socket to pass to `release`.
    public static func hold(_ port: Int, timeout: Duration = .seconds(10)) async throws -> Int32 {
        let deadline = ContinuousClock.now + timeout
        while true {
            let fd = withLoopback(port) { fd, address, length -> Int32 in
                var yes: Int32 = 1
                setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &yes, socklen_t(MemoryLayout<Int32>.size))
                if bind(fd, address, length) == 0 { return fd }
                close(fd)
                return -1
            }
            if fd >= 0 { return fd }
            guard ContinuousClock.now < deadline else { throw POSIXError(.EADDRINUSE) }
            try await Task.sleep(for: .milliseconds(50))
        }
    }

    /// Releases a port taken with `hold`.
    public static func release(_ socket: Int32) { close(socket) }

    /// Waits until something accepts connections on 127.0.0.1:`port`.
    public static func waitUntilListening(_ port: Int, timeout: Duration = .seconds(10)) async throws {
        let deadline = ContinuousClock.now + timeout
        while ContinuousClock.now < deadline {
            if isListening(port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw POSIXError(.ETIMEDOUT)
    }

    /// Whether something accepts connections on 127.0.0.1:`port` now.
    public static func isListening(_ port: Int) -> Bool {
        withLoopback(port) { fd, address, length in
            defer { close(fd) }
            return connect(fd, address, length) == 0
        }
    }
}
