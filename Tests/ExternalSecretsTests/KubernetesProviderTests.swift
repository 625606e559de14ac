import ExternalSecrets
import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// The kubernetes provider against the sandbox's RBAC: a SecretStore reads another namespace only
/// as its ServiceAccount, which RBAC must allow; a ClusterSecretStore reads as Keelson, from the
/// namespaces its conditions admit.
@Suite(.serialized) struct KubernetesProviderTests {
    static let setup = """
        apiVersion: rbac.authorization.k8s.io/v1
        kind: Role
        metadata: {name: read-secrets, namespace: shared}
        rules: [{apiGroups: [""], resources: [secrets], verbs: [get, list]}]
        ---
        apiVersion: rbac.authorization.k8s.io/v1
        kind: RoleBinding
        metadata: {name: team-a-reader, namespace: shared}
        roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: read-secrets}
        subjects: [{kind: ServiceAccount, name: reader, namespace: team-a}]
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: SecretStore
        metadata: {name: allowed, namespace: team-a}
        spec: {provider: {kubernetes: {remoteNamespace: shared, auth: {serviceAccount: {name: reader}}}}}
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: SecretStore
        metadata: {name: refused, namespace: team-a}
        spec: {provider: {kubernetes: {remoteNamespace: shared, auth: {serviceAccount: {name: nobody}}}}}
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: SecretStore
        metadata: {name: as-keelson, namespace: team-a}
        spec: {provider: {kubernetes: {remoteNamespace: shared}}}
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: ClusterSecretStore
        metadata: {name: shared}
        spec: {provider: {kubernetes: {remoteNamespace: shared}}}
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: ClusterSecretStore
        metadata: {name: team-b-only}
        spec:
          provider: {kubernetes: {remoteNamespace: shared}}
          conditions: [{namespaces: [team-b]}]

        """

    static func externalSecret(_ name: String, store: String, kind: String = "SecretStore", extra: String = "", key: String = "db") -> String {
        """
        apiVersion: keelson.dev/v1alpha1
        kind: ExternalSecret
        metadata: {name: \(name), namespace: team-a}
        spec:
          secretStoreRef: {name: \(store), kind: \(kind)}
          data: [{secretKey: password, remoteRef: {key: \(key), property: password}}]
        \(extra)

        """
    }

    func withSetup(_ body: @Sendable (ExternalSecretsHarness) async throws -> Void) async throws {
        try await ExternalSecretsHarness.withRunning { harness in
            try await harness.namespaces("team-a", "team-b", "shared")
            try await harness.createSecret("db", namespace: "shared", data: ["password": "shared-password"])
            try await harness.apply(Self.setup)
            try await body(harness)
        }
    }

    @Test("a SecretStore reads another namespace as its ServiceAccount: allowed by RBAC, refused without it, never as Keelson")
    func impersonation() async throws {
        try await withSetup { harness in
            try await harness.apply(Self.externalSecret("allowed", store: "allowed"))
            try await harness.apply(Self.externalSecret("refused", store: "refused"))
            try await harness.apply(Self.externalSecret("as-keelson", store: "as-keelson"))
            try await harness.waitFor("allowed", namespace: "team-a", reason: "SecretSynced")
            #expect(try await harness.secret("allowed", namespace: "team-a") == ["password": "shared-password"])

            try await harness.waitFor("refused", namespace: "team-a", reason: "SecretSyncedError", containing: "forbidden")
            let refused = await harness.ready(.externalSecret, "refused", namespace: "team-a")
            #expect(refused?.message.contains("system:serviceaccount:team-a:nobody") == true, "\(refused?.message ?? "")")
            #expect(try await harness.secret("refused", namespace: "team-a") == nil)

            try await harness.waitFor("as-keelson", namespace: "team-a", reason: "SecretSyncedError", containing: "auth.serviceAccount")
            #expect(try await harness.secret("as-keelson", namespace: "team-a") == nil)

            // The stores say the same on their own conditions.
            try await eventually("the stores are validated") {
                let allowed = await harness.ready(.secretStore, "allowed", namespace: "team-a")?.reason
                let refused = await harness.ready(.secretStore, "refused", namespace: "team-a")?.reason
                let asKeelson = await harness.ready(.secretStore, "as-keelson", namespace: "team-a")?.reason
                return allowed == "Valid" && refused == "ValidationFailed" && asKeelson == "InvalidProviderConfig"
            }
        }
    }

