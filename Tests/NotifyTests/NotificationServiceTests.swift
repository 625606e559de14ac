import Controller
import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Notify
import Synchronization
import Testing

/// The notification service against a sandbox, with Application statuses written by the test
/// as the controller would write them, and a loopback receiver. Design checks B4 and B7.
@Suite struct NotificationServiceTests {
    static let applications = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")
    static let alerts = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Alert")

    static func objects(_ receiver: String) -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: Provider
        metadata: {name: hook, namespace: keelson}
        spec: {type: generic, address: "\(receiver)/generic"}
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: Alert
        metadata: {name: hook, namespace: keelson}
        spec: {providerRef: {name: hook}, sources: [{kind: Application, name: "*"}], events: [deployed]}
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: guestbook, namespace: keelson}
        spec: {source: {repoURL: "https://git.example.com/shop/deploy", path: apps}, destination: {namespace: guestbook}}
        """
    }

    /// Writes the status a controller writes after deploying `revision` (keeping `notified`),
    /// again on a conflict with the notifier's own write of `notified`, as the controller does.
    static func deployed(_ revision: String, client: KubeClient) async throws {
        for attempt in 0..<10 {
            var app = try await client.get(applications, name: "guestbook", namespace: "keelson")
            var status: JSONObject = [
                "sync": ["status": "Synced", "revision": .string(revision)], "health": ["status": "Healthy", "message": ""],
                "revision": .string(revision), "latestRevision": .string(revision),
            ]
            status["notified"] = app.object["status"]?["notified"]
            app.object["status"] = .object(status)
            do {
                _ = try await client.updateStatus(app, options: WriteOptions(fieldManager: "test"))
                return
            } catch {
                if !error.isConflict || attempt == 9 { throw error }
            }
        }
    }

    static func withCluster(_ body: @Sendable (KubeClient) async throws -> Void) async throws {
        var quiet = Logger(label: "sandbox")
        quiet.logLevel = .critical
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: folder.path + "/kubeconfig"), logger: quiet) { _ in
            let configuration = try KubeConfiguration.load(KubeconfigOptions(explicitPath: folder.path + "/kubeconfig"))
            try await KubeClient.withClient(configuration) { client in
                try await client.createNamespaceIfMissing("keelson", fieldManager: "test")
                for (file, yaml) in ControllerCRDs.all + NotifyCRDs.all {
                    for crd in try Manifest.decode(Array(yaml.utf8), file: file) {
                        _ = try await client.apply(crd, options: ApplyOptions(fieldManager: "test", force: true))
                    }
                }
                try await eventually("the CRDs are served") { (try? await client.resource(for: alerts)) != nil }
                try await body(client)
            }
        }
    }

    /// Runs a notification service (no real sleeping between retries) while `body` runs.
    static func withService(
        _ client: KubeClient, metrics: MetricLog = MetricLog(), _ body: @Sendable () async throws -> Void
    ) async throws {
        var configuration = NotificationConfiguration()
        configuration.installCRDs = false
        configuration.retryAfterFailure = .milliseconds(100)
        configuration.onMetric = { metric in metrics.entries.withLock { $0.append(metric) } }
        let service = NotificationService(client: client, configuration: configuration, deliverer: Deliverer(sleep: { _ in }))
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await service.run() }
            defer { group.cancelAll() }
            try await body()
        }
    }

    @Test func aRestartSendsNothingAgainAndTheNextTransitionOnce() async throws {
        try await HTTPReceiver.withRunning { receiver in
            try await Self.withCluster { client in
                for object in try Manifest.decode(Array(Self.objects(receiver.url).utf8), file: "objects.yaml") {
                    _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
                }
                let first = String(repeating: "a", count: 40)
                let second = String(repeating: "b", count: 40)
                try await Self.deployed(first, client: client)
                try await Self.withService(client) {
                    try await eventually("the first revision is announced") { await receiver.requests(path: "/generic").count == 1 }
                    try await eventually("what was announced is kept in status") {
                        let status = try await client.get(Self.applications, name: "guestbook", namespace: "keelson").object["status"]
                        return status?[path: ["notified", "snapshot", "deployedRevision"]]?.stringValue == first
                    }
                }
                // A new service knows only what status keeps: it repeats nothing, and tells the next deploy once.
                try await Self.withService(client) {
                    try await Self.deployed(second, client: client)
                    try await eventually("the second revision is announced") { await receiver.requests(path: "/generic").count >= 2 }
                }
                let reasons = await receiver.requests(path: "/generic").compactMap {
                    (try? JSONParser.parse($0.body))?[path: ["metadata", "revision"]]?.stringValue
                }
                #expect(reasons == [first, second])
            }
        }
    }

    @Test func failuresForNowAreRetriedAndARefusalMarksTheAlert() async throws {
        try await HTTPReceiver.withRunning { receiver in
            receiver.script("/generic", statuses: [503, 503, 200])
            try await Self.withCluster { client in
                for object in try Manifest.decode(Array(Self.objects(receiver.url).utf8), file: "objects.yaml") {
                    _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
                }
                try await Self.deployed(String(repeating: "a", count: 40), client: client)
                let metrics = MetricLog()
                try await Self.withService(client, metrics: metrics) {
                    try await eventually("delivered on the third attempt") {
                        await receiver.requests(path: "/generic").count == 3
                    }
                    try await eventually("the delivery is measured") { metrics.entries.withLock { !$0.isEmpty } }
                    let delivered = try #require(metrics.entries.withLock { $0.first })
                    #expect(delivered.provider == "keelson/hook" && delivered.result == "delivered" && delivered.retries == 2)
                    try await eventually("the Alert says it delivers") {
                        let alert = try await client.get(Self.alerts, name: "hook", namespace: "keelson")
                        return alert.object["status"]?["conditions"]?.arrayValue?.first?["reason"] == "Delivering"
                    }
                    receiver.script("/generic", statuses: [400])
                    try await Self.deployed(String(repeating: "b", count: 40), client: client)
                    try await eventually("a refusal marks the Alert") {
                        let alert = try await client.get(Self.alerts, name: "hook", namespace: "keelson")
                        return alert.object["status"]?["conditions"]?.arrayValue?.first?["reason"] == "DeliveryFailed"
                    }
                    let alert = try await client.get(Self.alerts, name: "hook", namespace: "keelson")
                    #expect(alert.object["status"]?["conditions"]?.arrayValue?.first?["message"] == "HTTP 400 from provider hook")
                    #expect(alert.object["status"]?["conditions"]?.arrayValue?.first?["status"] == "False")
                    // Refused once, not retried: the event is done with.
                    #expect(await receiver.requests(path: "/generic").count == 4)
                    // The Alert's condition and the Application's snapshot are two writes; the snapshot follows.
                    try await eventually("the snapshot records the refused event as done with") {
                        let snapshot = try await client.get(Self.applications, name: "guestbook", namespace: "keelson").object["status"]
                        return snapshot?[path: ["notified", "snapshot", "deployedRevision"]]?.stringValue == String(repeating: "b", count: 40)
                    }
                }
            }
        }
    }
}

extension NotificationServiceTests {
    /// A retry sends only what failed, and each recipient of an Argo CD subscription gets its own message.
    @Test func aRetrySendsOnlyWhatFailedAndEveryRecipientGetsItsOwn() async throws {
        try await HTTPReceiver.withRunning { receiver in
            // Five answers of 503 exhaust one delivery's retries; the next attempt succeeds.
            receiver.script("/flaky", statuses: [503, 503, 503, 503, 503, 200])
            try await Self.withCluster { client in
                let objects = """
                    apiVersion: keelson.dev/v1alpha1
                    kind: Provider
                    metadata: {name: good, namespace: keelson}
                    spec: {type: generic, address: "\(receiver.url)/good"}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: Provider
                    metadata: {name: flaky, namespace: keelson}
                    spec: {type: generic, address: "\(receiver.url)/flaky"}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: Provider
                    metadata: {name: chat, namespace: keelson}
                    spec: {type: slack, address: "\(receiver.url)/chat"}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: Alert
                    metadata: {name: good, namespace: keelson}
                    spec: {providerRef: {name: good}, sources: [{kind: Application, name: "*"}], events: [deployed]}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: Alert
                    metadata: {name: flaky, namespace: keelson}
                    spec: {providerRef: {name: flaky}, sources: [{kind: Application, name: "*"}], events: [deployed]}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: Application
                    metadata:
                      name: guestbook
                      namespace: keelson
                      annotations: {notifications.argoproj.io/subscribe.on-deployed.chat: "team-a;team-b"}
                    spec: {source: {repoURL: "https://git.example.com/shop/deploy", path: apps}, destination: {namespace: guestbook}}
                    """
                for object in try Manifest.decode(Array(objects.utf8), file: "objects.yaml") {
                    _ = try await client.apply(object, options: ApplyOptions(fieldManager: "test", force: true))
                }
                try await Self.deployed(String(repeating: "a", count: 40), client: client)
                try await Self.withService(client) {
                    try await eventually("the flaky provider gets it on the second attempt") {
                        await receiver.requests(path: "/flaky").count == 6
                    }
                    try await eventually("what was announced is kept in status") {
                        let status = try await client.get(Self.applications, name: "guestbook", namespace: "keelson").object["status"]
                        return status?[path: ["notified", "snapshot", "deployedRevision"]]?.stringValue == String(repeating: "a", count: 40)
                    }
                }
                #expect(await receiver.requests(path: "/good").count == 1, "a delivered route is not sent again")
                let channels = await receiver.requests(path: "/chat").compactMap { (try? JSONParser.parse($0.body))?["channel"]?.stringValue }
                #expect(channels.sorted() == ["team-a", "team-b"])
            }
        }
    }
}

/// The measurements a service reported.
final class MetricLog: Sendable {
    let entries = Mutex<[NotificationMetric]>([])
}
