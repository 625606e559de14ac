import Controller
import KeelsonTesting
import Kube
import Manifests
import Testing

/// A render that fails is not repeated on every reconcile of the same commit (a YAML bomb
/// re-rendered each second would keep the controller busy and large); a new commit renders again.
@Suite struct RenderFailureTests {
    typealias H = ControllerHarness

    @Test func aFailingRenderIsRememberedPerCommit() async throws {
        let logs = LogCapture()
        try await H.with(files: ["app/bad.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: [unclosed\n"], apps: ["broken": H.app("broken", path: "app")], logs: logs) { h in
            try await h.eventually("the render failure is reported") {
                ((await h.status("broken"))?["conditions"]?.arrayValue ?? []).contains { $0["reason"] == "RenderFailed" }
            }
            // Several more reconciles of the same commit (each writes status)…
            let written = h.controllerCalls.calls[.updateStatus] ?? 0
            try await h.eventually("the application is reconciled three more times") { (h.controllerCalls.calls[.updateStatus] ?? 0) >= written + 3 }
            // …rendered it once.
            #expect(logs.lines.count { $0.contains("render failed") } == 1)
            #expect(((await h.status("broken"))?["conditions"]?.arrayValue ?? []).contains { $0["reason"] == "RenderFailed" })

            try h.commit(["app/bad.yaml": H.configMap("fixed", "1")], message: "fix")
            try await h.eventually("a new commit renders again and syncs") { await h.configMapValue("fixed") == "1" }
        }
    }
}
