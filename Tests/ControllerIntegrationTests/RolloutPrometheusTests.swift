import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// A9: the real Prometheus scrapes the sandbox's simulated traffic, and real PromQL `rate()`
/// decides a rollout's analysis: a canary that fails 30 % of requests is aborted with the
/// measured value, one that fails none is promoted.
@Suite(.enabled(if: RealPrometheus.isAvailable, "prometheus is not installed; scripts/test installs it"))
struct RolloutPrometheusTests: RolloutHarness {
    static let rollout = RolloutFixtures.rollout(
        strategy: """
                canary:
                  steps:
                    - setWeight: 20
                    - analysis: {templates: [{name: success-rate}]}
            """)

    /// The success rate of the canary's requests over 10 s, as Prometheus computes it.
    static func template(_ prometheus: String) -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: AnalysisTemplate
        metadata: {name: success-rate}
        spec:
          metrics:
            - name: success-rate
              initialDelay: 12s
              interval: 2s
              count: 2
              threshold: {min: 0.95}
              provider:
                prometheus:
                  address: \(prometheus)
                  query: 'sum(rate(sandbox_http_requests_total{deployment="{{canary.deployment}}",code!~"5.."}[10s])) / sum(rate(sandbox_http_requests_total{deployment="{{canary.deployment}}"}[10s]))'

        """
    }

    /// Deployment `web` at `version` whose pods fail `errors` of their requests, behind a
    /// Service taking 100 requests a second.
    static func web(_ version: String, errors: String) -> String {
        Self.web(version)
            .replacingOccurrences(
                of: "metadata: {labels: {app: web}}",
                with: "metadata: {labels: {app: web}, annotations: {sandbox.keelson.dev/error-rate: \"\(errors)\"}}"
            )
            .replacingOccurrences(
                of: "metadata: {name: web}\nspec: {selector",
                with: "metadata: {name: web, annotations: {sandbox.keelson.dev/rps: \"100\"}}\nspec: {selector")
    }

    static func phase(_ h: ControllerHarness) async -> String? { await state(h)?["phase"]?.stringValue }

    @Test func realPrometheusDecidesTheAnalysis() async throws {
        #expect(Self.web("1", errors: "0.3").contains("error-rate: \"0.3\"") && Self.web("1", errors: "0").contains("rps: \"100\""))
        try await ControllerHarness.with(
            files: ["app/web.yaml": Self.web("1.0.0", errors: "0"), "app/rollout.yaml": Self.rollout],
            apps: ["shop-web": ControllerHarness.app("shop-web", path: "app")]
        ) { h in
            let target = h.sandboxURL.replacingOccurrences(of: "http://", with: "")
            try await RealPrometheus.withRunning(scraping: target, path: "/sandbox/traffic/metrics") { prometheus in
                try await h.eventually("the first version runs") { await Self.phase(h) == "Healthy" }
                try await h.commit(["app/template.yaml": Self.template(prometheus)], message: "analysis")
                try await h.commit(["app/web.yaml": Self.web("1.0.1", errors: "0.3")], message: "web 1.0.1, failing 30 %")
                try await h.eventually("the measured 0.70 aborts the rollout", timeout: .seconds(120)) { await Self.phase(h) == "Aborted" }
                let measured = try await Self.measurement(h)
                #expect(abs(measured - 0.70) <= 0.05, "measured \(measured)")
                #expect(await Self.state(h)?["message"]?.stringValue?.hasPrefix("success-rate 0.") == true)

                try await h.commit(["app/web.yaml": Self.web("1.0.2", errors: "0")], message: "web 1.0.2")
                try await h.eventually("a canary failing nothing is promoted", timeout: .seconds(120)) {
                    let web = await Self.deployment(h, "web")
                    return await Self.phase(h) == "Healthy" && web?.image.hasSuffix(":1.0.2") == true
                }
            }
        }
    }

    /// The last value the step's analysis measured, from the Rollout's status.
    static func measurement(_ h: ControllerHarness) async throws -> Double {
        let status = try await h.client.get(rollouts, name: "web", namespace: "default").object["status"]
        let measurements = status?[path: ["analysis", "step", "run", "metrics"]]?.arrayValue?.first?["measurements"]?.arrayValue ?? []
        return try #require(measurements.last?["value"]?.stringValue.flatMap(Double.init))
    }
}
