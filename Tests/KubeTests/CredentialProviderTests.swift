import Foundation
import KeelsonTesting
import Testing

@testable import Kube

@Suite struct CredentialProviderTests {
    @Test func tokenFileIsReReadWhenItChanges() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("token", "first-token\n")
        let provider = CredentialProvider(.tokenFile(path))
        #expect(try await provider.authorization() == "Bearer first-token")
        try dir.write("token", "second-longer-token")
        #expect(try await provider.authorization() == "Bearer second-longer-token")
    }

    @Test func missingTokenFileIsACredentialsError() async {
        let provider = CredentialProvider(.tokenFile("/nonexistent/token"))
        await #expect { try await provider.authorization() } throws: { ($0 as? KubeError)?.code == .credentials }
    }

    @Test func basicAuthIsEncoded() async throws {
        let provider = CredentialProvider(.basic(username: "admin", password: "pw"))
        #expect(try await provider.authorization() == "Basic YWRtaW46cHc=")
    }

    /// Writes an exec plugin that logs each run, checks its environment and prints a credential.
    static func plugin(in dir: TemporaryDirectory, expiry: String?, exitStatus: Int = 0) throws -> Kubeconfig.ExecConfig {
        let expiryField = expiry.map { #","expirationTimestamp":"\#($0)""# } ?? ""
        let script = """
            #!/bin/sh
            echo run >> "\(dir.path)/runs"
            printf '%s\\n' "$KUBERNETES_EXEC_INFO" > "\(dir.path)/exec-info"
            if [ \(exitStatus) -ne 0 ]; then echo "plugin says no" >&2; exit \(exitStatus); fi
            echo '{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"'"$PLUGIN_PREFIX"'-'"$1"'"\(expiryField)}}'
            """
        let path = try dir.write("plugin.sh", script)
        // Run through /bin/sh rather than exec'ing the fresh file: a file another test's fork
        // still holds open for writing cannot be exec'd (ETXTBSY) and would make this flaky.
        return Kubeconfig.ExecConfig(
            command: "/bin/sh", args: [path, "arg1"], env: [("PLUGIN_PREFIX", "tok")], apiVersion: "client.authentication.k8s.io/v1",
            installHint: "", provideClusterInfo: true, interactiveMode: "Never")
    }

    static func runs(_ dir: TemporaryDirectory) -> Int {
        ((try? String(contentsOfFile: dir.path + "/runs", encoding: .utf8)) ?? "").split(separator: "\n").count
    }

    @Test(arguments: [
        // A credential valid for an hour is reused: the plugin runs once for two requests.
        (3600.0, 1),
        // One already expired is fetched again for every request.
        (-60.0, 2),
        // No expiry: good until the server rejects it.
        (Double.nan, 1),
    ])
    func execCredentialIsCachedUntilExpiry(validFor: Double, expectedRuns: Int) async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let formatter = ISO8601DateFormatter()
        let expiry = validFor.isNaN ? nil : formatter.string(from: Date().addingTimeInterval(validFor))
        let config = try Self.plugin(in: dir, expiry: expiry)
        let provider = CredentialProvider(.exec(config, server: "https://k:6443", certificateAuthorityPEM: Array("CA".utf8)))
        #expect(try await provider.authorization() == "Bearer tok-arg1")
        #expect(try await provider.authorization() == "Bearer tok-arg1")
        #expect(Self.runs(dir) == expectedRuns)
        // The plugin was told the API version and, with provideClusterInfo, the cluster.
        let info = try String(contentsOfFile: dir.path + "/exec-info", encoding: .utf8)
        #expect(info.contains(#""apiVersion":"client.authentication.k8s.io/v1""#))
        #expect(info.contains(#""server":"https://k:6443""#))
    }

    @Test func invalidateForcesAFreshCredential() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let provider = CredentialProvider(.exec(try Self.plugin(in: dir, expiry: nil), server: "https://k", certificateAuthorityPEM: nil))
        _ = try await provider.authorization()
        await provider.invalidate()
        _ = try await provider.authorization()
        #expect(Self.runs(dir) == 2)
    }

    @Test func failingPluginReportsStatusAndStderrButNoOutput() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let provider = CredentialProvider(
            .exec(try Self.plugin(in: dir, expiry: nil, exitStatus: 3), server: "https://k", certificateAuthorityPEM: nil))
        await #expect { try await provider.authorization() } throws: { error in
            let text = "\(error)"
            return (error as? KubeError)?.code == .credentials && text.contains("status 3") && text.contains("plugin says no")
        }
    }

    struct OutputCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let output: String
        let fragment: String
    }

    @Test(arguments: [
        // Output that is not JSON is refused without quoting it (it may hold a token).
        OutputCase(testDescription: "not JSON", output: "tok-SECRET garbage", fragment: "did not write a JSON"),
        // A credential of another API version than asked for is refused.
        OutputCase(
            testDescription: "wrong version",
            output: #"{"apiVersion":"client.authentication.k8s.io/v1beta1","kind":"ExecCredential","status":{"token":"tok-SECRET"}}"#,
            fragment: "expected client.authentication.k8s.io/v1"),
        // A credential without a token or certificate is useless.
        OutputCase(
            testDescription: "empty", output: #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{}}"#,
            fragment: "neither a token"),
        // An unreadable expiry is an error, not "never expires".
        OutputCase(
            testDescription: "bad expiry",
            output:
                #"{"apiVersion":"client.authentication.k8s.io/v1","kind":"ExecCredential","status":{"token":"tok-SECRET","expirationTimestamp":"soon"}}"#,
            fragment: "expirationTimestamp"),
    ])
    func badPluginOutputIsRefused(_ bad: OutputCase) {
        #expect {
            try ExecPlugin.parse(Array(bad.output.utf8), expectedAPIVersion: "client.authentication.k8s.io/v1", what: "exec plugin p")
        } throws: {
            "\($0)".contains(bad.fragment) && !"\($0)".contains("SECRET")
        }
    }

    @Test func missingPluginShowsInstallHint() async {
        let config = Kubeconfig.ExecConfig(
            command: "keelson-no-such-plugin", args: [], env: [], apiVersion: "client.authentication.k8s.io/v1",
            installHint: "install it from example.com", provideClusterInfo: false, interactiveMode: "Never")
        await #expect { try await CredentialProvider(.exec(config, server: "https://k", certificateAuthorityPEM: nil)).authorization() } throws: {
            "\($0)".contains("install it from example.com")
        }
    }
}
