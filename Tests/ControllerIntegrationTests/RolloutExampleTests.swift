import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// `examples/progressive/` as the README walks through it: the example's own files, served
/// from Git, roll 1.0.1 out through its steps and its analysis to the end.
@Suite struct RolloutExampleTests: RolloutHarness {
    static let files = ["namespace.yaml", "web.yaml", "rollout.yaml", "success-rate.yaml"]

    static func example(_ name: String) throws -> String {
        try String(contentsOfFile: Fixtures.packageRoot() + "/examples/progressive/apps/shop/" + name, encoding: .utf8)
    }

    static func phase(_ h: ControllerHarness) async -> String? {
        (try? await h.client.get(rollouts, name: "web", namespace: "shop"))?.object["status"]?["state"]?["phase"]?.stringValue
    }

    @Test func theExampleRollsOutToTheEnd() async throws {
        var files: [String: String] = [:]
        for name in Self.files { files["apps/shop/" + name] = try Self.example(name) }
        let application = try String(contentsOfFile: Fixtures.packageRoot() + "/examples/progressive/applications/shop-web.yaml", encoding: .utf8)
        try await ControllerHarness.with(files: files, apps: ["shop-web": application]) { h in
            // The example asks the demo's sandbox on port 6443; this test's sandbox has its own port.
            let template = try Self.example("success-rate.yaml").replacingOccurrences(of: "http://127.0.0.1:6443", with: h.sandboxURL)
            try await h.commit(["apps/shop/success-rate.yaml": template], message: "this sandbox's Prometheus")
            _ = try await LoopbackHTTP.call(
                h.sandboxURL + "/sandbox/prometheus/answers", method: "POST", body: #"[{"match": "success|http_requests_total", "values": [0.99]}]"#)
            try await h.eventually("1.0.0 runs in shop") { await Self.phase(h) == "Healthy" }
            let web = try Self.example("web.yaml").replacingOccurrences(of: "web:1.0.0", with: "web:1.0.1")
            try await h.commit(["apps/shop/web.yaml": web], message: "web 1.0.1")
            // A1: at 20 % one pod in five runs 1.0.1, and a fifth of the Service's requests reach it.
            try await h.eventually("the canary takes a fifth of the traffic", timeout: .seconds(60)) {
                guard let reply = try? await LoopbackHTTP.call(h.sandboxURL + "/sandbox/traffic"), let json = try? JSONParser.parse(reply.text) else {
                    return false
                }
                return json[path: ["entrypoints", "shop/web", "share", "web-canary"]]?.doubleValue == 0.2
            }
            try await h.eventually("1.0.1 is promoted through its steps", timeout: .seconds(90)) {
                let deployment = try? await h.client.get(Self.deployments, name: "web", namespace: "shop")
                let image = deployment?.value[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue
                let phase = await Self.phase(h)
                return image == "registry.local/shop/web:1.0.1" && phase == "Healthy"
            }
            // The Application's history is completed by the reconcile after the Rollout's own status write.
            try await h.eventually("the history entry of 1.0.1 is Succeeded") {
                let history = (await h.status("shop-web"))?["history"]?.arrayValue ?? []
                return history.last?["result"]?.stringValue == "Succeeded"
            }
        }
    }
}
