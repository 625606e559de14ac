import Foundation
import KeelsonTesting

/// A small HTTP server in Python, run as a child process on a free loopback port, that logs one
/// line per request to a file: the request's `Authorization` header, or `none`.
///
/// Modes: `record` answers 401 asking for basic auth; `redirect TARGET [USER PASSWORD]` answers
/// 301 to TARGET + path (after checking basic auth when USER is given); `stall USER PASSWORD`
/// answers 401 until the request carries those credentials, then never answers.
final class ScriptedHTTPServer: Sendable {
    let port: Int
    let log: String
    private let process: BackgroundProcess

    static let script = #"""
        import base64, http.server, sys, time
        mode, port, log = sys.argv[1], int(sys.argv[2]), sys.argv[3]
        rest = sys.argv[4:]
        def basic(user, password): return "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_GET(self):
                given = self.headers.get("Authorization")
                with open(log, "a") as f: f.write((given or "none") + "\n")
                if mode == "redirect" and (len(rest) == 1 or given == basic(rest[1], rest[2])):
                    self.send_response(301)
                    self.send_header("Location", rest[0] + self.path)
                elif mode == "stall" and given == basic(rest[0], rest[1]):
                    time.sleep(3600)
                    return
                else:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="git"')
                self.send_header("Content-Length", "0")
                self.end_headers()
            do_POST = do_GET
        server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        server.daemon_threads = True
        server.serve_forever()
        """#

    /// Starts the server in `folder` (which holds the script and the log) in `mode` with `arguments`.
    init(_ mode: String, _ arguments: [String] = [], in folder: TemporaryDirectory) async throws {
        port = try Ports.free()
        let script = folder.path + "/server-\(port).py"
        try Self.script.write(toFile: script, atomically: true, encoding: .utf8)
        log = folder.path + "/server-\(port).log"
        FileManager.default.createFile(atPath: log, contents: nil)
        process = try BackgroundProcess("python3", [script, mode, "\(port)", log] + arguments, log: folder.path + "/server-\(port).out")
        // Python starts slowly on a loaded machine; this only bounds a server that never starts.
        try await Ports.waitUntilListening(port, timeout: .seconds(60))
    }

    /// The `Authorization` header of every request so far (`none` when there was none).
    var authorizations: [String] {
        ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }

    func stop() { process.kill() }

    /// The header value basic authentication with `user` and `password` produces.
    static func basic(_ user: String, _ password: String) -> String {
        "Basic " + Data("\(user):\(password)".utf8).base64EncodedString()
    }
}
