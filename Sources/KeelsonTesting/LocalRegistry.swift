import Foundation

/// A real `docker-registry` (Debian's docker/distribution) on 127.0.0.1, started for one test
/// and stopped after it, optionally behind htpasswd Basic auth, token auth or TLS.
public struct LocalRegistry: Sendable {
    /// Where Debian installs the registry.
    public static let executable = "/usr/bin/docker-registry"
    /// Why the registry tests cannot run here, or `nil` when they can.
    public static var missing: String? {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            return "docker-registry is not installed (apt-get install docker-registry)"
        }
        return nil
    }

    /// `127.0.0.1:PORT`.
    public let host: String

    /// How the registry is guarded.
    public enum Guard: Sendable {
        /// Anyone may pull and push.
        case open
        /// Basic auth against a `user:bcrypt` htpasswd line.
        case htpasswd(String)
        /// Bearer tokens from `realm`, signed by the key of `rootCertificatePEM`.
        case token(realm: String, service: String, issuer: String, rootCertificatePEM: String)
        /// Served over TLS with this certificate and key.
        case tls(certificatePEM: String, keyPEM: String)
    }

    /// A bcrypt htpasswd line for `.htpasswd`, made with `htpasswd -Bbn`, or with Python's bcrypt when it is missing.
    public static func htpasswd(user: String, password: String) async throws -> String {
        if ProcessRunner.isAvailable("htpasswd") {
            let result = try await ProcessRunner.run("htpasswd", ["-Bbn", user, password])
            return result.output.trimmingCharacters(in: .whitespacesAndNewlines)
        }
        let script = "import bcrypt,sys; print(sys.argv[1] + ':' + bcrypt.hashpw(sys.argv[2].encode(), bcrypt.gensalt()).decode())"
        return try await ProcessRunner.run("python3", ["-c", script, user, password]).output.trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// Runs `body` with a registry guarded by `guard`.
    public static func with<T>(_ guard: Guard = .open, _ body: (LocalRegistry) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "keelson-registry")
        defer { directory.remove() }
        var lastError: (any Error)?
        // The registry cannot report a port 0 bind; a port taken meanwhile makes it exit, and another is tried.
        for _ in 0..<5 {
            let port = try Ports.free()
            var config = """
                version: 0.1
                log: {level: error, accesslog: {disabled: true}}
                storage:
                  filesystem: {rootdirectory: \(directory.path)/data}
                http:
                  addr: 127.0.0.1:\(port)
                  secret: keelson-test

                """
            switch `guard` {
            case .open: break
            case .htpasswd(let line):
                try directory.write("htpasswd", line + "\n")
                config += "auth:\n  htpasswd: {realm: keelson, path: \(directory.path)/htpasswd}\n"
            case .token(let realm, let service, let issuer, let rootCertificatePEM):
                let bundle = try directory.write("token-root.pem", rootCertificatePEM)
                config += "auth:\n  token: {realm: \"\(realm)\", service: \(service), issuer: \(issuer), rootcertbundle: \(bundle)}\n"
            case .tls(let certificatePEM, let keyPEM):
                let certificate = try directory.write("server.pem", certificatePEM)
                let key = try directory.write("server-key.pem", keyPEM)
                config = config.replacingOccurrences(
                    of: "  secret: keelson-test\n", with: "  secret: keelson-test\n  tls: {certificate: \(certificate), key: \(key)}\n")
            }
            let configPath = try directory.write("config.yml", config)
            let process = try BackgroundProcess(executable, ["serve", configPath], log: directory.path + "/registry.log")
            defer { _ = process.terminate() }
            guard try await waitUntilServing(process, port: port) else {
                lastError = POSIXError(.EADDRINUSE)
                continue
            }
            return try await body(LocalRegistry(host: "127.0.0.1:\(port)"))
        }
        throw lastError!
    }

    /// Waits until the registry accepts connections; false if the process exits first (a taken port).
    private static func waitUntilServing(_ process: BackgroundProcess, port: Int) async throws -> Bool {
        for _ in 0..<100 {
            guard process.isRunning else { return false }
            do {
                try await Ports.waitUntilListening(port, timeout: .milliseconds(100))
                return process.isRunning
            } catch {
                continue
            }
        }
        return false
    }
}
