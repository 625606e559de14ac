import KeelsonTesting
import Kube
import Manifests

/// What rollout tests share: the app `web` (a Deployment of 5 pods and its Service) at a
/// version, a canary Rollout for it that pauses at step 1 until promoted, and reads and actions
/// on them.
protocol RolloutFixtures {}

extension RolloutFixtures {
    static var deployments: GroupVersionKind { GroupVersionKind(group: "apps", version: "v1", kind: "Deployment") }
    static var rollouts: GroupVersionKind { GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Rollout") }

    static func web(_ version: String) -> String {
        """
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        spec:
          replicas: 5
          selector: {matchLabels: {app: web}}
          template:
            metadata: {labels: {app: web}}
            spec: {containers: [{name: web, image: "registry.local/shop/web:\(version)"}]}
        ---
        apiVersion: v1
        kind: Service
        metadata: {name: web}
        spec: {selector: {app: web}, ports: [{port: 80}]}

        """
    }

    /// Rollout `web` of Deployment `web` behind Service `web`, with `strategy` (YAML of
    /// `spec.strategy`, indented by four) and more `spec` lines.
    static func rollout(strategy: String, spec: String = "") -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: Rollout
        metadata: {name: web}
        spec:
          targetRef: {kind: Deployment, name: web}
          service: {name: web, port: 80}
        \(spec)  strategy:
        \(strategy)
        """
    }

    /// A canary that pauses at step 1 until promoted.
    static var rollout: String {
        rollout(
            strategy: """
                    canary:
                      steps:
                        - setWeight: 20
                        - pause: {}
                        - setWeight: 60
                        - pause: {duration: 1s}
                """)
    }

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
