/// A Git tree that rolls a Deployment out progressively, shared by the controller's and the
/// server's tests: Deployment `web` (5 replicas) and Service `web`, and Rollout `web` whose
/// canary sets 20 %, waits for `promote` (a stable paused state), sets 60 % and pauses 1 s.
public enum RolloutFixtures {
    /// Deployment and Service `web` running `registry.local/shop/web:<version>`.
    public static func web(_ version: String) -> String {
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
    public static func rollout(strategy: String, spec: String = "") -> String {
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

    /// Rollout `web`: setWeight 20, pause {}, setWeight 60, pause 1s.
    public static let rollout = rollout(
        strategy: """
                canary:
                  steps:
                    - setWeight: 20
                    - pause: {}
                    - setWeight: 60
                    - pause: {duration: 1s}
            """)
}
