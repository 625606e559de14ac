import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Loopback ports for servers a test starts as child processes (which cannot report a port 0 bind).
public enum Ports {
    /// Calls `body` with a socket and the address 127.0.0.1:`port`.
    static func withLoopback<T>(_ port: Int, _ body: (Int32, UnsafePointer<sockaddr>, socklen_t) -> T) -> T {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = in_port_t(UInt16(port).bigEndian)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { body(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
    }

    /// A TCP port on 127.0.0.1 that was free a moment ago (bound to port 0, then released).
    public static func free() throws -> Int {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw POSIXError(.EMFILE) }
        defer { close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = 0
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) } }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        let named = withUnsafeMutablePointer(to: &address) { $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) } }
        guard named == 0 else { throw POSIXError(.EADDRINUSE) }
        return Int(UInt16(bigEndian: address.sin_port))
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
            let connected = withLoopback(port) { fd, address, length in
                defer { close(fd) }
                return connect(fd, address, length) == 0
            }
            if connected { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw POSIXError(.ETIMEDOUT)
    }
}
