import ExternalSecrets
import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

/// ExternalSecrets against the real moto server's Secrets Manager, secrets written by boto3:
/// the Secret appears, follows a rotation on its refresh interval (virtual time), and stays as it
/// was while the store is down; extract, find by name and by tag; no value leaks anywhere.
@Suite(.serialized, .enabled(if: RealMoto.isAvailable, "moto_server is not installed (scripts/test installs it)"))
struct AWSSecretsManagerTests {
    static let canary = "canary-9f27c41e-value"

    /// The credentials Secret and a SecretStore `aws` in namespace `team-a`.
    static let store = """
        apiVersion: v1
        kind: Namespace
        metadata: {name: team-a}
        ---
        apiVersion: v1
        kind: Secret
        metadata: {name: aws-credentials, namespace: team-a}
        stringData: {access-key: testing, secret-key: testing}
        ---
        apiVersion: keelson.dev/v1alpha1
        kind: SecretStore
        metadata: {name: aws, namespace: team-a}
        spec:
          provider:
            aws:
              service: SecretsManager
              region: us-east-1
              auth:
                secretRef:
                  accessKeyIDSecretRef: {name: aws-credentials, key: access-key}
                  secretAccessKeySecretRef: {name: aws-credentials, key: secret-key}

        """

    static func externalSecret(_ name: String, spec: String) -> String {
        "apiVersion: keelson.dev/v1alpha1\nkind: ExternalSecret\nmetadata: {name: \(name), namespace: team-a}\nspec:\n" + spec
    }

    func withMoto(_ body: @Sendable (RealMoto, ExternalSecretsHarness) async throws -> Void) async throws {
        try await RealMoto.withRunning { moto in
            try await ExternalSecretsHarness.withRunning(environment: ["AWS_ENDPOINT_URL_SECRETS_MANAGER": moto.endpoint]) { harness in
                try await harness.apply(Self.store)
                try await body(moto, harness)
            }
        }
    }

