import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

@testable import Controller

/// `spec.source.postBuild` and `spec.source.kustomize` with the controller against the sandbox:
/// variables read from the Application's namespace with Flux's precedence, a missing object
/// failing the render by name until it exists, and Secret values kept out of the status.
@Suite struct PostBuildTests {
    static let files = [
        "app/settings.yaml": """
        apiVersion: v1
        kind: ConfigMap
        metadata: {name: settings}
        data:
          cluster: ${CLUSTER}
          region: ${REGION:=eu}
          token: ${TOKEN}
          mode: ${MODE}
          shell: echo $HOME
        """
    ]

    static let app = """
        apiVersion: keelson.dev/v1alpha1
        kind: Application
        metadata: {name: vars, namespace: keelson}
        spec:
          source:
            repoURL: REPO
            path: app
            kustomize: {namePrefix: prod-, commonLabels: {team: a}}
            postBuild:
              substitute: {MODE: inline}
              substituteFrom:
              - {kind: ConfigMap, name: cluster-vars}
              - {kind: Secret, name: secret-vars}
              - {kind: ConfigMap, name: absent-vars, optional: true}
          destination: {namespace: default}
          syncPolicy:
            automated: {prune: true}
            interval: 1s
        """

    @Test func substitutesFromTheApplicationsNamespace() async throws {
        try await ControllerHarness.with(files: Self.files, apps: ["vars": Self.app]) { harness in
            // Nothing to read yet: the render fails naming the first missing object.
            try await harness.eventually("the render names the missing ConfigMap") {
                let conditions = await harness.status("vars")?["conditions"]?.arrayValue ?? []
                return conditions.contains { ($0["message"]?.stringValue ?? "").contains("ConfigMap keelson/cluster-vars does not exist") }
            }
            #expect(await !harness.exists("prod-settings"))
            try await harness.apply(
                """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: cluster-vars, namespace: keelson}
                data: {CLUSTER: prod, REGION: us, MODE: from-configmap}
                ---
                apiVersion: v1
                kind: Secret
                metadata: {name: secret-vars, namespace: keelson}
                stringData: {TOKEN: s3cr3t-token, CLUSTER: staging}
                """)
            // Once both exist, the next reconcile renders: a later substituteFrom entry wins over an
            // earlier one, `substitute` over both; `$HOME` without braces is left alone.
            try await harness.eventually("the substituted ConfigMap is applied") {
                await harness.configMapValue("prod-settings", key: "cluster") == "staging"
            }
            let settings = try await harness.client.get(ControllerHarness.configMaps, name: "prod-settings", namespace: "default")
            let data = settings.object["data"]
            #expect(data?["region"] == "us" && data?["mode"] == "inline" && data?["token"] == "s3cr3t-token")
            #expect(data?["shell"] == "echo $HOME")
            #expect(settings.labels["team"] == "a")
            let status = await harness.status("vars")
            #expect(!"\(status ?? .null)".contains("s3cr3t-token"), "a Secret's value reached the status")
        }
    }
}
