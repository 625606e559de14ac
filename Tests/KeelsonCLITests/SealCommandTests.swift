import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Secrets
import Testing

/// `keelson secret seal` and `keelson secret cert`, against kubesealpy and against a running
/// `keelson controller` (its `/v1/cert.pem` and its unsealing).
@Suite struct SealCommandTests {
    let keelson = Fixtures.keelsonExecutable()
    static let canary = "CANARY-sealed-cli-5e1f"
    static let secretYAML = """
        apiVersion: v1
        kind: Secret
        metadata:
          name: db
          namespace: shop
          labels: {team: payments}
        type: Opaque
        stringData:
          password: \(canary)
        """

    // What `keelson secret seal --cert` prints unseals in kubesealpy with the matching key, in
    // every scope; the scope annotation is on the SealedSecret, and the plaintext is nowhere.
    @Test(.enabled(if: KubesealPy.isAvailable, "python3 cannot import kubesealpy"), arguments: ["strict", "namespace-wide", "cluster-wide"])
    func sealWithCertFileUnsealsInKubesealpy(scope: String) async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let pair = try SealingKeyPair.generate(bits: 2048)
        let certificate = try folder.write("cert.pem", pair.certificatePEM)
        let key = try folder.write("key.pem", pair.privateKey.pemRepresentation)
        let secret = try folder.write("secret.yaml", Self.secretYAML)
        let result = try await ProcessRunner.run(keelson, ["secret", "seal", "--cert", certificate, "--scope", scope, "-o", "yaml", secret])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(!result.output.contains(Self.canary) && !result.output.contains(Data(Self.canary.utf8).base64EncodedString()))
        let sealed = try #require(try Manifest.decode(Array(result.output.utf8), file: "sealed.yaml").first)
        #expect(sealed.kind == "SealedSecret" && sealed.apiVersion == "bitnami.com/v1alpha1")
        #expect(sealed.annotations == (scope == "strict" ? [:] : ["sealedsecrets.bitnami.com/\(scope)": "true"]))
        #expect(sealed.object["spec"]?["template"]?["metadata"]?["labels"]?["team"]?.stringValue == "payments")
        #expect(try await KubesealPy.unseal(result.output, keyPaths: [key]) == ["password": Self.canary])
    }

    // Bad input fails with one line naming it, and exit status 1.
    @Test func refusesNonSecrets() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let certificate = try folder.write("cert.pem", try SealingKeyPair.generate(bits: 2048).certificatePEM)
        let configMap = try folder.write("cm.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c, namespace: shop}\ndata: {a: b}\n")
        let result = try await ProcessRunner.run(keelson, ["secret", "seal", "--cert", certificate, configMap])
        #expect(result.status == 1)
        #expect(result.errorOutput.contains("expected a v1 Secret"), "\(result.errorOutput)")
    }

    // An expired certificate is refused before sealing, as kubeseal refuses it; a file that is
    // no certificate, or one over 64 KiB, is refused by `secret cert` instead of printed.
    @Test func refusesBadCertificates() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let expired = try SealingKeyPair.generate(bits: 2048, now: Date().addingTimeInterval(-2 * 86400), validity: 86400)
        let certificate = try folder.write("expired.pem", expired.certificatePEM)
        let secret = try folder.write("secret.yaml", Self.secretYAML)
        let sealed = try await ProcessRunner.run(keelson, ["secret", "seal", "--cert", certificate, secret])
        #expect(sealed.status == 1 && sealed.errorOutput.contains("expired"), "\(sealed.errorOutput)")
        #expect(sealed.output.isEmpty)

        let garbage = try folder.write("garbage.pem", "<html>not a certificate</html>")
        let printed = try await ProcessRunner.run(keelson, ["secret", "cert", "--cert", garbage])
        #expect(printed.status == 1 && printed.output.isEmpty, "\(printed.output)")
        #expect(printed.errorOutput.contains("not a PEM certificate"), "\(printed.errorOutput)")

        let huge = try folder.write("huge.pem", String(repeating: "A", count: 70 * 1024))
        let tooLarge = try await ProcessRunner.run(keelson, ["secret", "cert", "--cert", huge])
        #expect(tooLarge.status == 1 && tooLarge.errorOutput.contains("larger than 64 KiB"), "\(tooLarge.errorOutput)")
    }

    // JSON output has kubeseal's shape: two-space indentation and one trailing newline.
    @Test func jsonShape() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let certificate = try folder.write("cert.pem", try SealingKeyPair.generate(bits: 2048).certificatePEM)
        let secret = try folder.write("secret.yaml", Self.secretYAML)
        let result = try await ProcessRunner.run(keelson, ["secret", "seal", "--cert", certificate, secret])
        #expect(result.status == 0, "\(result.errorOutput)")
        #expect(result.output.hasPrefix("{\n  \"apiVersion\": \"bitnami.com/v1alpha1\""), "\(result.output.prefix(80))")
        #expect(result.output.hasSuffix("}\n") && !result.output.hasSuffix("\n\n"))
    }

    // --sealing-key-renewal takes 0 (never) or at least an hour.
    @Test(arguments: ["30m", "59"])
    func refusesShortRenewal(period: String) async throws {
        let result = try await ProcessRunner.run(keelson, ["controller", "--sealing-key-renewal", period, "--kubeconfig", "/nonexistent"])
        #expect(result.status != 0)
        #expect(result.errorOutput.contains("at least 1h"), "\(result.errorOutput)")
    }

    // A running controller serves its certificate at /v1/cert.pem; `keelson secret cert` prints
    // it from there and from the key Secret in the cluster; a Secret sealed with `--server` and
    // applied is unsealed by the controller.
    @Test func controllerServesCertificateAndUnseals() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        var quiet = Logger(label: "sandbox")
        quiet.logLevel = .critical
        let kubeconfig = folder.path + "/kubeconfig"
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig), logger: quiet) { _ in
            let port = try Ports.free()
            let controller = try BackgroundProcess(
                keelson, ["controller", "--kubeconfig", kubeconfig, "--listen", "127.0.0.1:\(port)"], log: folder.path + "/controller.log",
                environment: ProcessInfo.processInfo.environment.merging(["KEELSON_LOG_LEVEL": "info"]) { $1 })
            defer { _ = controller.terminate() }
            let server = "http://127.0.0.1:\(port)"
            try await eventually("the controller serves its certificate", timeout: .seconds(180)) {
                try await ProcessRunner.run(keelson, ["secret", "cert", "--server", server]).status == 0
            }
            let fromServer = try await ProcessRunner.run(keelson, ["secret", "cert", "--server", server]).output
            #expect(fromServer.hasPrefix("-----BEGIN CERTIFICATE-----"))
            let fromCluster = try await ProcessRunner.run(keelson, ["secret", "cert", "--kubeconfig", kubeconfig])
            #expect(fromCluster.status == 0, "\(fromCluster.errorOutput)")
            #expect(fromCluster.output == fromServer)

            let sealed = try await ProcessRunner.run(keelson, ["secret", "seal", "--server", server, "-"], input: Data(Self.secretYAML.utf8))
            #expect(sealed.status == 0, "\(sealed.errorOutput)")
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            try await KubeClient.withClient(configuration) { client in
                try await client.createNamespaceIfMissing("shop", fieldManager: "test")
                let object = try #require(try Manifest.decode(Array(sealed.output.utf8), file: "sealed.json").first)
                _ = try await client.create(object, options: WriteOptions(fieldManager: "test"))
                try await eventually("the controller unseals it", timeout: .seconds(120)) {
                    let secret = try await client.get(GroupVersionKind(group: "", version: "v1", kind: "Secret"), name: "db", namespace: "shop")
                    return secret.object["data"]?["password"]?.stringValue == Data(Self.canary.utf8).base64EncodedString()
                }
            }
            // The log is read and holds the unsealing, so the check below looks at something.
            let log = controller.output
            #expect(log.contains("unsealed"), "the controller's log is empty or unread: \(log.prefix(500))")
            #expect(!log.contains(Self.canary), "the controller's log holds the plaintext")
        }
    }
}
