import Foundation
import KeelsonTesting
import Kube
import Logging
import Manifests
import SealedSecrets
import Secrets
import Synchronization
import Testing

/// The unsealing loop against the sandbox: Secrets written without owner references stay the
/// SealedSecret's, transient failures are retried before the resync, a resync decrypts nothing
/// whose Secret is intact, and the controller stands aside for Bitnami's CRD.
@Suite struct SealedSecretsLoopTests {
    typealias Cluster = SealedSecretsCluster

    // With skip-set-owner-references the Secret has no owner reference; the next passes (the
    // status write, a new value) still treat it as the SealedSecret's and update it.
    @Test func skipOwnerReferencesStaysManaged() async throws {
        try await Cluster.withCluster { client in
            try await Cluster.withService(client) { service in
                let sealer = SealedSecretSealer(key: try SealingPublicKey(certificatePEM: try #require(service.keys.certificatePEM)))
                func sealed(_ value: String) throws -> Manifest {
                    var secret = Cluster.secret(name: "db", values: ["v": value])
                    secret.setAnnotation(SealedSecretUnsealer.skipOwnerReferenceAnnotation, "true")
                    return try sealer.seal(secret)
                }
                try await Cluster.create(try sealed("first"), client: client)
                try await eventually("the Secret is unsealed") { try await Cluster.value("db", "v", client: client) == "first" }
                let secret = try await client.get(Cluster.secrets, name: "db", namespace: "shop")
                #expect(secret.metadata["ownerReferences"] == nil)
                #expect(secret.annotations[SealedSecretUnsealer.managedAnnotation] == "true")

                var current = try await client.get(Cluster.sealedSecrets, name: "db", namespace: "shop")
                current.object["spec"] = try sealed("second").object["spec"]
                _ = try await client.update(current, options: WriteOptions(fieldManager: "test"))
                try await eventually("the new value is unsealed") {
                    let synced = try await Cluster.synced("db", client: client)
                    return try await Cluster.value("db", "v", client: client) == "second" && synced?["status"]?.stringValue == "True"
                }
            }
        }
    }

    // A Secret the controller may not create yet (RBAC, like any API failure for now) is tried
    // again with backoff, long before the 10-minute resync: the clock moves at most two minutes.
    @Test func transientFailureIsRetried() async throws {
        try await Cluster.withCluster { client in
            try await client.createNamespaceIfMissing("keelson", fieldManager: "test")
            for yaml in Self.rbac(shopVerbs: "[get, list, watch]") {
                _ = try await client.apply(try Self.object(yaml), options: ApplyOptions(fieldManager: "test"))
            }
            let sealer = client.impersonating(Impersonation(user: "sealer"))
            let time = Cluster.Time()
            try await Cluster.withService(sealer, time: time) { service in
                let key = try SealingPublicKey(certificatePEM: try #require(service.keys.certificatePEM))
                try await Cluster.create(try SealedSecretSealer(key: key).seal(Cluster.secret(name: "db", values: ["v": "later"])), client: client)
                try await eventually("the write is refused") {
                    try await Cluster.synced("db", client: client)?["message"]?.stringValue?.contains("HTTP 403") == true
                }
                for yaml in Self.rbac(shopVerbs: "[get, list, watch, create, update]") {
                    _ = try await client.apply(try Self.object(yaml), options: ApplyOptions(fieldManager: "test"))
                }
                try await eventually("the Secret is written on a retry") {
                    _ = time.step(limit: .seconds(120))
                    return try await Cluster.value("db", "v", client: client) == "later"
                }
                #expect(time.clock.now.offset < .seconds(600))
            }
        }
    }

    static func object(_ yaml: String) throws -> Manifest { try #require(try Manifest.decode(Array(yaml.utf8), file: "rbac.yaml").first) }

    /// User `sealer` may manage SealedSecrets, the CRD, namespaces and key Secrets, and use `shopVerbs` on Secrets in shop.
    static func rbac(shopVerbs: String) -> [String] {
        [
            """
            {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRole, metadata: {name: sealer},
             rules: [{apiGroups: [bitnami.com], resources: [sealedsecrets, sealedsecrets/status], verbs: ["*"]},
                     {apiGroups: [apiextensions.k8s.io], resources: [customresourcedefinitions], verbs: ["*"]},
                     {apiGroups: [""], resources: [namespaces], verbs: ["*"]}, {nonResourceURLs: ["*"], verbs: [get]}]}
            """,
            """
            {apiVersion: rbac.authorization.k8s.io/v1, kind: ClusterRoleBinding, metadata: {name: sealer},
             roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: sealer},
             subjects: [{kind: User, name: sealer, apiGroup: rbac.authorization.k8s.io}]}
            """,
            """
            {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: keys, namespace: keelson},
             rules: [{apiGroups: [""], resources: [secrets], verbs: ["*"]}]}
            """,
            """
            {apiVersion: rbac.authorization.k8s.io/v1, kind: Role, metadata: {name: secrets, namespace: shop},
             rules: [{apiGroups: [""], resources: [secrets], verbs: \(shopVerbs)}]}
            """,
        ]
            + ["keelson", "shop"].map { namespace in
                """
                {apiVersion: rbac.authorization.k8s.io/v1, kind: RoleBinding, metadata: {name: sealer, namespace: \(namespace)},
                 roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: \(namespace == "shop" ? "secrets" : "keys")},
                 subjects: [{kind: User, name: sealer, apiGroup: rbac.authorization.k8s.io}]}
                """
            }
    }

    // A resync decrypts nothing whose Secret is intact and restores one that was edited: `a` is
    // tampered with twice (two full resync passes), `b` is unsealed once in all.
    @Test func resyncVerifiesInsteadOfDecrypting() async throws {
        let logs = LogCapture()
        let time = Cluster.Time()
        try await Cluster.withCluster { client in
            try await Cluster.withService(client, time: time, logger: logs.logger) { service in
                let sealer = SealedSecretSealer(key: try SealingPublicKey(certificatePEM: try #require(service.keys.certificatePEM)))
                for name in ["a", "b"] { try await Cluster.create(try sealer.seal(Cluster.secret(name: name, values: ["v": name])), client: client) }
                try await eventually("both are unsealed") {
                    let a = try await Cluster.value("a", "v", client: client)
                    let b = try await Cluster.value("b", "v", client: client)
                    return a == "a" && b == "b"
                }
                for round in 1...2 {
                    var secret = try await client.get(Cluster.secrets, name: "a", namespace: "shop")
                    secret.object["data"] = ["v": .string(Data("tampered-\(round)".utf8).base64EncodedString())]
                    _ = try await client.update(secret, options: WriteOptions(fieldManager: "test"))
                    // Each poll moves past another resync: the loop sleeps a relative timeout, so a
                    // single advance can land before it starts sleeping and be missed. Resyncs that
                    // find a Secret intact only verify it, so the counts below still hold.
                    try await eventually("the resync restores a (round \(round))") {
                        time.clock.advance(by: .seconds(601))
                        return try await Cluster.value("a", "v", client: client) == "a"
                    }
                }
            }
        }
        let unsealed = logs.lines.filter { $0.hasPrefix("info unsealed ") }
        #expect(unsealed.filter { $0.contains("SealedSecret/shop/a") }.count == 3, "\(unsealed)")
        #expect(unsealed.filter { $0.contains("SealedSecret/shop/b") }.count == 1, "\(unsealed)")
    }

    // A SealedSecret CRD Keelson did not install (Bitnami's) is left as it is; the controller
    // makes no key, unseals nothing, says so once in the log and reports it.
    @Test func standsAsideForBitnami() async throws {
        let logs = LogCapture()
        let reasons = Mutex<[SealedSecretsDisabledReason]>([])
        try await Cluster.withCluster { client in
            var crd = try Self.object(SealedSecretCRDs.sealedSecret)
            crd.setMetadata("labels", ["app.kubernetes.io/managed-by": "Helm"])
            _ = try await client.apply(crd, options: ApplyOptions(fieldManager: "helm"))
            try await eventually("Bitnami's CRD is served") { (try? await client.resource(for: Cluster.sealedSecrets)) != nil }
            let bitnami = try await Cluster.create(
                Manifest(unchecked: [
                    "apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret", "metadata": ["name": "db", "namespace": "shop"],
                    "spec": ["encryptedData": ["v": "AAAA"]],
                ]), client: client)
            try await Cluster.withService(
                client, logger: logs.logger, waitForKey: false, configure: { $0.onDisabled = { reason in reasons.withLock { $0.append(reason) } } }
            ) { _ in
                try await eventually("the controller stands aside") { reasons.withLock { $0 } == [.foreignCRD] }
            }
            let after = try await client.get(Cluster.sealedSecrets, name: "db", namespace: "shop")
            #expect(after.object["status"] == nil && after.resourceVersion == bitnami.resourceVersion)
            let current = try await client.get(
                GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition"), name: SealedSecretCRDs.name,
                namespace: nil)
            #expect(current.labels["app.kubernetes.io/managed-by"] == "Helm")
            let managers = (current.metadata["managedFields"]?.arrayValue ?? []).compactMap { $0["manager"]?.stringValue }
            #expect(!managers.contains { $0.hasPrefix("keelson") }, "\(managers)")
            let keys = try await client.list(Cluster.secrets, namespace: "keelson", options: ListOptions()).items
            #expect(keys.isEmpty)
        }
        #expect(logs.lines.filter { $0.contains("was installed by helm") }.count == 1, "\(logs.lines)")
    }
}