    @Test("a ClusterSecretStore reads any namespace, from the namespaces its conditions admit")
    func clusterStore() async throws {
        try await withSetup { harness in
            try await harness.apply(Self.externalSecret("cluster", store: "shared", kind: "ClusterSecretStore"))
            try await harness.apply(Self.externalSecret("fenced", store: "team-b-only", kind: "ClusterSecretStore"))
            try await harness.waitFor("cluster", namespace: "team-a", reason: "SecretSynced")
            #expect(try await harness.secret("cluster", namespace: "team-a") == ["password": "shared-password"])
            try await harness.waitFor("fenced", namespace: "team-a", reason: "SecretSyncedError", containing: "may not be used from namespace team-a")
            // decodingStrategy Base64: the stored text is decoded before it is written.
            try await harness.createSecret("encoded", namespace: "shared", data: ["blob": Data("decoded-text".utf8).base64EncodedString()])
            try await harness.apply(
                """
                apiVersion: keelson.dev/v1alpha1
                kind: ExternalSecret
                metadata: {name: decoded, namespace: team-a}
                spec:
                  secretStoreRef: {name: shared, kind: ClusterSecretStore}
                  data: [{secretKey: blob, remoteRef: {key: encoded, property: blob, decodingStrategy: Base64}}]

                """)
            try await harness.waitFor("decoded", namespace: "team-a", reason: "SecretSynced")
            #expect(try await harness.secret("decoded", namespace: "team-a") == ["blob": "decoded-text"])
            try await eventually("the cluster store is Valid") {
                await harness.ready(.clusterSecretStore, "shared", namespace: nil)?.reason == "Valid"
            }
        }
    }

    @Test("creationPolicy Merge writes keys into an existing Secret only; None writes nothing; Orphan sets no owner")
    func creationPolicies() async throws {
        try await withSetup { harness in
            try await harness.createSecret("existing", namespace: "team-a", data: ["keep": "yes"])
            let target = "  target: {name: existing, creationPolicy: Merge}"
            try await harness.apply(Self.externalSecret("merge", store: "shared", kind: "ClusterSecretStore", extra: target))
            try await harness.apply(
                Self.externalSecret(
                    "merge-missing", store: "shared", kind: "ClusterSecretStore", extra: "  target: {name: absent, creationPolicy: Merge}"))
            try await harness.apply(
                Self.externalSecret("none", store: "shared", kind: "ClusterSecretStore", extra: "  target: {name: none-target, creationPolicy: None}")
            )
            try await harness.apply(
                Self.externalSecret("orphan", store: "shared", kind: "ClusterSecretStore", extra: "  target: {creationPolicy: Orphan}"))

            try await harness.waitFor("merge", namespace: "team-a", reason: "SecretSynced")
            #expect(try await harness.secret("existing", namespace: "team-a") == ["keep": "yes", "password": "shared-password"])
            let merged = try await harness.client.get(ExternalSecretsHarness.secretKind, name: "existing", namespace: "team-a")
            #expect(merged.metadata["ownerReferences"] == nil, "a merged Secret is not taken over")

            try await harness.waitFor("merge-missing", namespace: "team-a", reason: "SecretSyncedError", containing: "does not exist")
            #expect(try await harness.secret("absent", namespace: "team-a") == nil)

            try await harness.waitFor("none", namespace: "team-a", reason: "SecretSynced")
            #expect(try await harness.secret("none-target", namespace: "team-a") == nil, "creationPolicy None writes nothing")

            try await harness.waitFor("orphan", namespace: "team-a", reason: "SecretSynced")
            let orphan = try await harness.client.get(ExternalSecretsHarness.secretKind, name: "orphan", namespace: "team-a")
            #expect(orphan.metadata["ownerReferences"] == nil)
            #expect(orphan.labels[TargetPlan.managedLabel] == "orphan")
        }
    }

