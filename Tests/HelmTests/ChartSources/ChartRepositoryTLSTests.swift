import Foundation
import Helm
import KeelsonTesting
import NIOSSL
import Testing

/// A repository served over TLS by a private CA that asks for a client certificate: the CA and
/// the client certificate and key are given as PEM values, as the controller reads them from a Secret.
@Suite struct ChartRepositoryTLSTests {
    /// A CA, a server certificate for 127.0.0.1 and a client certificate, made by `openssl`.
    struct PKI {
        var ca, serverCertificate, serverKey, clientCertificate, clientKey: [UInt8]
    }

    static func makePKI(_ fixtures: ChartSourceFixtures) async throws -> PKI {
        let dir = fixtures.folder.path
        func openssl(_ arguments: [String]) async throws {
            let result = try await ProcessRunner.run("openssl", arguments, directory: dir)
            guard result.status == 0 else {
                throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "openssl \(arguments.first ?? ""): \(result.errorOutput)"])
            }
        }
        let curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
        try await openssl(["req", "-x509"] + curve + ["-keyout", "ca.key", "-out", "ca.pem", "-days", "1", "-subj", "/CN=keelson-test-ca"])
        try fixtures.folder.write("server.ext", "subjectAltName=IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
        try fixtures.folder.write("client.ext", "extendedKeyUsage=clientAuth\n")
        for name in ["server", "client"] {
            try await openssl(["req"] + curve + ["-keyout", "\(name).key", "-out", "\(name).csr", "-subj", "/CN=\(name)"])
            try await openssl([
                "x509", "-req", "-in", "\(name).csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "\(name).pem", "-days", "1",
                "-extfile", "\(name).ext",
            ])
        }
        let read = { (name: String) in try ChartSourceFixtures.bytes("\(dir)/\(name)") }
        return PKI(
            ca: try read("ca.pem"), serverCertificate: try read("server.pem"), serverKey: try read("server.key"),
            clientCertificate: try read("client.pem"), clientKey: try read("client.key"))
    }

    /// With the CA and the client certificate the chart is fetched; without either the TLS handshake fails.
    @Test func privateCAAndClientCertificate() async throws {
        let fixtures = try ChartSourceFixtures()
        defer { fixtures.folder.remove() }
        let pki = try await Self.makePKI(fixtures)
        let archives = try await fixtures.package("demo", versions: ["1.0.0"], into: "stable")
        try await fixtures.helm(["repo", "index", fixtures.folder.path + "/stable"])
        var tls = TLSConfiguration.makeServerConfiguration(
            certificateChain: try NIOSSLCertificate.fromPEMBytes(pki.serverCertificate).map { .certificate($0) },
            privateKey: .privateKey(try NIOSSLPrivateKey(bytes: pki.serverKey, format: .pem)))
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMBytes(pki.ca))
        tls.certificateVerification = .noHostnameVerification
        try await ChartRepositoryServer.with(root: fixtures.folder.path, tls: tls) { server in
            let url = server.base + "/stable"
            let trusted = ChartSourceOptions(caPEM: pki.ca, certificatePEM: pki.clientCertificate, keyPEM: pki.clientKey)
            let chart = try await ChartSources.fetch(repoURL: url, chart: "demo", version: "1.0.0", options: trusted)
            let file = try ChartSourceFixtures.bytes(archives["1.0.0"]!)
            #expect(chart.archive == file)
            // Without a client certificate the server refuses; without the CA the client does.
            for options in [ChartSourceOptions(caPEM: pki.ca), ChartSourceOptions(certificatePEM: pki.clientCertificate, keyPEM: pki.clientKey)] {
                let error = await #expect(throws: ChartSourceError.self) {
                    try await ChartSources.fetch(repoURL: url, chart: "demo", version: "1.0.0", options: options)
                }
                #expect(error?.code == .unreachable)
            }
        }
    }
}
