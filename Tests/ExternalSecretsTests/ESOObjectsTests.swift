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

    /// Installs ESO's three CRDs and waits until they are served.
    static func installESOCRDs(_ harness: ExternalSecretsHarness) async throws {
        try await harness.apply(
            Self.crd("secretstores", kind: "SecretStore", scope: "Namespaced")
                + Self.crd("clustersecretstores", kind: "ClusterSecretStore", scope: "Cluster")
                + Self.crd("externalsecrets", kind: "ExternalSecret", scope: "Namespaced"))
        try await eventually("ESO's kinds are served") {
            let externalSecrets = try? await harness.client.resource(for: ExternalSecretsAPI.eso.kind(.externalSecret))
            let clusterStores = try? await harness.client.resource(for: ExternalSecretsAPI.eso.kind(.clusterSecretStore))
            return externalSecrets != nil && clusterStores != nil
        }
    }

    /// ESO skips stores of another controller class without a word; Keelson does the same, so
    /// that it never fights the ESO controller those objects were made for.
    @Test("stores with spec.controller, and their ExternalSecrets, are left alone without a status")
    func otherControllerClassIsSkipped() async throws {
        try await ExternalSecretsHarness.withRunning { harness in
            try await harness.namespaces("team-a")
            try await harness.createSecret("source", namespace: "team-a", data: ["token": "eso-token"])
            try await Self.installESOCRDs(harness)
            let provider = "{kubernetes: {remoteNamespace: team-a, auth: {serviceAccount: {name: reader}}}}"
            try await harness.apply(
                """
                apiVersion: external-secrets.io/v1
                kind: SecretStore
                metadata: {name: theirs, namespace: team-a}
                spec: {controller: other-class, provider: \(provider)}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: SecretStore
                metadata: {name: theirs-too, namespace: team-a}
                spec: {controller: other-class, provider: {unknown: {}}}
                ---
                apiVersion: external-secrets.io/v1
                kind: SecretStore
                metadata: {name: ours, namespace: team-a}
                spec: {provider: \(provider)}

                """)
            for (name, store) in [("for-them", "theirs"), ("for-us", "ours")] {
                try await harness.apply(
                    """
                    apiVersion: external-secrets.io/v1
                    kind: ExternalSecret
                    metadata: {name: \(name), namespace: team-a}
                    spec: {secretStoreRef: {name: \(store), kind: SecretStore}, dataFrom: [{extract: {key: source}}]}

                    """)
            }
            // The objects of our class are handled in the same rounds as the others would be.
            try await harness.waitFor("for-us", namespace: "team-a", reason: "SecretSyncedError", api: .eso)
            try await eventually("ESO's store of no class is validated") {
                await harness.ready(.secretStore, "ours", namespace: "team-a", api: .eso) != nil
            }
            try await eventually("a later round ran") {
                harness.clock.advance(by: .seconds(3600))
                return await harness.ready(.secretStore, "ours", namespace: "team-a", api: .eso) != nil
            }
            for (kind, name, api) in [
                (ExternalSecretsKind.secretStore, "theirs", ExternalSecretsAPI.eso), (.secretStore, "theirs-too", .keelson),
                (.externalSecret, "for-them", .eso),
            ] {
                let object = try await harness.object(kind, name, namespace: "team-a", api: api)
                let status = object.object["status"]
                #expect(status == nil, "\(kind.rawValue) \(name) has no status: \(status.map { "\($0)" } ?? "")")
            }
            #expect(try await harness.secret("for-them", namespace: "team-a") == nil)
        }
    }

    /// Keelson's own AWS credentials are lent only through a keelson.dev ClusterSecretStore, and a
    /// region is a region (it becomes part of the endpoint's host).
    @Test("an ESO ClusterSecretStore without auth gets no AWS credentials; a region that is no region is refused")
    func awsCredentialsAndRegion() async throws {
        let environment = ["AWS_ACCESS_KEY_ID": "AKIDKEELSON", "AWS_SECRET_ACCESS_KEY": "keelson-secret", "AWS_ENDPOINT_URL": "http://127.0.0.1:9"]
        try await ExternalSecretsHarness.withRunning(environment: environment) { harness in
            try await Self.installESOCRDs(harness)
            try await harness.apply(
                """
                apiVersion: external-secrets.io/v1
                kind: ClusterSecretStore
                metadata: {name: eso-aws}
                spec: {provider: {aws: {service: SecretsManager, region: us-east-1}}}
                ---
                apiVersion: keelson.dev/v1alpha1
                kind: ClusterSecretStore
                metadata: {name: evil-region}
                spec: {provider: {aws: {service: SecretsManager, region: "evil.com#"}}}

                """)
            try await eventually("both stores report InvalidProviderConfig") {
                let eso = await harness.ready(.clusterSecretStore, "eso-aws", namespace: nil, api: .eso)?.reason
                let evil = await harness.ready(.clusterSecretStore, "evil-region", namespace: nil)?.reason
                return eso == "InvalidProviderConfig" && evil == "InvalidProviderConfig"
            }
            let eso = await harness.ready(.clusterSecretStore, "eso-aws", namespace: nil, api: .eso)
            #expect(eso?.message.contains("spec.provider.aws.auth.secretRef") == true, "\(eso?.message ?? "")")
            let evil = await harness.ready(.clusterSecretStore, "evil-region", namespace: nil)
            #expect(evil?.message.contains("spec.provider.aws.region") == true, "\(evil?.message ?? "")")
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
