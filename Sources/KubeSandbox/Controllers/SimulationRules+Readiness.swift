import Foundation
import KeelsonFoundation
import Manifests

/// Per-workload readiness knobs, read from the pod template's annotations:
/// `sandbox.keelson.dev/ready-delay: 5s` replaces the sandbox's `--ready-delay` for the workload,
/// and `sandbox.keelson.dev/ready-replicas: "1"` caps how many of its replicas become Ready
/// (a partial canary): below `spec.replicas` a Deployment stays unavailable and in progress.
extension SimulationRules {
    /// The pod-template annotation with the workload's own ready delay, a Go duration.
    static let readyDelayAnnotation = "sandbox.keelson.dev/ready-delay"
    /// The pod-template annotation with the most replicas that become Ready.
    static let readyReplicasAnnotation = "sandbox.keelson.dev/ready-replicas"
    /// The longest ready delay a workload may ask for.
    static let maximumReadyDelay = Duration.seconds(3600)

    /// The delay the workload asks for, or `nil` to use the sandbox's.
    static func readyDelay(of object: JSONObject) -> Duration? {
        guard let text = templateAnnotation(readyDelayAnnotation, of: object), let delay = GoDuration.parse(text), delay >= .zero else {
            return nil
        }
        return min(delay, maximumReadyDelay)
    }

    /// How many of `replicas` become Ready: all, unless the template caps them.
    static func readyReplicas(of object: JSONObject, replicas: Int64) -> Int64 {
        guard let text = templateAnnotation(readyReplicasAnnotation, of: object), let cap = Int64(text), cap >= 0 else { return replicas }
        return min(cap, replicas)
    }

    /// An annotation of the object's pod template (or of the object itself, for a Pod).
    private static func templateAnnotation(_ name: String, of object: JSONObject) -> String? {
        let template = object["spec"]?["template"] ?? .object(object)
        return template["metadata"]?["annotations"]?[name]?.stringValue
    }
}
