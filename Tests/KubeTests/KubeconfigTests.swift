import Foundation
import KeelsonTesting
import Testing

@testable import Kube

@Suite struct KubeconfigTests {
    static let first = """
        apiVersion: v1
        kind: Config
        current-context: one
        clusters:
        - name: shared
          cluster: {server: "https://first.example:6443", certificate-authority: certs/ca.pem}
        - name: only-first
          cluster: {server: "https://only-first.example"}
        users:
        - name: alice
          user: {token: first-secret-token}
        contexts:
        - name: one
          context: {cluster: shared, user: alice, namespace: team-a}
        """
    static let second = """
        current-context: two
        clusters:
        - name: shared
          cluster: {server: "https://second.example:6443"}
        - name: only-second
          cluster: {server: "https://only-second.example", insecure-skip-tls-verify: true}
        users:
        - name: alice
          user: {token: second-token}
        - name: bob
          user: {tokenFile: bob.token}
        contexts:
        - name: one
          context: {cluster: only-second, user: bob}
        - name: two
          context: {cluster: only-second, user: bob}
        - name: insecure
          context: {cluster: only-second, user: bob}
        """

    struct MergeCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let check: @Sendable (Kubeconfig) -> Bool
    }

    @Test(arguments: [
        // The first file in $KUBECONFIG wins for a cluster both define.
        MergeCase(testDescription: "first cluster wins") { $0.clusters["shared"]?.server == "https://first.example:6443" },
        // Entries only a later file has are still merged in.
        MergeCase(testDescription: "later-only entries kept") { $0.clusters["only-second"] != nil && $0.users["bob"] != nil },
        // Users and contexts follow the same first-wins rule.
        MergeCase(testDescription: "first user wins") { $0.users["alice"]?.token == "first-secret-token" },
        MergeCase(testDescription: "first context wins") { $0.contexts["one"]?.cluster == "shared" },
        // current-context comes from the first file that sets it.
        MergeCase(testDescription: "first current-context wins") { $0.currentContext == "one" },
    ])
    func kubeconfigListMergesLikeKubectl(_ merge: MergeCase) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let a = try dir.write("a/config", Self.first)
        let b = try dir.write("b/config", Self.second)
        let options = KubeconfigOptions(environment: ["KUBECONFIG": "\(a):\(dir.path)/missing:\(b)"])
        let merged = try Kubeconfig.load(paths: options.kubeconfigPaths)
        #expect(merge.check(merged))
    }

    @Test func relativePathsResolveAgainstTheirOwnFile() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let a = try dir.write("a/config", Self.first)
        let b = try dir.write("b/config", Self.second)
        let merged = try Kubeconfig.load(paths: [a, b])
        #expect(merged.clusters["shared"]?.certificateAuthority == "\(dir.path)/a/certs/ca.pem")
        #expect(merged.users["bob"]?.tokenFile == "\(dir.path)/b/bob.token")
    }

    @Test func contextSelectsClusterUserAndNamespace() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("a/certs/ca.pem", TestCertificates.shared.caPEM)
        let a = try dir.write("a/config", Self.first)
        let b = try dir.write("b/config", Self.second)
        let env = ["KUBECONFIG": "\(a):\(b)"]
        let current = try KubeConfiguration.load(KubeconfigOptions(environment: env))
        #expect(current.server == "https://first.example:6443")
        #expect(current.namespace == "team-a")
        #expect(current.tls.certificateAuthorityPEM == Array(TestCertificates.shared.caPEM.utf8))
        #expect("\(current.credentials)" == "token(redacted)")
        let two = try KubeConfiguration.load(KubeconfigOptions(context: "two", allowInsecure: true, environment: env))
        #expect(two.server == "https://only-second.example")
        #expect(two.namespace == "default")
        guard case .tokenFile(let path) = two.credentials else { Issue.record("expected a token file"); return }
        #expect(path == "\(dir.path)/b/bob.token")
    }

    struct FailureCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let options: @Sendable (String) -> KubeconfigOptions
        let code: KubeconfigError.Code
    }

    @Test(arguments: [
        // insecure-skip-tls-verify is refused unless the caller opts in.
        FailureCase(
            testDescription: "insecure refused", options: { KubeconfigOptions(context: "two", environment: ["KUBECONFIG": $0]) },
            code: .insecureRefused),
        // A context that does not exist is named in the error.
        FailureCase(
            testDescription: "unknown context", options: { KubeconfigOptions(context: "nope", environment: ["KUBECONFIG": $0]) }, code: .unknownName),
        // --kubeconfig must exist, unlike entries of $KUBECONFIG.
        FailureCase(
            testDescription: "explicit missing", options: { KubeconfigOptions(explicitPath: $0 + ".missing", environment: [:]) }, code: .notFound),
        // Nothing configured and not in a cluster.
        FailureCase(
            testDescription: "nothing", options: { _ in KubeconfigOptions(environment: [:], homeDirectory: "/nonexistent") }, code: .notFound),
    ])
    func unusableConfigurationIsRefused(_ failure: FailureCase) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let b = try dir.write("b/config", Self.second)
        #expect { try KubeConfiguration.load(failure.options(b)) } throws: { ($0 as? KubeconfigError)?.code == failure.code }
    }

    @Test func homeConfigIsTheDefault() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("home/.kube/config", Self.first)
        try dir.write("home/.kube/certs/ca.pem", TestCertificates.shared.caPEM)
        let config = try KubeConfiguration.load(KubeconfigOptions(environment: ["HOME": dir.path + "/home"]))
        #expect(config.server == "https://first.example:6443")
    }

    @Test func inlineDataAndClientCertificatesAreDecoded() throws {
        let certs = TestCertificates.shared
        let b64 = { (s: String) in Data(s.utf8).base64EncodedString() }
        let yaml = """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://k", certificate-authority-data: \(b64(certs.caPEM))}}]
            users: [{name: u, user: {client-certificate-data: \(b64(certs.clientCertificatePEM)), client-key-data: \(b64(certs.clientKeyPEM))}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """
        let config = try KubeConfiguration(kubeconfig: Kubeconfig.parse(Array(yaml.utf8), file: "/x/config"))
        #expect(config.tls.clientKeyPEM == Array(certs.clientKeyPEM.utf8))
        _ = try config.tls.makeTLSConfiguration()
        // The key never shows up when the configuration is printed or logged.
        #expect(!"\(config)".contains("PRIVATE KEY"))
        #expect(!"\(config)".contains(b64(certs.clientKeyPEM).prefix(20)))
    }

    @Test func secretsStayOutOfDescriptions() throws {
        let yaml = """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://k"}}]
            users:
            - {name: u, user: {token: s3cr3t-t0ken}}
            - {name: p, user: {username: admin, password: hunter2}}
            - {name: e, user: {exec: {command: get-token, apiVersion: client.authentication.k8s.io/v1, env: [{name: API_KEY, value: env-s3cr3t}]}}}
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """
        let parsed = try Kubeconfig.parse(Array(yaml.utf8), file: "/x/config")
        let texts = [
            "\(parsed.users["u"]!)", "\(parsed.users["p"]!)", "\(parsed.users["e"]!)",
            "\(try KubeConfiguration(kubeconfig: parsed))", "\(KubeConfiguration.Credentials.basic(username: "admin", password: "hunter2"))",
        ]
        for text in texts {
            #expect(!text.contains("s3cr3t") && !text.contains("hunter2"), "leaked in \(text)")
        }
    }

    @Test func legacyAuthProviderIsRefusedClearly() throws {
        let yaml = """
            current-context: c
            clusters: [{name: k, cluster: {server: "https://k"}}]
            users: [{name: u, user: {auth-provider: {name: gcp}}}]
            contexts: [{name: c, context: {cluster: k, user: u}}]
            """
        #expect { try KubeConfiguration(kubeconfig: Kubeconfig.parse(Array(yaml.utf8), file: "/x/config")) } throws: {
            ($0 as? KubeconfigError)?.code == .unsupported && "\($0)".contains("gcp")
        }
    }

    @Test func brokenYAMLNamesTheFile() {
        #expect { try Kubeconfig.parse(Array("clusters: [".utf8), file: "/x/broken") } throws: {
            ($0 as? KubeconfigError)?.code == .syntax && ($0 as? KubeconfigError)?.file == "/x/broken"
        }
    }
}