    @Test("a secret is synced, follows a rotation on its interval, stays while the store is down, and recovers")
    func rotationAndOutage() async throws {
        try await withMoto { moto, harness in
            try await moto.createSecret("prod/db", value: #"{"username":"app","password":"\#(Self.canary)"}"#)
            try await harness.apply(
                Self.externalSecret(
                    "db",
                    spec: """
                          refreshInterval: 1h
                          secretStoreRef: {name: aws}
                          target: {name: db-credentials}
                          data:
                          - {secretKey: password, remoteRef: {key: prod/db, property: password}}
                          - {secretKey: whole, remoteRef: {key: prod/db}}

                        """))
            try await harness.waitFor("db", namespace: "team-a", reason: "SecretSynced")
            let first = try await #require(try await harness.secret("db-credentials", namespace: "team-a"))
            #expect(first["password"] == Self.canary)
            #expect(first["whole"] == #"{"username":"app","password":"\#(Self.canary)"}"#)
            let status = try await harness.object(.externalSecret, "db", namespace: "team-a").object["status"]
            #expect(status?["binding"]?["name"]?.stringValue == "db-credentials")
            #expect(status?["refreshTime"]?.stringValue?.isEmpty == false)
            #expect(status?["syncedResourceVersion"]?.stringValue?.hasPrefix("1-") == true)

            // A rotation is picked up once the interval has passed.
            try await moto.putSecretValue("prod/db", value: #"{"username":"app","password":"rotated-1"}"#)
            try await eventually("the rotated password reaches the Secret") {
                harness.clock.advance(by: .seconds(3600))
                return try await harness.secret("db-credentials", namespace: "team-a")?["password"] == "rotated-1"
            }

            // The store goes down: the next refresh fails, the Secret stays exactly as it was.
            let before = try await harness.client.get(ExternalSecretsHarness.secretKind, name: "db-credentials", namespace: "team-a")
            moto.stop()
            try await harness.waitFor("db", namespace: "team-a", reason: "SecretSyncedError", containing: "unreachable", advancing: .seconds(3600))
            let after = try await harness.client.get(ExternalSecretsHarness.secretKind, name: "db-credentials", namespace: "team-a")
            #expect(after == before, "the Secret is untouched while the store is down")
            let condition = await harness.ready(.externalSecret, "db", namespace: "team-a")
            #expect(condition?.status == "False")
            #expect(condition?.message.contains("SecretStore team-a/aws") == true)

            // Back up (a restarted moto is empty): the retry, sooner than the interval, syncs again.
            try await moto.start()
            try await moto.createSecret("prod/db", value: #"{"username":"app","password":"after-outage"}"#)
            try await eventually("the Secret follows the store once it is back") {
                harness.clock.advance(by: .seconds(30))
                return try await harness.secret("db-credentials", namespace: "team-a")?["password"] == "after-outage"
            }
            try await harness.waitFor("db", namespace: "team-a", reason: "SecretSynced")
        }
    }

    @Test("dataFrom extract, find by name and by tag, with rewrite and a template")
    func extractFindAndTemplate() async throws {
        try await withMoto { moto, harness in
            try await moto.createSecret("app/config", value: #"{"host":"db.internal","port":5432}"#)
            try await moto.createSecret("app/api-key", value: "key-1", tags: ["team": "a"])
            try await moto.createSecret("app/other", value: "other-1", tags: ["team": "b"])
            try await moto.createSecret("unrelated", value: "nope")
            try await harness.apply(
                Self.externalSecret(
                    "mixed",
                    spec: """
                          secretStoreRef: {name: aws, kind: SecretStore}
                          target:
                            template:
                              type: kubernetes.io/basic-auth
                              metadata: {labels: {team: '{{ .team_label }}'}}
                              mergePolicy: Merge
                              data:
                                url: 'postgres://{{ .host }}:{{ .port }}/app'
                                config.json: '{{ dict "host" .host | toJson }}'
                          data:
                          - {secretKey: team_label, remoteRef: {key: app/api-key}}
                          dataFrom:
                          - extract: {key: app/config}
                          - find: {name: {regexp: '^app/'}, tags: {team: a}}
                            rewrite: [{regexp: {source: '^app/(.*)$', target: 'tagged-$1'}}]
                          - find: {name: {regexp: 'other$'}}

                        """))
            try await harness.waitFor("mixed", namespace: "team-a", reason: "SecretSynced")
            let data = try await #require(try await harness.secret("mixed", namespace: "team-a"))
            #expect(data["host"] == "db.internal")
            #expect(data["port"] == "5432")
            #expect(data["url"] == "postgres://db.internal:5432/app")
            #expect(data["config.json"] == #"{"host":"db.internal"}"#)
            #expect(data["tagged-api-key"] == "key-1", "found by tag, renamed by rewrite")
            #expect(data["app_other"] == "other-1", "found by name; `/` is no Secret key character and becomes `_`")
            #expect(data["unrelated"] == nil && data["tagged-other"] == nil)
            let secret = try await harness.client.get(ExternalSecretsHarness.secretKind, name: "mixed", namespace: "team-a")
            #expect(secret.object["type"]?.stringValue == "kubernetes.io/basic-auth")
            #expect(secret.labels["team"] == "key-1")
            #expect(secret.metadata["ownerReferences"]?.arrayValue?.first?["kind"]?.stringValue == "ExternalSecret")
        }
    }

    @Test("no value reaches a log line, a status, an error message or a file")
    func leakCanary() async throws {
        try await withMoto { moto, harness in
            try await moto.createSecret("canary", value: #"{"token":"\#(Self.canary)"}"#)
            try await harness.apply(
                Self.externalSecret(
                    "canary",
                    spec: """
                          secretStoreRef: {name: aws}
                          data: [{secretKey: token, remoteRef: {key: canary, property: token}}]

                        """))
            try await harness.waitFor("canary", namespace: "team-a", reason: "SecretSynced")
            // A template whose function quotes its argument in its error (`parsing time "…"`).
            try await harness.apply(
                Self.externalSecret(
                    "broken",
                    spec: """
                          secretStoreRef: {name: aws}
                          target: {template: {data: {n: '{{ mustToDate "2006-01-02" .token }}'}}}
                          data: [{secretKey: token, remoteRef: {key: canary, property: token}}]

                        """))
            try await harness.waitFor("broken", namespace: "team-a", reason: "SecretSyncedError")
            let broken = await harness.ready(.externalSecret, "broken", namespace: "team-a")
            #expect(
                broken?.message.contains("calling mustToDate failed") == true && broken?.message.contains("parsing time") == false,
                "the function is named, its error (which quotes the value) withheld: \(broken?.message ?? "")")
            // The store down, then a missing secret: more error paths.
            try await moto.deleteSecret("canary")
            try await harness.waitFor("canary", namespace: "team-a", reason: "SecretSyncedError", containing: "canary", advancing: .seconds(7200))

            for name in ["canary", "broken"] {
                let object = try await harness.object(.externalSecret, name, namespace: "team-a")
                #expect(!JSONWriter.compact(object.value).contains(Self.canary), "the status of \(name) holds no value")
            }
            #expect(harness.logs.lines.allSatisfy { !$0.contains(Self.canary) }, "no log line holds the value")
            #expect(!harness.logs.lines.isEmpty)
            #expect(harness.folder.scan(for: Self.canary).containing.isEmpty, "no file holds the value")
            #expect(harness.folder.scan(for: Data(Self.canary.utf8).base64EncodedString()).containing.isEmpty)
            let store = try await harness.object(.secretStore, "aws", namespace: "team-a")
            #expect(!JSONWriter.compact(store.value).contains(Self.canary))
        }
    }

    @Test("the store is validated against moto and reports Valid; a broken spec reports InvalidProviderConfig")
    func storeConditions() async throws {
        try await withMoto { _, harness in
            try await eventually("the store is Valid") {
                await harness.ready(.secretStore, "aws", namespace: "team-a")?.reason == "Valid"
            }
            try await harness.apply(
                """
                apiVersion: keelson.dev/v1alpha1
                kind: SecretStore
                metadata: {name: bad, namespace: team-a}
                spec: {provider: {aws: {service: ParameterStore, region: us-east-1}}}

                """)
            try await eventually("the bad store is InvalidProviderConfig") {
                let ready = await harness.ready(.secretStore, "bad", namespace: "team-a")
                return ready?.reason == "InvalidProviderConfig" && ready?.message.contains("spec.provider.aws.service") == true
            }
        }
    }
}
