import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Logging
import Manifests
import Testing

/// `keelson notify test|preview|list` against a sandbox and a loopback receiver (design check B1).
@Suite struct NotifyCommandTests {
    let keelson = Fixtures.keelsonExecutable()

    @Test func aTestNotificationArrivesAndAPreviewSendsNothing() async throws {
        let folder = try TemporaryDirectory()
        defer { folder.remove() }
        let kubeconfig = folder.path + "/kubeconfig"
        var logger = Logger(label: "sandbox")
        logger.logLevel = .critical
        let quiet = logger
        try await HTTPReceiver.withRunning { receiver in
            try await Sandbox.withRunning(SandboxConfiguration(kubeconfigPath: kubeconfig), logger: quiet) { _ in
                let objects = """
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: keelson}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: slack-webhook, namespace: keelson}
                    stringData: {address: "\(receiver.url)/slack/services/T000/B000/XXXX"}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: Provider
                    metadata: {name: team-slack, namespace: keelson}
                    spec: {type: slack, channel: deploys, secretRef: {name: slack-webhook}}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: Alert
                    metadata: {name: prod, namespace: keelson}
                    spec:
                      providerRef: {name: team-slack}
                      sources: [{kind: Application, name: "*"}]
                      events: [deployed]
                      metadata: {cluster: prod-eu}
                      template: {text: "{{event.title}}: {{app.name}} on {{metadata.cluster}}"}
                    """
                let crds =
                    try String(contentsOfFile: Fixtures.packageRoot() + "/deploy/crds/provider.yaml", encoding: .utf8) + "\n---\n"
                    + (try String(contentsOfFile: Fixtures.packageRoot() + "/deploy/crds/alert.yaml", encoding: .utf8))
                try await ProcessRunner.run("kubectl", ["--kubeconfig", kubeconfig, "apply", "-f", "-"], input: Data(crds.utf8))
                try await eventually("the CRDs are served") {
                    try await ProcessRunner.run("kubectl", ["--kubeconfig", kubeconfig, "apply", "-f", "-"], input: Data(objects.utf8)).status == 0
                }

                let sent = try await ProcessRunner.run(
                    keelson,
                    ["notify", "test", "team-slack", "-n", "keelson", "--event", "sync-failed", "--app", "guestbook", "--kubeconfig", kubeconfig])
                #expect(sent.status == 0, "\(sent.errorOutput)")
                #expect(sent.output == "200\n")
                let requests = await receiver.requests(path: "/slack")
                #expect(requests.count == 1)
                #expect(requests.first?.method == "POST" && requests.first?.header("Content-Type")?.hasPrefix("application/json") == true)
                let text = try #require(requests.first.flatMap { try? JSONParser.parse($0.body) }?["text"]?.stringValue)
                #expect(text.contains("guestbook") && text.contains("sync failed"), "\(text)")
                #expect(!(sent.output + sent.errorOutput).contains("XXXX"), "the webhook URL is never printed")

                let preview = try await ProcessRunner.run(
                    keelson, ["notify", "preview", "prod", "-n", "keelson", "--app", "guestbook", "--event", "deployed", "--kubeconfig", kubeconfig])
                #expect(preview.status == 0, "\(preview.errorOutput)")
                #expect(preview.output == "deployed: guestbook on prod-eu\n")
                #expect(await receiver.requests(path: "/slack").count == 1, "a preview sends nothing")

                let list = try await ProcessRunner.run(keelson, ["notify", "list", "--kubeconfig", kubeconfig])
                #expect(list.output.contains("keelson/team-slack  slack") && list.output.contains("keelson/prod  → team-slack"), "\(list.output)")
                #expect(!list.output.contains("XXXX"))
            }
        }
    }
}
