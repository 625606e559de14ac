import Crypto
import Foundation
import ImageAutomation
import KeelsonTesting

/// A real `docker-registry` (Debian's docker/distribution) on 127.0.0.1, started for one test
/// and stopped after it, optionally behind htpasswd Basic auth.
struct LocalRegistry {
    static let executable = "/usr/bin/docker-registry"
    /// Why the registry tests cannot run here, or `nil` when they can.
    static var missing: String? {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            return "docker-registry is not installed (apt-get install docker-registry)"
        }
        return nil
    }

    let host: String

    /// How the registry is guarded.
    enum Guard {
        /// Anyone may pull and push.
        case open
        /// Basic auth against a `user:bcrypt` htpasswd line.
        case htpasswd(String)
        /// Bearer tokens from `realm`, signed by `TestPKI`'s token certificate.
        case token(realm: String, service: String, issuer: String)
        /// Served over TLS with `TestPKI`'s server certificate.
        case tls
    }

    /// Runs `body` with a registry guarded by `guard`.
    static func with<T>(_ guard: Guard = .open, _ body: (LocalRegistry) async throws -> T) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "keelson-registry")
        defer { directory.remove() }
        var lastError: (any Error)?
        for _ in 0..<5 {
            let port = Int.random(in: 20_000..<60_000)
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
            case .token(let realm, let service, let issuer):
                let bundle = try directory.write("token-root.pem", TestPKI.shared.tokenCertificatePEM)
                config += "auth:\n  token: {realm: \"\(realm)\", service: \(service), issuer: \(issuer), rootcertbundle: \(bundle)}\n"
            case .tls:
                let certificate = try directory.write("server.pem", TestPKI.shared.serverCertificatePEM)
                let key = try directory.write("server-key.pem", TestPKI.shared.serverKeyPEM)
                config = config.replacingOccurrences(
                    of: "  secret: keelson-test\n", with: "  secret: keelson-test\n  tls: {certificate: \(certificate), key: \(key)}\n")
            }
            let configPath = try directory.write("config.yml", config)
            let process = Process()
            process.executableURL = URL(fileURLWithPath: executable)
            process.arguments = ["serve", configPath]
            process.standardOutput = FileHandle.nullDevice
            process.standardError = FileHandle.nullDevice
            try process.run()
            defer {
                process.terminate()
                process.waitUntilExit()
            }
            let registry = LocalRegistry(host: "127.0.0.1:\(port)")
            guard try await registry.waitUntilServing(process, tls: { if case .tls = `guard` { true } else { false } }()) else {
                lastError = CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "docker-registry did not start on port \(port)"])
                continue
            }
            return try await body(registry)
        }
        throw lastError!
    }

    /// Polls `/v2/` until the registry answers; false if the process exits (a taken port).
    private func waitUntilServing(_ process: Process, tls: Bool) async throws -> Bool {
        let options =
            tls
            ? RegistryOptions(caCertificatesPEM: Array(TestPKI.shared.caPEM.utf8), requestTimeout: .seconds(2))
            : RegistryOptions(insecure: true, requestTimeout: .seconds(2))
        for _ in 0..<100 {
            guard process.isRunning else { return false }
            do {
                _ = try await RegistryClient.withClient(options: options, credentials: { _ in .anonymous }) {
                    try await $0.tags(of: ImageReference.parse("\(host)/probe"))
                }
                return true
            } catch let error as ImageAutomationError where error.code != .transport {
                return true  // an answer, even a refusal, means it is serving
            } catch {
                try await Task.sleep(for: .milliseconds(100))
            }
        }
        return false
    }

    /// Pushes a tiny OCI image (one config blob, one layer) as `repository:tag`; returns the manifest digest.
    @discardableResult
    static func pushImage(_ client: RegistryClient, _ reference: String) async throws -> String {
        let image = try ImageReference.parse(reference)
        let config = Array(
            #"{"architecture":"amd64","os":"linux","config":{"Labels":{"tag":"\#(image.tag ?? "")"}},"rootfs":{"type":"layers","diff_ids":[]}}"#.utf8)
        let layer = Array("layer of \(reference)".utf8)
        try await client.pushBlob(config, digest: digest(config), to: image)
        try await client.pushBlob(layer, digest: digest(layer), to: image)
        let manifest = Array(
            """
            {"schemaVersion":2,"mediaType":"application/vnd.oci.image.manifest.v1+json",\
            "config":{"mediaType":"application/vnd.oci.image.config.v1+json","digest":"\(digest(config))","size":\(config.count)},\
            "layers":[{"mediaType":"application/vnd.oci.image.layer.v1.tar","digest":"\(digest(layer))","size":\(layer.count)}]}
            """.utf8)
        try await client.pushManifest(manifest, mediaType: "application/vnd.oci.image.manifest.v1+json", to: image)
        return digest(manifest)
    }

    static func digest(_ bytes: [UInt8]) -> String {
        "sha256:" + SHA256.hash(data: bytes).map { String(format: "%02x", $0) }.joined()
    }
}
