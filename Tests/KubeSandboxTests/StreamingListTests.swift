import Foundation
import KeelsonTesting
import Testing

/// Streaming lists (`sendInitialEvents=true`), which client-go ≥ 0.35 informers use instead of a
/// LIST: the initial objects as ADDED events, then a BOOKMARK annotated
/// `k8s.io/initial-events-end`, without which an informer never syncs.
@Suite("Streaming lists")
struct StreamingListTests {
    static let streamingList =
        "/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=true&resourceVersionMatch=NotOlderThan"

    @Test("the initial events end with an annotated bookmark at the list's resourceVersion")
    func initialEventsEnd() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("a", data: [:]))
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("b", data: [:]))
            let listed = try JSONValueBox(try await kubectl.ok(["get", "--raw", "/api/v1/namespaces/default/configmaps"]))
                .string("metadata.resourceVersion")
            let out = try await kubectl.ok(["get", "--raw", Self.streamingList + "&allowWatchBookmarks=true&timeoutSeconds=1"])
            let events = try out.split(separator: "\n").map { try JSONValueBox(String($0)) }
            #expect(events.map { $0.string("type") } == ["ADDED", "ADDED", "BOOKMARK"], "\(out)")
            #expect(events.prefix(2).map { $0.string("object.metadata.name") } == ["a", "b"])
            let bookmark = try #require(events.last)
            #expect(bookmark["object"]?["metadata"]?["annotations"]?["k8s.io/initial-events-end"]?.stringValue == "true", "\(out)")
            #expect(bookmark.string("object.metadata.resourceVersion") == listed)
            #expect(bookmark.string("object.kind") == "ConfigMap")
        }
    }

    @Test("sendInitialEvents=false starts at the given resourceVersion with no initial events")
    func noInitialEvents() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("a", data: [:]))
            let out = try await kubectl.ok([
                "get", "--raw",
                "/api/v1/namespaces/default/configmaps?watch=1&sendInitialEvents=false&resourceVersionMatch=NotOlderThan&timeoutSeconds=1",
            ])
            #expect(out.isEmpty, "\(out)")
        }
    }

    /// The API server's own messages for a streaming list asked for wrongly (422 Invalid).
    @Test(
        "a streaming list asked for wrongly is refused as the API server refuses it",
        arguments: [
            ("sendInitialEvents=true", "resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan"),
            (
                "resourceVersionMatch=NotOlderThan",
                "resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided"
            ),
            (
                "sendInitialEvents=true&resourceVersionMatch=Exact",
                #"resourceVersionMatch: Unsupported value: "Exact": supported values: "NotOlderThan""#
            ),
        ])
    func refused(query: String, message: String) async throws {
        try await withSandbox { kubectl, _ in
            let result = try await kubectl.run(["get", "--raw", "/api/v1/namespaces/default/configmaps?watch=1&" + query])
            #expect(result.status != 0)
            #expect(result.stderr.contains(message), "\(result.stderr)")
        }
    }

    /// Helm 4's `--wait` and its hook wait watch through client-go informers, which stream their
    /// initial list: against a sandbox without the end bookmark the install hangs to its timeout.
    @Test("helm install --wait with a pre-install hook Job finishes")
    func helmInstallWaits() async throws {
        let helm = try HelmReference.executable()
        try await withSandbox { kubectl, endpoint in
            let chart = kubectl.workDir.appendingPathComponent("hooked")
            try FileManager.default.createDirectory(at: chart.appendingPathComponent("templates"), withIntermediateDirectories: true)
            try "apiVersion: v2\nname: hooked\nversion: 0.1.0\n".write(
                to: chart.appendingPathComponent("Chart.yaml"), atomically: true, encoding: .utf8)
            try Fixtures.deployment("web").write(to: chart.appendingPathComponent("templates/web.yaml"), atomically: true, encoding: .utf8)
            try """
            apiVersion: batch/v1
            kind: Job
            metadata:
              name: migrate
              annotations:
                helm.sh/hook: pre-install
            spec:
              template:
                spec:
                  restartPolicy: Never
                  containers:
                  - name: migrate
                    image: busybox:1.36
            """.write(to: chart.appendingPathComponent("templates/migrate.yaml"), atomically: true, encoding: .utf8)
            var environment = ProcessInfo.processInfo.environment
            for name in ["CACHE", "CONFIG", "DATA"] { environment["HELM_\(name)_HOME"] = kubectl.workDir.path + "/helm-" + name.lowercased() }
            let result = try await ProcessRunner.run(
                helm, ["--kubeconfig", endpoint.kubeconfigPath!, "install", "demo", chart.path, "--wait", "--timeout", "120s"],
                environment: environment)
            #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
            #expect(result.output.contains("STATUS: deployed"), "\(result.output)")
            #expect(try await kubectl.json(["get", "job", "migrate"]).string("metadata.name") == "migrate")
            #expect(try await kubectl.json(["get", "deploy", "web"])["status.readyReplicas"]?.intValue == 2)
        }
    }
}
