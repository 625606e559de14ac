import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// A2 and A3: rollouts decided by analysis against the sandbox's scripted Prometheus.
@Suite struct RolloutAnalysisTests {
    typealias R = RolloutTests

    static let rollout = R.rollout(
        strategy: """
                canary:
                  steps:
                    - setWeight: 20
                    - analysis: {templates: [{name: success-rate}], args: [{name: service, value: web-canary}]}
                    - setWeight: 60
                    - pause: {duration: 1s}
            """, spec: "  abortScaleDownDelay: 0s\n")

    /// The success-rate template of the design, asking the sandbox's scripted Prometheus.
    static func template(_ sandbox: String) -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: success-rate}
        spec:
          args: [{name: service}]
          metrics:
            - name: success-rate
              interval: 1s
              count: 2
              threshold: {min: 0.95}
              provider:
                prometheus:
                  address: \(sandbox)/sandbox/prometheus
                  query: 'sum(rate(http_requests_total{service="{{args.service}}",code!~"5.."}[1m])) / sum(rate(http_requests_total{service="{{args.service}}"}[1m]))'

        """
    }

    static func answer(_ h: ControllerHarness, _ value: Double) async throws {
        let script = #"[{"match": "http_requests_total", "values": [\#(value)]}]"#
        let reply = try await LoopbackHTTP.call(h.sandboxURL + "/sandbox/prometheus/answers", method: "POST", body: script)
        #expect(reply.status == 200)
    }

    static func phase(_ h: ControllerHarness) async -> String? { await R.state(h)?["phase"]?.stringValue }

    // A2: a failing analysis aborts with its reason; the stable keeps serving all five pods, the
    // Application is Healthy and Synced, its delivery RolledBack naming both revisions, and Git
    // is untouched. A3: the abort is sticky, a revert is fast-tracked, and retry promotes.
    @Test func failedAnalysisAbortsAndRetryPromotes() async throws {
        try await ControllerHarness.with(
            files: ["app/web.yaml": R.web("1.0.0"), "app/rollout.yaml": Self.rollout],
            apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")]
        ) { h in
            // The commit that brought 1.0.0 is the one serving while 1.0.2 rolls back.
            let serving = try await ControllerHarness.revision(of: "HEAD", in: h.repository)
            try await h.eventually("the first version runs") { await Self.phase(h) == "Healthy" }
            try await h.commit(["app/template.yaml": Self.template(h.sandboxURL)], message: "analysis")
            try await Self.answer(h, 0.80)
            try await h.commit(["app/web.yaml": R.web("1.0.2")], message: "web 1.0.2")
            let rolledOut = try await ControllerHarness.revision(of: "HEAD", in: h.repository)
            try await h.eventually("the analysis aborts the rollout", timeout: .seconds(60)) { await Self.phase(h) == "Aborted" }
            let state = await R.state(h)
            #expect(state?["abortReason"]?.stringValue == "AnalysisFailed")
            #expect(state?["message"]?.stringValue?.hasPrefix("success-rate 0.8 < min 0.95") == true)
            try await h.eventually("the stable serves five pods of 1.0.0 and the canary none") {
                let web = await R.deployment(h, "web")
                let canary = await R.deployment(h, "web-canary")
                return web?.replicas == 5 && web?.image.hasSuffix(":1.0.0") == true && canary?.replicas == 0
            }
            try await h.eventually("Healthy, Synced, delivery RolledBack from 1.0.2 to the serving revision") {
                let status = await h.status("shop-web")
                let delivery = status?["delivery"]
                return status?["health"]?["status"]?.stringValue == "Healthy" && status?["sync"]?["status"]?.stringValue == "Synced"
                    && delivery?["state"]?.stringValue == "RolledBack" && delivery?["reason"]?.stringValue == "AnalysisFailed"
                    && delivery?["revision"]?.stringValue == rolledOut && delivery?["servingRevision"]?.stringValue == serving
            }
            #expect(try await ControllerHarness.revision(of: "HEAD", in: h.repository) == rolledOut, "Git is never rewritten")
            let queries = try await LoopbackHTTP.call(h.sandboxURL + "/sandbox/prometheus/queries").text
            #expect(queries.contains(#"service=\"web-canary\""#), "the step's argument reached the query: \(queries.prefix(300))")

            // A3: sticky across reconciles.
            let reconciled = h.reconciles["keelson/shop-web"]
            try await h.eventually("three more reconciles") { h.reconciles["keelson/shop-web"] >= reconciled + 3 }
            #expect(await Self.phase(h) == "Aborted")
            // A revert reaches Healthy with no canary scale-up.
            try await h.commit(["app/web.yaml": R.web("1.0.0")], message: "Revert web 1.0.2")
            try await h.eventually("the revert is fast-tracked") {
                let canary = await R.deployment(h, "web-canary")
                let delivery = await h.status("shop-web")?["delivery"]?["state"]?.stringValue
                return await Self.phase(h) == "Healthy" && canary == nil && delivery == "Succeeded"
            }
            // A failing 1.0.3, then retry with passing answers.
            try await h.commit(["app/web.yaml": R.web("1.0.3")], message: "web 1.0.3")
            try await h.eventually("1.0.3 is aborted", timeout: .seconds(60)) { await Self.phase(h) == "Aborted" }
            try await Self.answer(h, 0.99)
            try await R.annotate(h, "keelson.dev/retry")
            try await h.eventually("retry promotes 1.0.3", timeout: .seconds(90)) {
                let web = await R.deployment(h, "web")
                return await Self.phase(h) == "Healthy" && web?.image.hasSuffix(":1.0.3") == true && web?.replicas == 5
            }
        }
    }
}
