import KeelsonTesting
import Kube
import Manifests

/// What rollout tests share: the Git tree of `RolloutFixtures`, and reads and actions on what
/// it deploys.
protocol RolloutHarness {}

extension RolloutHarness {
    static var deployments: GroupVersionKind { GroupVersionKind(group: "apps", version: "v1", kind: "Deployment") }
    static var rollouts: GroupVersionKind { GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Rollout") }

    static func web(_ version: String) -> String { RolloutFixtures.web(version) }

    static func rollout(strategy: String, spec: String = "") -> String { RolloutFixtures.rollout(strategy: strategy, spec: spec) }

    static var rollout: String { RolloutFixtures.rollout }

    static func deployment(_ h: ControllerHarness, _ name: String) async -> (replicas: Int64, image: String)? {
        guard let object = try? await h.client.get(deployments, name: name, namespace: "default") else { return nil }
        let image = object.value[path: ["spec", "template", "spec", "containers"]]?.arrayValue?.first?["image"]?.stringValue ?? ""
        return (object.object["spec"]?["replicas"]?.intValue ?? -1, image)
    }

    static func state(_ h: ControllerHarness) async -> JSONValue? {
        (try? await h.client.get(rollouts, name: "web", namespace: "default"))?.object["status"]?["state"]
    }

    static func annotate(_ h: ControllerHarness, _ key: String) async throws {
        _ = try await h.client.mergePatch(
            rollouts, name: "web", namespace: "default", patch: .object(["metadata": .object(["annotations": .object([key: "true"])])]),
            options: WriteOptions(fieldManager: "kubectl"))
    }
}
