import Foundation
import KeelsonTesting
import Manifests
import Testing

/// `keelson sandbox` as a user runs it: the real binary, real kubectl, SIGTERM and a restart.
@Suite(.enabled(if: ProcessRunner.isAvailable("kubectl"), "kubectl is not installed"))
struct SandboxCommandTests {
    let keelson = Fixtures.keelsonExecutable()

    /// A running `keelson sandbox` process and where it wrote its kubeconfig and output.
    struct Running {
        let process: BackgroundProcess
        let kubeconfig: String
        var output: String { process.output }

        /// Starts the sandbox and waits until its kubeconfig exists.
        init(_ keelson: String, data: String, directory: TemporaryDirectory) async throws {
            kubeconfig = directory.path + "/kubeconfig"
            try? FileManager.default.removeItem(atPath: kubeconfig)
            process = try BackgroundProcess(
                keelson, ["sandbox", "--port", "0", "--data", data, "--kubeconfig-out", kubeconfig],
                log: directory.path + "/out-\(UUID().uuidString.prefix(6))")
            let deadline = ContinuousClock.now + .seconds(30)
            while !FileManager.default.fileExists(atPath: kubeconfig) {
                guard process.isRunning, ContinuousClock.now < deadline else {
                    process.kill()
                    throw TestFailure("keelson sandbox did not start (\(process.ending)): \(process.output)")
                }
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        /// Sends SIGTERM and returns the exit status and how long the process took to exit.
        func stop() async throws -> (status: Int32?, elapsed: Duration) {
            let start = ContinuousClock.now
            process.send(SIGTERM)
            while process.isRunning {
                guard ContinuousClock.now - start < .seconds(30) else {
                    process.kill()
                    throw TestFailure("keelson sandbox ignored SIGTERM for 30s: \(process.output)")
                }
                try await Task.sleep(for: .milliseconds(20))
            }
            return (process.exitCode, ContinuousClock.now - start)
        }

        /// Runs kubectl against this sandbox; a failure is an error.
        func kubectl(_ arguments: [String], stdin: String? = nil) async throws -> String {
            let result = try await ProcessRunner.run("kubectl", ["--kubeconfig", kubeconfig] + arguments, input: stdin.map { Data($0.utf8) })
            guard result.status == 0 else { throw TestFailure("kubectl \(arguments.joined(separator: " ")): \(result.errorOutput)") }
            return result.output
        }
    }

    struct TestFailure: Error, CustomStringConvertible {
        var description: String
        init(_ description: String) { self.description = description }
    }

    /// Every object's (kind/namespace/name → uid, resourceVersion) as kubectl lists them.
    static func snapshot(_ sandbox: Running) async throws -> [String: [String]] {
        let list = try await JSONParser.parse(
            Array(try sandbox.kubectl(["get", "namespaces,configmaps,deployments,services", "-A", "-o", "json"]).utf8), file: "kubectl")
        var objects: [String: [String]] = [:]
        for item in list["items"]?.arrayValue ?? [] {
            let key = [item["kind"]?.stringValue, item["metadata"]?["namespace"]?.stringValue, item["metadata"]?["name"]?.stringValue]
                .map { $0 ?? "" }.joined(separator: "/")
            objects[key] = [item["metadata"]?["uid"]?.stringValue ?? "", item["metadata"]?["resourceVersion"]?.stringValue ?? ""]
        }
        return objects
    }

    @Test("SIGTERM stops the sandbox with status 0 at once; restarted on the same --data every object is back and versions keep rising")
    func restartKeepsState() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path + "/state.db"
        let manifests = """
            apiVersion: v1
            kind: Namespace
            metadata: {name: shop}
            ---
            apiVersion: v1
            kind: ConfigMap
            metadata: {name: settings, namespace: shop, labels: {app: shop}}
            data: {color: blue}
            ---
            apiVersion: apps/v1
            kind: Deployment
            metadata: {name: web, namespace: shop}
            spec:
              replicas: 2
              selector: {matchLabels: {app: web}}
              template:
                metadata: {labels: {app: web}}
                spec: {containers: [{name: web, image: nginx:1.27}]}
            ---
            apiVersion: v1
            kind: Service
            metadata: {name: web, namespace: shop}
            spec: {selector: {app: web}, ports: [{port: 80}]}
            """

        let first = try await Running(keelson, data: data, directory: directory)
        let before: [String: [String]]
        do {
            _ = try await first.kubectl(["apply", "--server-side", "-f", "-"], stdin: manifests)
            _ = try await first.kubectl(["patch", "configmap", "settings", "-n", "shop", "--type", "merge", "-p", #"{"data":{"color":"green"}}"#])
            before = try await Self.snapshot(first)
        } catch {
            _ = try? await first.stop()
            throw error
        }
        let stopped = try await first.stop()
        #expect(stopped.status == 0, "\(first.process.ending): \(first.output)")
        #expect(stopped.elapsed < .seconds(5))
        #expect(first.output.contains("listening on http://127.0.0.1:"))
        for key in ["Namespace//shop", "ConfigMap/shop/settings", "Deployment/shop/web", "Service/shop/web"] {
            #expect(before[key] != nil, "\(key) missing before the restart")
        }

        let second = try await Running(keelson, data: data, directory: directory)
        do {
            let after = try await Self.snapshot(second)
            // Everything that was there is there, same uid and resourceVersion (the simulator may add status updates to workloads).
            for (key, identity) in before where !key.hasPrefix("Deployment/") {
                #expect(after[key] == identity, "\(key)")
            }
            #expect(after["Deployment/shop/web"]?.first == before["Deployment/shop/web"]?.first)
            #expect(try await second.kubectl(["get", "configmap", "settings", "-n", "shop", "-o", "jsonpath={.data.color}"]) == "green")
            let highest = after.values.compactMap { Int($0[1]) }.max() ?? 0
            let created = try await second.kubectl(
                ["create", "-f", "-", "-o", "jsonpath={.metadata.resourceVersion}"],
                stdin: """
                    apiVersion: v1
                    kind: ConfigMap
                    metadata: {name: later, namespace: shop}
                    """)
            #expect((Int(created) ?? 0) > highest, "new resourceVersion \(created), highest before \(highest)")
        } catch {
            _ = try? await second.stop()
            throw error
        }
        let stoppedAgain = try await second.stop()
        #expect(stoppedAgain.status == 0)
    }

    /// An older sandbox left running on the same file kept serving watches from a state that no
    /// longer moved; and open watches once kept the process from exiting.
    @Test("a second sandbox on the same --data is refused; SIGTERM with open watches stops the sandbox at once")
    func oneSandboxPerFileAndWatchesDoNotHoldTheExit() async throws {
        let directory = try TemporaryDirectory()
        defer { directory.remove() }
        let data = directory.path + "/state.db"
        let first = try await Running(keelson, data: data, directory: directory)
        var watches: [BackgroundProcess] = []
        defer { for watch in watches { watch.kill() } }
        do {
            let second = try await ProcessRunner.run(
                keelson, ["sandbox", "--port", "0", "--data", data, "--kubeconfig-out", directory.path + "/second"])
            #expect(second.status != 0)
            #expect(second.errorOutput.contains("another keelson sandbox is serving it"), "\(second.errorOutput)")
            for (index, arguments) in [
                ["get", "configmaps", "-A", "--watch"],
                ["get", "--raw", "/api/v1/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan&allowWatchBookmarks=true"],
            ].enumerated() {
                watches.append(
                    try BackgroundProcess("kubectl", ["--kubeconfig", first.kubeconfig] + arguments, log: directory.path + "/watch-\(index)"))
            }
            // Both watches are open once the sandbox counts them.
            let deadline = ContinuousClock.now + .seconds(60)
            while try await first.kubectl(["get", "--raw", "/sandbox/faults"]).contains(#""openWatches":2"#) == false {
                guard ContinuousClock.now < deadline else { throw TestFailure("the watches did not open") }
                try await Task.sleep(for: .milliseconds(50))
            }
        } catch {
            _ = try? await first.stop()
            throw error
        }
        let stopped = try await first.stop()
        #expect(stopped.status == 0)
        #expect(stopped.elapsed < .seconds(10), "\(stopped.elapsed)")
    }
}
