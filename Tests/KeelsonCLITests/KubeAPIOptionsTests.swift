import ArgumentParser
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Testing

@testable import keelson

/// `--kube-api-qps` and `--kube-api-burst` on the commands that run the controller: they set the
/// rate its client sends at, default to Flux's (and the client's) 50 and 100, and refuse nonsense.
@Suite struct KubeAPIOptionsTests {
    static let namespaces = GroupVersionKind(apiVersion: "v1", kind: "Namespace")

    // The flags reach the client: with 5 a second and a burst of 1, ten requests to a real
    // sandbox take two seconds of the limiter's (virtual) clock, one fifth of a second each.
    @Test func theFlagsSetTheRateTheClientSendsAt() async throws {
        let command = try ControllerCommand.parse(["--kube-api-qps", "5", "--kube-api-burst", "1"])
        let clock = ManualClock(advancesWhenSleeping: true)
        let folder = try TemporaryDirectory(prefix: "keelson-kube-api")
        defer { folder.remove() }
        let kubeconfig = folder.path + "/kubeconfig"
        let (before, after) = try await Sandbox.withRunning(SandboxConfiguration(port: 0, kubeconfigPath: kubeconfig)) { _ in
            let kube = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
            return try await KubeClient.withClient(kube, options: command.kubeAPI.clientOptions(clock: clock)) { client in
                // The first request also fetches discovery; the bucket is empty afterwards.
                _ = try await client.listAll(Self.namespaces)
                let before = clock.now
                for _ in 0..<10 { _ = try await client.listAll(Self.namespaces) }
                return (before, clock.now)
            }
        }
        let spent = before.duration(to: after)
        #expect(spent > .milliseconds(1_999) && spent < .milliseconds(2_001), "10 requests at 5/s took \(spent)")
    }

    // Without the flags, both commands use the client's defaults, which are Flux's.
    @Test func theDefaultsAreTheClientsAndFluxs() throws {
        for options in [try ControllerCommand.parse([]).kubeAPI, try DemoCommand.parse([]).kubeAPI] {
            #expect(options.qps == KubeClientOptions().qps && options.burst == KubeClientOptions().burst)
            #expect(options.qps == 50 && options.burst == 100)
        }
    }

    // A rate or burst that is not a positive number is refused, naming the flag and the value.
    @Test(arguments: [
        (["--kube-api-qps", "0"], "--kube-api-qps 0.0: must be a positive number"),
        (["--kube-api-qps=-3"], "--kube-api-qps -3.0: must be a positive number"),
        (["--kube-api-qps", "nan"], "--kube-api-qps nan: must be a positive number"),
        (["--kube-api-qps", "fast"], "The value 'fast' is invalid for '--kube-api-qps <kube-api-qps>'"),
        (["--kube-api-burst", "0"], "--kube-api-burst 0: must be a positive number"),
        (["--kube-api-burst", "1.5"], "The value '1.5' is invalid for '--kube-api-burst <kube-api-burst>'"),
    ])
    func badValuesAreRefused(arguments: [String], message: String) {
        for parse in [{ try ControllerCommand.parse($0) as Any }, { try DemoCommand.parse($0) as Any }] as [([String]) throws -> Any] {
            do {
                _ = try parse(arguments)
                Issue.record("\(arguments) was accepted")
            } catch {
                #expect(ControllerCommand.message(for: error).contains(message), "\(arguments): \(ControllerCommand.message(for: error))")
            }
        }
    }

    // Both commands document the flags in their help.
    @Test(arguments: ["controller", "demo"])
    func theHelpShowsTheFlags(command: String) async throws {
        let result = try await ProcessRunner.run(Fixtures.keelsonExecutable(), [command, "--help"])
        #expect(result.output.contains("--kube-api-qps") && result.output.contains("--kube-api-burst"), "\(result.output)")
    }
}
