import Controller
import Foundation
import Manifests
import Testing

@testable import Server

/// The rollout metrics: gauges from the Applications' `status.rollouts`, counters from what the
/// controller reports.
@Suite struct RolloutMetricsTests {
    static func view(rollouts: JSONValue) throws -> ApplicationView {
        var object = try Manifest([
            "apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "metadata": ["name": "shop-web", "namespace": "keelson"],
        ])
        object.object["status"] = ["rollouts": rollouts]
        return ApplicationView(object: object, application: nil)
    }

    /// One series per phase (1 for the current one), and the set and actual weight.
    @Test func gaugesFollowTheApplicationsRollouts() throws {
        let view = try Self.view(rollouts: [["namespace": "shop", "name": "web", "phase": "Paused", "setWeight": 20, "actualWeight": 17]])
        let text = ServerMetrics().render(applications: [view])
        #expect(text.contains(#"keelson_rollout_phase{name="web",namespace="shop",phase="Paused"} 1"#))
        #expect(text.contains(#"keelson_rollout_phase{name="web",namespace="shop",phase="Healthy"} 0"#))
        #expect(text.contains(#"keelson_rollout_phase{name="web",namespace="shop",phase="Error"} 0"#))
        #expect(text.contains(#"keelson_rollout_weight{kind="set",name="web",namespace="shop"} 20"#))
        #expect(text.contains(#"keelson_rollout_weight{kind="actual",name="web",namespace="shop"} 17"#))
        // A Rollout that cannot be followed has no weights.
        let broken = try Self.view(rollouts: [["namespace": "shop", "name": "bad", "phase": "Error", "message": "spec.strategy: ..."]])
        let other = ServerMetrics().render(applications: [broken])
        #expect(other.contains(#"keelson_rollout_phase{name="bad",namespace="shop",phase="Error"} 1"#))
        #expect(!other.contains("keelson_rollout_weight"))
    }

    /// Transitions count by the phase entered; measurements by metric and outcome.
    @Test func countersCountWhatTheControllerReports() {
        let metrics = ServerMetrics()
        metrics.record(.rolloutTransition(to: "Paused"))
        metrics.record(.rolloutTransition(to: "Paused"))
        metrics.record(.analysisMeasurement(metric: "success-rate", outcome: "Failed"))
        #expect(metrics.registry.value("keelson_rollout_transitions_total", labels: ["to": "Paused"]) == 2)
        #expect(metrics.registry.value("keelson_analysis_measurements_total", labels: ["metric": "success-rate", "outcome": "Failed"]) == 1)
    }
}
