import Foundation
import KeelsonTesting
import Kube
import Manifests
import Notify
import SCM
import Synchronization
import Testing

/// Notifications end to end: the controller, a sandbox, a Git daemon serving the repository, a
/// loopback receiver and an in-memory GitHub, GitLab and Gitea. Design checks B2 and B3.
@Suite(.serialized) struct NotificationTests: NotificationFixtures {
    typealias H = ControllerHarness

    @Test func eventsAreToldOncePerTransitionAndCommitStatusesFollowTheSync() async throws {
        let repository = ServedRepository()
        defer { repository.stop() }
        let logs = LogCapture()
        try await HTTPReceiver.withRunning { receiver in
            try await FakeSCM.withRunning(token: Self.token) { fake in
                try await H.with(
                    files: ["app/web.yaml": H.deployment("web")], apps: ["guestbook": H.app("guestbook", path: "app", interval: "1s")],
                    logs: logs, plainTransports: true, repoURL: repository.url,
                    // The Providers and Alerts exist before the controller starts: the first sync is told too.
                    prepare: { client in
                        try await client.createNamespaceIfMissing("keelson", fieldManager: "test")
                        let objects = Self.objects(
                            receiver: receiver.url, app: "guestbook", events: ["source-failed", "deployed"], forges: Forge.allCases, fake: fake,
                            repository: try #require(repository.address))
                        try await Self.applyNotify(objects, client: client)
                    },
                    notifications: NotificationConfiguration()
                ) { h in
                    let project = repository.project
                    try await Ports.waitUntilListening(try #require(repository.port))
                    let first = try await Self.head(h)

                    @Sendable func hooks(_ reason: String) async -> [JSONValue] {
                        await Self.hooks(receiver).filter { $0["reason"]?.stringValue == reason }
                    }
                    try await h.eventually("the first revision is announced as deployed") { await hooks("deployed").count == 1 }
                    for forge in Forge.allCases {
                        try await h.eventually("\(forge) shows the first revision deployed") {
                            fake.statuses(forge: forge, project: project, sha: first).first?.state == "success"
                        }
                    }

                    // A broken commit: told once, with file:line, however often it is reconciled.
                    try await h.commit(
                        ["app/broken.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: x}\ndata: {a: 1, a: 2}\n"], message: "broken")
                    try await h.eventually("the source failure is announced") { await hooks("source-failed").count == 1 }
                    let message = try #require(await hooks("source-failed").first?["message"]?.stringValue)
                    #expect(message.contains("app/broken.yaml:4:"), "\(message)")
                    let seen = h.reconciles["keelson/guestbook"]
                    try await h.eventually("three more reconciles") { h.reconciles["keelson/guestbook"] >= seen + 3 }
                    #expect(await hooks("source-failed").count == 1)

                    // The fix deploys, and is announced once.
                    // A new image: a rollout the sandbox takes a moment over, so the sync is seen running.
                    let rollout = H.deployment("web").replacingOccurrences(of: "web:1", with: "web:2")
                    try await h.commit(["app/broken.yaml": nil, "app/web.yaml": rollout], message: "fix")
                    let fix = try await Self.head(h)
                    try await h.eventually("the fix is announced as deployed") { await hooks("deployed").count == 2 }
                    #expect(await hooks("deployed").last?[path: ["metadata", "revision"]]?.stringValue == fix)
                    let requestID = await receiver.requests(path: "/generic").last?.header("X-Keelson-Event-ID")
                    #expect(requestID?.contains("keelson/guestbook/deployed/\(fix)") == true)
                    // Each forge saw the sync run, then the deploy, on the fix's commit.
                    for forge in Forge.allCases {
                        try await h.eventually("\(forge) shows the fix deployed") {
                            fake.statuses(forge: forge, project: project, sha: fix).first.map { $0.state == "success" } ?? false
                        }
                        let statuses = fake.statuses(forge: forge, project: project, sha: fix)
                        #expect(
                            statuses.reversed().map(\.state) == (forge == .gitlab ? ["running", "success"] : ["pending", "success"]), "\(forge)")
                        #expect(statuses.allSatisfy { $0.context == "keelson/keelson/guestbook" && $0.description.count <= 140 })
                    }
                    // Resyncs post nothing new.
                    let posted = await fake.requests(forge: .github, method: "POST").count
                    let now = h.reconciles["keelson/guestbook"]
                    try await h.eventually("three more reconciles") { h.reconciles["keelson/guestbook"] >= now + 3 }
                    #expect(await fake.requests(forge: .github, method: "POST").count == posted)
                    #expect(await hooks("deployed").count == 2)
                    // What was announced is kept in status, for a restarted controller.
                    let snapshot = await h.status("guestbook")?[path: ["notified", "snapshot"]]
                    #expect(snapshot?["deployedRevision"]?.stringValue == fix)
                    // The Alert says it delivers.
                    let alert = try await h.client.get(
                        GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Alert"), name: "hook", namespace: "keelson")
                    #expect(alert.object["status"]?["conditions"]?.arrayValue?.first?["reason"] == "Delivering")
                    // B6: the token is nowhere: not in statuses, not in what the controller and the notifier logged.
                    var written = JSONWriter.compact(await h.status("guestbook") ?? .null)
                    for kind in ["Alert", "Provider"] {
                        for object in try await h.client.listAll(GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: kind)).items {
                            written += JSONWriter.compact(object.object["status"] ?? .null)
                        }
                    }
                    written += logs.lines.joined(separator: "\n")
                    #expect(!written.contains(Self.token) && !written.contains("TESTTOKEN") && !logs.lines.isEmpty)
                }
            }
        }
    }

    /// B9: with self-heal off, a change made in the cluster is told once, naming the object, the
    /// field and who changed it; nothing more until the drift changes.
    @Test func driftIsToldWithTheFieldAndItsWriter() async throws {
        try await HTTPReceiver.withRunning { receiver in
            let objects = """
                apiVersion: keelson.dev/v1alpha1
                kind: Provider
                metadata: {name: hook, namespace: keelson}
                spec: {type: generic, address: "\(receiver.url)/generic"}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: Alert
                metadata: {name: drift, namespace: keelson}
                spec:
                  providerRef: {name: hook}
                  sources: [{kind: Application, name: "*"}]
                  severity: warning
                  template: {text: "{{event.severity}} {{message}}"}
                """
            try await H.with(
                files: ["app/web.yaml": H.deployment("web", replicas: 2)], apps: ["guestbook": H.app("guestbook", path: "app", selfHeal: false)],
                prepare: { client in
                    try await client.createNamespaceIfMissing("keelson", fieldManager: "test")
                    try await Self.applyNotify(objects, client: client)
                },
                notifications: NotificationConfiguration()
            ) { h in
                try await h.eventually("the app is synced") { await h.status("guestbook")?["sync"]?["status"] == "Synced" }
                _ = try await h.client.mergePatch(
                    GroupVersionKind(group: "apps", version: "v1", kind: "Deployment"), name: "web", namespace: "default",
                    patch: ["spec": ["replicas": 3]], options: WriteOptions(fieldManager: "kubectl-scale"))
                @Sendable func texts() async -> [String] {
                    await receiver.requests(path: "/generic").compactMap { (try? JSONParser.parse($0.body))?["message"]?.stringValue }
                }
                try await h.eventually("the drift is told") { await texts().count == 1 }
                let text = try #require(await texts().first)
                #expect(text.hasPrefix("warning Deployment default/web spec.replicas (by kubectl-scale)"), "\(text)")
                let seen = h.reconciles["keelson/guestbook"]
                try await h.eventually("three more reconciles") { h.reconciles["keelson/guestbook"] >= seen + 3 }
                #expect(await texts().count == 1)
            }
        }
    }

    /// B7: a controller killed with SIGKILL after announcing a deploy, and started again, sends
    /// nothing twice: the next request the receiver sees is the next commit's deploy.
    @Test func aKilledControllerRestartsWithoutAStorm() async throws {
        try await HTTPReceiver.withRunning { receiver in
            let objects = """
                apiVersion: keelson.dev/v1alpha1
                kind: Provider
                metadata: {name: hook, namespace: keelson}
                spec: {type: generic, address: "\(receiver.url)/generic"}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: Alert
                metadata: {name: hook, namespace: keelson}
                spec: {providerRef: {name: hook}, sources: [{kind: Application, name: "*"}], events: [deployed, sync-succeeded, app-created]}
                """
            try await H.withoutController(
                prefix: "keelson-notify-restart", files: ["app/a.yaml": H.configMap("a", "1")], apps: ["guestbook": H.app("guestbook", path: "app")],
                readyDelay: .milliseconds(200)
            ) { h, arguments in
                try await h.client.createNamespaceIfMissing("keelson", fieldManager: "test")
                try await Self.applyNotify(objects, client: h.client)
                @Sendable func reasons() async -> [String] {
                    await receiver.requests(path: "/generic").compactMap { (try? JSONParser.parse($0.body))?["reason"]?.stringValue }
                }
                let first = try BackgroundProcess(Fixtures.keelsonExecutable(), arguments, log: h.folder.path + "/first.log")
                defer { first.kill() }
                try await h.eventually("the first deploy is announced and recorded") {
                    let recorded = await h.status("guestbook")?[path: ["notified", "snapshot", "deployedRevision"]]?.stringValue?.isEmpty == false
                    return await reasons().contains("deployed") && recorded
                }
                let before = await reasons()
                first.kill()

                let second = try BackgroundProcess(Fixtures.keelsonExecutable(), arguments, log: h.folder.path + "/second.log")
                defer { second.terminate() }
                try await h.commit(["app/a.yaml": H.configMap("a", "2")], message: "a=2")
                try await h.eventually("the next deploy is announced") { await reasons().filter { $0 == "deployed" }.count == 2 }
                let after = await reasons()
                #expect(Array(after.prefix(before.count)) == before)
                #expect(Array(after.dropFirst(before.count)) == ["sync-succeeded", "deployed"], "\(after)")
            }
        }
    }
}
