import Foundation
import KubeSandbox
import Testing

@Suite("TLS sandbox with client certificates", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct TLSTests {
    @Test("kubectl works over HTTPS with the written kubeconfig; without a client certificate it is refused")
    func clientCertificates() async throws {
        try await withSandbox({ $0.tls = true }) { kubectl, endpoint in
            #expect(endpoint.url.hasPrefix("https://"))
            let list = try await kubectl.json(["get", "namespaces"])
            #expect(list.items.contains { $0.string("metadata.name") == "default" })
            try await kubectl.ok(["apply", "--server-side", "-f", "-"], stdin: Fixtures.configMap("secure", data: ["a": "1"]))

            let certificates = try #require(endpoint.certificates)
            let anonymous = kubectl.workDir.appendingPathComponent("anonymous.kubeconfig")
            let ca = Data(certificates.caPEM.utf8).base64EncodedString()
            try """
            apiVersion: v1
            kind: Config
            clusters: [{name: s, cluster: {server: "\(endpoint.url)", certificate-authority-data: \(ca)}}]
            users: [{name: u, user: {token: not-a-certificate}}]
            contexts: [{name: c, context: {cluster: s, user: u}}]
            current-context: c
            """.write(to: anonymous, atomically: true, encoding: .utf8)
            let refused = try await Kubectl(kubeconfig: anonymous.path, cacheDir: kubectl.cacheDir + "-anon", workDir: kubectl.workDir)
                .run(["get", "namespaces", "--request-timeout=5s"])
            #expect(refused.status != 0)
            #expect(refused.stderr.lowercased().contains("tls") || refused.stderr.lowercased().contains("certificate"), "\(refused.stderr)")
        }
    }
}
