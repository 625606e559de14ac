import ExternalSecrets
import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// External Secrets Operator's own `external-secrets.io/v1` objects are run as they are once
/// their CRDs are served, and the CRDs Keelson installs are the files it ships.
@Suite struct ESOObjectsTests {
    /// A CRD of ESO's group with a schema open enough for any spec (the real CRDs' field names).
    static func crd(_ plural: String, kind: String, scope: String) -> String {
        """
        apiVersion: apiextensions.k8s.io/v1
        kind: CustomResourceDefinition
        metadata: {name: \(plural).external-secrets.io}
        spec:
          group: external-secrets.io
          scope: \(scope)
          names: {plural: \(plural), singular: \(kind.lowercased()), kind: \(kind), listKind: \(kind)List}
          versions:
          - name: v1
            served: true
            storage: true
            subresources: {status: {}}
            schema: {openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}}
        ---

        """
    }

    @Test("an external-secrets.io/v1 ExternalSecret and SecretStore are synced once ESO's CRDs are served")
    func esoObjectsAreRead() async throws {
        try await ExternalSecretsHarness.withRunning { harness in
            try await harness.namespaces("team-a")
            try await harness.createSecret("source", namespace: "team-a", data: ["token": "eso-token"])
            try await harness.apply(
                Self.crd("secretstores", kind: "SecretStore", scope: "Namespaced")
                    + Self.crd("clustersecretstores", kind: "ClusterSecretStore", scope: "Cluster")
                    + Self.crd("externalsecrets", kind: "ExternalSecret", scope: "Namespaced"))
            try await eventually("ESO's ExternalSecret kind is served") {
                (try? await harness.client.resource(for: ExternalSecretsAPI.eso.kind(.externalSecret))) != nil
            }
            try await harness.apply(
                """
                apiVersion: rbac.authorization.k8s.io/v1
                kind: Role
                metadata: {name: read-secrets, namespace: team-a}
                rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
                ---
                apiVersion: rbac.authorization.k8s.io/v1
                kind: RoleBinding
                metadata: {name: eso-reader, namespace: team-a}
                roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-secrets}
                subjects: [{kind: ServiceAccount, name: eso-reader, namespace: team-a}]
                ---
                apiVersion: external-secrets.io/v1
                kind: SecretStore
                metadata: {name: local, namespace: team-a}
                spec: {provider: {kubernetes: {remoteNamespace: team-a, auth: {serviceAccount: {name: eso-reader}}}}}
                ---
                apiVersion: external-secrets.io/v1
                kind: ExternalSecret
                metadata: {name: from-eso, namespace: team-a}
                spec:
                  refreshInterval: 15m
                  secretStoreRef: {name: local, kind: SecretStore}
                  target: {name: copied}
                  dataFrom: [{extract: {key: source}}]

                """)
            try await harness.waitFor("from-eso", namespace: "team-a", reason: "SecretSynced", api: .eso)
            #expect(try await harness.secret("copied", namespace: "team-a") == ["token": "eso-token"])
            let secret = try await harness.client.get(ExternalSecretsHarness.secretKind, name: "copied", namespace: "team-a")
            #expect(secret.metadata["ownerReferences"]?.arrayValue?.first?["apiVersion"]?.stringValue == "external-secrets.io/v1")
            try await eventually("ESO's store is Valid") {
                await harness.ready(.secretStore, "local", namespace: "team-a", api: .eso)?.reason == "Valid"
            }
        }
    }

    /// The CRDs the service installs are the files `deploy/crds/` ships.
    @Test func shippedCRDsAreTheEmbeddedOnes() throws {
        for (file, yaml) in ExternalSecretsCRDs.all {
            let shipped = try String(contentsOfFile: Fixtures.packageRoot() + "/deploy/crds/" + file, encoding: .utf8)
            #expect(shipped == yaml, "deploy/crds/\(file)")
        }
    }
}