@Suite struct InClusterTests {
    @Test func serviceAccountDirectoryIsRead() throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("sa/token", "sa-token\n")
        try dir.write("sa/ca.crt", TestCertificates.shared.caPEM)
        try dir.write("sa/namespace", "keelson-system\n")
        let env = ["KUBERNETES_SERVICE_HOST": "10.96.0.1", "KUBERNETES_SERVICE_PORT": "443"]
        let config = try KubeConfiguration.load(
            KubeconfigOptions(environment: env, homeDirectory: dir.path, serviceAccountDirectory: dir.path + "/sa"))
        #expect(config.server == "https://10.96.0.1:443")
        #expect(config.namespace == "keelson-system")
        guard case .tokenFile(let path) = config.credentials else { Issue.record("token must be re-read from its file"); return }
        #expect(path == dir.path + "/sa/token")
    }

    @Test(arguments: [
        // IPv6 service hosts are bracketed in the URL.
        (["KUBERNETES_SERVICE_HOST": "fd00::1", "KUBERNETES_SERVICE_PORT": "6443"], "https://[fd00::1]:6443")
    ])
    func ipv6HostIsBracketed(env: [String: String], server: String) throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        try dir.write("token", "t")
        try dir.write("ca.crt", TestCertificates.shared.caPEM)
        #expect(try KubeConfiguration.inCluster(environment: env, serviceAccountDirectory: dir.path).server == server)
    }

    @Test func missingEnvironmentIsNotFound() {
        #expect { try KubeConfiguration.inCluster(environment: [:], serviceAccountDirectory: "/nonexistent") } throws: {
            ($0 as? KubeconfigError)?.code == .notFound
        }
    }
}
