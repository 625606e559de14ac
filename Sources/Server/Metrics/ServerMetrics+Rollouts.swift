import Controller
import Progressive

extension ServerMetrics {
    /// The phases a rollout gauge reports: the machine's, and `Error` for a Rollout that cannot be followed.
    static let rolloutPhases = RolloutState.Phase.allCases.map(\.rawValue) + ["Error"]

    /// The gauges of `view`'s rollouts (`status.rollouts[]`): 1 for each one's phase, 0 for the
    /// others, and its set and actual weight.
    static func recordRollouts(of view: ApplicationView, into gauges: MetricsRegistry) {
        for report in view.status["rollouts"]?.arrayValue ?? [] {
            let labels = ["namespace": report["namespace"]?.stringValue ?? "", "name": report["name"]?.stringValue ?? ""]
            let phase = report["phase"]?.stringValue ?? ""
            for candidate in rolloutPhases {
                gauges.set(
                    "keelson_rollout_phase", help: "1 for the rollout's current phase, 0 for the others.",
                    labels: labels.merging(["phase": candidate]) { $1 }, to: phase == candidate ? 1 : 0)
            }
            for (kind, key) in [("set", "setWeight"), ("actual", "actualWeight")] {
                guard let weight = report[key]?.intValue else { continue }
                gauges.set(
                    "keelson_rollout_weight", help: "The percentage of traffic meant for (set) or served by (actual) the canary.",
                    labels: labels.merging(["kind": kind]) { $1 }, to: Double(weight))
            }
        }
    }
}
