import Foundation

/// `git http-backend` behind basic authentication, in a few lines of Python, for tests that need
/// a Git server asking for credentials: `python3 SCRIPT ROOT PORT USER PASSWORD` serves the
/// repositories under ROOT at `http://127.0.0.1:PORT/` (push included).
public enum GitHTTPServer {
    /// The Python program.
    public static let script = #"""
        import base64, http.server, os, subprocess, sys
        root, port, user, password = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
        expected = "Basic " + base64.b64encode(f"{user}:{password}".encode()).decode()
        class Handler(http.server.BaseHTTPRequestHandler):
            def log_message(self, *args): pass
            def do_GET(self): self.serve()
            def do_POST(self): self.serve()
            def serve(self):
                if self.headers.get("Authorization") != expected:
                    self.send_response(401)
                    self.send_header("WWW-Authenticate", 'Basic realm="git"')
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                path, _, query = self.path.partition("?")
                env = dict(os.environ, GIT_PROJECT_ROOT=root, GIT_HTTP_EXPORT_ALL="1", PATH_INFO=path, QUERY_STRING=query,
                           REQUEST_METHOD=self.command, CONTENT_TYPE=self.headers.get("Content-Type", ""), REMOTE_USER=user,
                           HTTP_CONTENT_ENCODING=self.headers.get("Content-Encoding", ""), GIT_PROTOCOL=self.headers.get("Git-Protocol", ""))
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                out = subprocess.run(["git", "http-backend"], input=body, env=env, capture_output=True).stdout
                separator = b"\r\n\r\n" if b"\r\n\r\n" in out else b"\n\n"
                head, _, rest = out.partition(separator)
                status, headers = 200, []
                for line in head.decode().splitlines():
                    name, _, value = line.partition(":")
                    if name.lower() == "status": status = int(value.split()[0])
                    elif name: headers.append((name, value.strip()))
                self.send_response(status)
                for name, value in headers: self.send_header(name, value)
                self.send_header("Content-Length", str(len(rest)))
                self.end_headers()
                self.wfile.write(rest)
        http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
        """#

    /// Starts the server on `port` for the repositories under `root`, its script and log beside them.
    public static func start(root: String, port: Int, user: String, password: String) throws -> BackgroundProcess {
        try script.write(toFile: root + "/git-http.py", atomically: true, encoding: .utf8)
        return try BackgroundProcess("python3", [root + "/git-http.py", root, "\(port)", user, password], log: root + "/git-http.log")
    }
}
