import Foundation
import KeelsonTesting
import Testing

@testable import KubeSandbox

/// Issue #13 item 16: the sandbox refuses TLS below 1.2, keeps its `--data` file to its owner,
/// and without TLS refuses requests addressed to another host (DNS rebinding).
@Suite("Sandbox hardening", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct SandboxHardeningTests {
    /// Connects with exactly one TLS version, presenting the sandbox's client certificate, and
    /// prints the negotiated version and the status line of `GET /version`; fails on refusal.
    static let tlsClient = """
        import socket, ssl, sys
        port, cert, key, version = int(sys.argv[1]), sys.argv[2], sys.argv[3], getattr(ssl.TLSVersion, sys.argv[4])
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        context.check_hostname = False
        context.verify_mode = ssl.CERT_NONE
        context.set_ciphers("ALL:@SECLEVEL=0")  # let OpenSSL 3 offer TLS 1.0 and 1.1 at all
        context.minimum_version = context.maximum_version = version
        context.load_cert_chain(cert, key)
        with socket.create_connection(("127.0.0.1", port), timeout=20) as raw, context.wrap_socket(raw) as tls:
            tls.sendall(b"GET /version HTTP/1.1\\r\\nHost: 127.0.0.1\\r\\nConnection: close\\r\\n\\r\\n")
            print(tls.version(), tls.recv(64).split(b"\\r\\n")[0].decode())
        """

    // TLS 1.0 and 1.1 are refused during the handshake; 1.2 and 1.3 serve the API.
    @Test(.enabled(if: ProcessRunner.isAvailable("python3"), "python3 is not installed"))
    func tlsBelowOnePointTwoIsRefused() async throws {
        try await withSandbox({ $0.tls = true }) { kubectl, endpoint in
            let certificates = try #require(endpoint.certificates)
            let cert = kubectl.workDir.appendingPathComponent("client.crt").path
            let key = kubectl.workDir.appendingPathComponent("client.key").path
            try certificates.clientCertificatePEM.write(toFile: cert, atomically: true, encoding: .utf8)
            try certificates.clientKeyPEM.write(toFile: key, atomically: true, encoding: .utf8)
            for (version, accepted) in [("TLSv1", false), ("TLSv1_1", false), ("TLSv1_2", true), ("TLSv1_3", true)] {
                let run = try await ProcessRunner.run("python3", ["-c", Self.tlsClient, String(endpoint.port), cert, key, version])
                if accepted {
                    #expect(run.status == 0 && run.output.contains("HTTP/1.1 200"), "\(version): \(run.output) \(run.errorOutput)")
                } else {
                    #expect(run.status != 0, "\(version) was accepted: \(run.output)")
                    // The server's protocol_version alert, not a client that cannot speak the version.
                    #expect(run.errorOutput.contains("ALERT_PROTOCOL_VERSION"), "\(version): \(run.errorOutput)")
                }
            }
        }
    }

    // `keelson sandbox --data` under umask 000: the database and the companions SQLite
    // creates beside it are the owner's alone, because they hold every Secret.
    @Test func dataFileIsPrivateUnderAnyUmask() async throws {
        let dir = try TemporaryDirectory(prefix: "sandbox-data")
        defer { dir.remove() }
        let data = dir.path + "/state.db"
        let kubeconfig = dir.path + "/kubeconfig"
        let sandbox = try BackgroundProcess(
            "/bin/sh",
            [
                "-c", "umask 000; exec \"$0\" sandbox --port 0 --data \"$1\" --kubeconfig-out \"$2\"",
                KeelsonTesting.Fixtures.keelsonExecutable(), data, kubeconfig,
            ],
            log: dir.path + "/sandbox.log")
        defer { sandbox.terminate() }
        try await eventually("the sandbox writes its kubeconfig") { FileManager.default.fileExists(atPath: kubeconfig) && sandbox.isRunning }
        let kubectl = Kubectl(kubeconfig: kubeconfig, cacheDir: dir.path + "/cache", workDir: URL(fileURLWithPath: dir.path))
        try await kubectl.ok(["create", "secret", "generic", "s", "--from-literal=password=hunter2"])
        var checked: [String] = []
        for file in [data, data + "-wal", data + "-shm", data + "-journal"] where FileManager.default.fileExists(atPath: file) {
            let mode = try #require(try FileManager.default.attributesOfItem(atPath: file)[.posixPermissions] as? Int)
            #expect(mode == 0o600, "\(file) has mode \(String(mode, radix: 8))")
            checked.append(file)
        }
        #expect(checked.contains(data) && checked.contains(data + "-wal"), "the database and its WAL exist: \(checked)")
    }

    /// Lists namespaces over plain HTTP with the given `Host` header; prints the status code,
    /// then the body.
    static let hostClient = """
        import http.client, sys
        connection = http.client.HTTPConnection("127.0.0.1", int(sys.argv[1]), timeout=20)
        connection.putrequest("GET", "/api/v1/namespaces", skip_host=True)
        connection.putheader("Host", sys.argv[2])
        connection.endheaders()
        response = connection.getresponse()
        print(response.status)
        print(response.read().decode())
        """

    // Without TLS, a request naming another host is refused with a Status, while the
    // sandbox's own names (with or without a port) and kubectl keep working.
    @Test(.enabled(if: ProcessRunner.isAvailable("python3"), "python3 is not installed"))
    func foreignHostIsRefused() async throws {
        try await withSandbox { kubectl, endpoint in
            func get(host: String) async throws -> (status: String, body: String) {
                let run = try await ProcessRunner.run("python3", ["-c", Self.hostClient, String(endpoint.port), host])
                let lines = run.output.split(separator: "\n", maxSplits: 1)
                return (String(lines.first ?? ""), lines.count > 1 ? String(lines[1]) : "")
            }
            for host in ["evil.example", "evil.example:\(endpoint.port)", "localhost.evil.example", "127.0.0.1.nip.io:\(endpoint.port)"] {
                let refused = try await get(host: host)
                #expect(refused.status == "403", "\(host): \(refused)")
                let status = try JSONValueBox(refused.body)
                #expect(status.string("kind") == "Status" && status.string("reason") == "Forbidden", "\(host): \(refused.body)")
                #expect(!refused.body.contains("\"items\""), "no object leaks to \(host)")
            }
            for host in ["127.0.0.1:\(endpoint.port)", "127.0.0.1", "localhost:\(endpoint.port)", "LOCALHOST", "[::1]:\(endpoint.port)"] {
                #expect(try await get(host: host).status == "200", "\(host) is the sandbox's own address")
            }
            let namespaces = try await kubectl.json(["get", "namespaces"])
            #expect(namespaces.items.contains { $0.string("metadata.name") == "default" })
        }
    }

    // The rule the guard applies, one row per case.
    @Test(arguments: [
        ("127.0.0.1:6443", true),  // the listen address with its port
        ("sandbox.internal", true),  // the configured listen host
        ("localhost", true),  // loopback name
        ("api.localhost:80", true),  // *.localhost resolves only to loopback
        ("[::1]:6443", true),  // IPv6 literal: cannot be rebound
        ("10.0.0.7", true),  // IPv4 literal: cannot be rebound
        ("evil.example", false),  // a foreign name
        ("evil.example:6443", false),  // a foreign name with the sandbox's port
        ("localhost.evil.example", false),  // a name that only starts like loopback
        ("127.0.0.1.nip.io", false),  // a name that resolves to loopback but is not an address
    ])
    func hostRule(_ authority: String, _ accepted: Bool) {
        #expect(HostGuard<APIResponder>.accepts(authority, listenHost: "sandbox.internal") == accepted)
    }
}
