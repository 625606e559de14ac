import Foundation
import KeelsonTesting
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A TCP socket listening on 127.0.0.1 at a free port.
final class ListeningSocket: Sendable {
    let descriptor: Int32
    let port: Int

    init() throws {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = 0
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { raw -> Int32 in
                guard bind(fd, raw, length) == 0, listen(fd, 16) == 0 else { return -1 }
                return getsockname(fd, raw, &length)
            }
        }
        guard fd >= 0, bound == 0 else { throw CocoaError(.fileWriteUnknown) }
        descriptor = fd
        port = Int(UInt16(bigEndian: address.sin_port))
    }

    func close() {
        shutdown(descriptor, Int32(SHUT_RDWR))
        _ = Glibc.close(descriptor)
    }
}

/// A server that completes TCP handshakes (the kernel does) but never answers: a hung remote.
typealias StallingServer = ListeningSocket

/// An HTTP server that answers every request with 401 and records the request headers.
final class UnauthorizedHTTPServer: Sendable {
    let socket: ListeningSocket
    private let headers = Mutex<[String]>([])

    init() throws {
        socket = try ListeningSocket()
        let thread = Thread { [self] in serve() }
        thread.start()
    }

    var port: Int { socket.port }
    var requests: [String] { headers.withLock { $0 } }

    private func serve() {
        while true {
            let client = accept(socket.descriptor, nil, nil)
            if client < 0 { return }
            var data = [UInt8]()
            var buffer = [UInt8](repeating: 0, count: 4096)
            while !String(decoding: data, as: UTF8.self).contains("\r\n\r\n") {
                let count = read(client, &buffer, buffer.count)
                if count <= 0 { break }
                data += buffer[0..<count]
            }
            headers.withLock { $0.append(String(decoding: data, as: UTF8.self)) }
            let reply = "HTTP/1.1 401 Unauthorized\r\nWWW-Authenticate: Basic realm=\"git\"\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"
            _ = reply.withCString { write(client, $0, strlen($0)) }
            _ = Glibc.close(client)
        }
    }

    func stop() { socket.close() }
}

/// `git daemon` serving a folder of bare repositories on 127.0.0.1 at a free port.
final class GitDaemon: Sendable {
    let port: Int
    private let process: Process

    init(basePath: String) async throws {
        let probe = try ListeningSocket()
        port = probe.port
        probe.close()
        // Run git-daemon itself: the `git daemon` wrapper does not pass SIGTERM on.
        let execPath = try await ProcessRunner.run("git", ["--exec-path"]).output.trimmingCharacters(in: .whitespacesAndNewlines)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: execPath + "/git-daemon")
        process.arguments = ["--reuseaddr", "--export-all", "--base-path=\(basePath)", "--listen=127.0.0.1", "--port=\(port)", basePath]
        process.environment = TestRepository.environment
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        self.process = process
        // Wait until it accepts connections (a minute: only a last guard on a loaded machine).
        let deadline = ContinuousClock.now + .seconds(60)
        while ContinuousClock.now < deadline {
            if Self.canConnect(port) { return }
            try await Task.sleep(for: .milliseconds(50))
        }
        process.terminate()
        throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "git daemon did not start"])
    }

    func url(_ name: String) -> String { "git://127.0.0.1:\(port)/\(name)" }

    func stop() {
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
    }

    private static func canConnect(_ port: Int) -> Bool {
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        defer { _ = Glibc.close(fd) }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        address.sin_port = UInt16(port).bigEndian
        return withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }
}
