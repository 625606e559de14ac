import Controller
import KeelsonTesting
import Kube
import Manifests
import Testing

/// A render that fails is not repeated on every reconcile of the same commit (a YAML bomb
/// re-rendered each second would keep the controller busy and large); a new commit renders again.
@Suite struct RenderFailureTests {
    typealias H = ControllerHarness

    /// The audit's bomb as an Application: 1 MiB on disk, 300 aliases of a 1 MiB scalar.
    static let bomb: String = {
        var text = "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: bomb\ndata:\n  big: &big \""
        text += String(repeating: "x", count: 1 << 20) + "\"\n"
        for index in 0..<300 { text += "  a\(index): *big\n" }
        return text
    }()

    @Test func aFailingRenderIsRememberedPerCommit() async throws {
        let logs = LogCapture()
        try await H.with(files: ["app/bomb.yaml": Self.bomb], apps: ["broken": H.app("broken", path: "app")], logs: logs) { h in
            try await h.eventually("the render failure is reported, naming the limit") {
                ((await h.status("broken"))?["conditions"]?.arrayValue ?? []).contains {
                    $0["reason"] == "RenderFailed" && ($0["message"]?.stringValue ?? "").contains("bomb.yaml")
                        && ($0["message"]?.stringValue ?? "").contains("limit")
                }
            }
            // Several more reconciles of the same commit…
            let reconciled = h.reconciles["keelson/broken"]
            try await h.eventually("the application is reconciled three more times") { h.reconciles["keelson/broken"] >= reconciled + 3 }
            // …rendered it once.
            #expect(logs.lines.count { $0.contains("render failed") } == 1)
            #expect(((await h.status("broken"))?["conditions"]?.arrayValue ?? []).contains { $0["reason"] == "RenderFailed" })

            try await h.commit(["app/bomb.yaml": H.configMap("fixed", "1")], message: "fix")
            try await h.eventually("a new commit renders again and syncs") { await h.configMapValue("fixed") == "1" }
        }
    }
}