    @Test("deletionPolicy: Retain keeps the Secret and reports, Delete deletes it, Merge removes the vanished key")
    func deletionPolicies() async throws {
        try await withSetup { harness in
            try await harness.createSecret("ephemeral", namespace: "shared", data: ["password": "short-lived"])
            try await harness.createSecret("second", namespace: "shared", data: ["password": "second-value"])
            let cluster = "ClusterSecretStore"
            try await harness.apply(Self.externalSecret("retain", store: "shared", kind: cluster, key: "ephemeral"))
            try await harness.apply(
                Self.externalSecret("delete", store: "shared", kind: cluster, extra: "  target: {deletionPolicy: Delete}", key: "ephemeral"))
            try await harness.apply(
                """
                apiVersion: keelson.dev/v1alpha1
                kind: ExternalSecret
                metadata: {name: merge, namespace: team-a}
                spec:
                  secretStoreRef: {name: shared, kind: ClusterSecretStore}
                  target: {deletionPolicy: Merge}
                  data:
                  - {secretKey: first, remoteRef: {key: ephemeral, property: password}}
                  - {secretKey: second, remoteRef: {key: second, property: password}}

                """)
            for name in ["retain", "delete", "merge"] { try await harness.waitFor(name, namespace: "team-a", reason: "SecretSynced") }
            #expect(try await harness.secret("merge", namespace: "team-a") == ["first": "short-lived", "second": "second-value"])

            _ = try await harness.client.delete(ExternalSecretsHarness.secretKind, name: "ephemeral", namespace: "shared", options: DeleteOptions())
            try await harness.waitFor("delete", namespace: "team-a", reason: "SecretDeleted", advancing: .seconds(3600))
            #expect(try await harness.secret("delete", namespace: "team-a") == nil)
            try await harness.waitFor("retain", namespace: "team-a", reason: "SecretSyncedError", containing: "not found")
            #expect(try await harness.secret("retain", namespace: "team-a") == ["password": "short-lived"])
            try await eventually("the vanished key leaves the merged Secret") {
                try await harness.secret("merge", namespace: "team-a") == ["second": "second-value"]
            }
        }
    }

    /// A secret that is still there but lacks the property is an error, as ESO has it: neither
    /// Delete nor Merge counts it as gone.
    @Test("a missing property is an error under Delete and Merge: nothing is deleted")
    func missingPropertyDeletesNothing() async throws {
        try await withSetup { harness in
            try await harness.createSecret("changing", namespace: "shared", data: ["password": "first-value"])
            let cluster = "ClusterSecretStore"
            try await harness.apply(
                Self.externalSecret("delete", store: "shared", kind: cluster, extra: "  target: {deletionPolicy: Delete}", key: "changing"))
            try await harness.apply(
                Self.externalSecret("merge", store: "shared", kind: cluster, extra: "  target: {deletionPolicy: Merge}", key: "changing"))
            for name in ["delete", "merge"] { try await harness.waitFor(name, namespace: "team-a", reason: "SecretSynced") }

            _ = try await harness.client.delete(ExternalSecretsHarness.secretKind, name: "changing", namespace: "shared", options: DeleteOptions())
            try await harness.createSecret("changing", namespace: "shared", data: ["renamed": "first-value"])
            harness.clock.advance(by: .seconds(3600))
            for name in ["delete", "merge"] {
                try await harness.waitFor(name, namespace: "team-a", reason: "SecretSyncedError", containing: "has no key")
                #expect(try await harness.secret(name, namespace: "team-a") == ["password": "first-value"], "\(name) keeps its Secret")
            }
        }
    }
}
