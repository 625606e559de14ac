import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Testing

/// Stopping a sandbox is graceful, prompt and quiet, the way `keelson demo` stops it on Ctrl-C.
@Suite("Sandbox shutdown")
struct SandboxShutdownTests {
    // A watch whose client has gone is noticed by the server only at its next write; without
    // bookmarks or a timeout that never comes, so only shutdown itself may end it. Stopping the
    // HTTP server by cancellation instead logs errors ("Waiting on child channel").
    @Test("leaving withRunning ends a watch whose client is gone and logs nothing at error level")
    func shutdownEndsAbandonedWatchesQuietly() async throws {
        let logs = LogCapture()
        let directory = try TemporaryDirectory(prefix: "keelson-sandbox-shutdown")
        defer { directory.remove() }
        let kubeconfig = directory.path + "/kubeconfig"
        var settings = SandboxConfiguration(kubeconfigPath: kubeconfig, readyDelay: .milliseconds(100))
        settings.bookmarkInterval = .seconds(3600)
        let configuration = settings
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                try await Sandbox.withRunning(configuration, logger: logs.logger) { _ in
                    let kube = try KubeConfiguration.load(KubeconfigOptions(explicitPath: kubeconfig))
                    try await KubeClient.withClient(kube) { client in
                        let list = try await client.list(configMapKind, namespace: "default")
                        let watch = client.watch(
                            configMapKind, namespace: "default", options: ListOptions(resourceVersion: list.resourceVersion, timeoutSeconds: 3600))
                        var events = watch.makeAsyncIterator()
                        _ = try await client.create(try object("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a, namespace: default}"))
                        #expect(try await events.next()?.type == .added, "the watch is open")
                    }
                    // The client is shut down, its watch connection closed, the server's handler still waiting.
                }
            }
            // Only a guard: a sandbox that waits for the abandoned watch would take an hour.
            group.addTask {
                try await Task.sleep(for: .seconds(60))
                throw TestFailure("the sandbox did not stop within 60 s")
            }
            try await group.next()
            group.cancelAll()
        }
        let errors = logs.lines.filter { $0.hasPrefix("error") || $0.hasPrefix("critical") }
        #expect(errors.isEmpty, "a graceful stop logs no errors: \(errors)")
    }
}
