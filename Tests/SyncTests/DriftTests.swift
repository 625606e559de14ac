import Manifests
import Testing

@testable import Sync

/// Drift is a field the desired object sets whose live value differs; nothing else.
@Suite struct DriftTests {
    static let desired = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: prod
          labels: {app: web}
        spec:
          replicas: 2
          template:
            spec:
              containers:
              - name: web
                image: nginx:1.25
                ports:
                - containerPort: 8080
                resources:
                  limits: {cpu: "1", memory: 1Gi}
                args: [--port, "8080"]
        """

    func parse(_ yaml: String) throws -> Manifest {
        try #require(try Manifest.decode(Array(yaml.utf8), file: "t.yaml").first)
    }

    /// The live object as the API server returns it: defaults, status, other managers' fields.
    static let live = """
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: web
          namespace: prod
          uid: 1234
          resourceVersion: "99"
          generation: 3
          labels: {app: web, added-by-kubectl: "yes"}
          annotations: {deployment.kubernetes.io/revision: "3"}
        spec:
          replicas: 2
          progressDeadlineSeconds: 600
          template:
            spec:
              restartPolicy: Always
              containers:
              - name: sidecar
                image: envoy
              - name: web
                image: nginx:1.25
                imagePullPolicy: IfNotPresent
                ports:
                - containerPort: 8080
                  protocol: TCP
                resources:
                  limits: {cpu: 1000m, memory: 1024Mi}
                args: [--port, "8080"]
        status: {replicas: 2}
        """

    @Test func serverDefaultsAndOtherManagersAreNotDrift() throws {
        #expect(Drift.differences(desired: try parse(Self.desired), live: try parse(Self.live)).isEmpty)
    }

    @Test(arguments: [
        // A managed scalar changed by hand.
        ("replicas: 2", "replicas: 5", ["/spec/replicas"]),
        // A container found by its name, not its position.
        (
            "image: nginx:1.25\n        imagePullPolicy", "image: nginx:1.24\n        imagePullPolicy",
            ["/spec/template/spec/containers/name=web/image"]
        ),
        // A quantity with a different value.
        ("memory: 1024Mi", "memory: 512Mi", ["/spec/template/spec/containers/name=web/resources/limits/memory"]),
        // An atomic list edited.
        ("args: [--port, \"8080\"]", "args: [--port, \"9090\"]", ["/spec/template/spec/containers/name=web/args/1"]),
        // A label Keelson sets, removed.
        ("labels: {app: web, added-by-kubectl: \"yes\"}", "labels: {added-by-kubectl: \"yes\"}", ["/metadata/labels/app"]),
    ])
    func handEditsAreDrift(_ from: String, _ to: String, _ paths: [String]) throws {
        let live = try parse(Self.live.replacingOccurrences(of: from, with: to))
        #expect(Drift.differences(desired: try parse(Self.desired), live: live).map(\.path) == paths)
    }

    @Test func missingContainerIsDrift() throws {
        let live = try parse(Self.live.replacingOccurrences(of: "name: web\n        image", with: "name: other\n        image"))
        #expect(Drift.differences(desired: try parse(Self.desired), live: live).map(\.path) == ["/spec/template/spec/containers/name=web"])
    }

    @Test func ignoreDifferencesByPointer() throws {
        let live = try parse(Self.live.replacingOccurrences(of: "replicas: 2\n  progress", with: "replicas: 7\n  progress"))
        #expect(Drift.differences(desired: try parse(Self.desired), live: live, ignoring: ["/spec/replicas"]).isEmpty)
    }

    @Test(arguments: [
        ("1", "1000m", true), ("1Gi", "1024Mi", true), ("0.5", "500m", true), ("1k", "1000", true), ("2e3", "2k", true),
        ("1Gi", "1G", false), ("100m", "1", false),
    ])
    func quantities(_ a: String, _ b: String, _ equal: Bool) {
        #expect((Quantity(a)?.value == Quantity(b)?.value) == equal)
    }

    @Test func quantitiesOnlyWhereKubernetesHasThem() throws {
        // In a ConfigMap, "1k" and "1000" are different strings.
        let desired = try parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {size: 1k}\n")
        let live = try parse("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {size: \"1000\"}\n")
        #expect(Drift.differences(desired: desired, live: live).map(\.path) == ["/data/size"])
    }

    @Test func intOrStringNullAndEmpty() throws {
        let desired = try parse(
            "apiVersion: v1\nkind: Service\nmetadata: {name: s, annotations: {}}\nspec:\n  ports: [{port: 80, targetPort: 8080}]\n  selector: null\n")
        let live = try parse(
            "apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports: [{port: 80, targetPort: \"8080\", protocol: TCP}]\n")
        #expect(Drift.differences(desired: desired, live: live).isEmpty)
    }
}
