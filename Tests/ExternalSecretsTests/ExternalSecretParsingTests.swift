import ExternalSecrets
import Manifests
import Testing

/// Strict reading of ExternalSecrets and stores: ESO's defaults, and every field Keelson does not
/// support reported with the object and the field, never dropped.
@Suite struct ExternalSecretParsingTests {
    static func manifest(_ yaml: String) throws -> Manifest {
        try #require(try Manifest.decode(Array(yaml.utf8), file: "test").first)
    }

    static func externalSecret(_ spec: String) throws -> Manifest {
        try manifest("apiVersion: keelson.dev/v1alpha1\nkind: ExternalSecret\nmetadata: {name: es, namespace: ns}\nspec:\n" + spec)
    }

    @Test("ESO's defaults: 1h, Periodic, SecretStore, Owner, Retain, the ExternalSecret's name")
    func defaults() throws {
        let parsed = try ExternalSecret(try Self.externalSecret("  secretStoreRef: {name: s}\n  data: [{secretKey: k, remoteRef: {key: r}}]\n"))
        #expect(parsed.refreshInterval == .seconds(3600))
        #expect(parsed.refreshPolicy == .periodic)
        #expect(parsed.storeRef.kind == .secretStore)
        #expect(parsed.target.creationPolicy == .owner && parsed.target.deletionPolicy == .retain)
        #expect(parsed.secretName == "es")
        #expect(parsed.data.first?.remoteRef == RemoteRef(key: "r"))
    }

    @Test("refreshInterval 0 is accepted: fetch once per change")
    func zeroInterval() throws {
        let parsed = try ExternalSecret(
            try Self.externalSecret("  refreshInterval: \"0\"\n  secretStoreRef: {name: s}\n  data: [{secretKey: k, remoteRef: {key: r}}]\n"))
        #expect(parsed.refreshInterval == .zero)
    }

    struct Refusal: Sendable, CustomStringConvertible {
        var spec: String
        var field: String
        var description: String { field }
    }

    static let refusals: [Refusal] = [
        // An unknown field in the spec is reported, never dropped.
        Refusal(spec: "  secretStoreRef: {name: s}\n  data: [{secretKey: k, remoteRef: {key: r}}]\n  surprise: 1\n", field: "spec.surprise"),
        // A field ESO has that Keelson does not run (sourceRef generators).
        Refusal(spec: "  secretStoreRef: {name: s}\n  data: [{secretKey: k, remoteRef: {key: r}, sourceRef: {}}]\n", field: "spec.data[0].sourceRef"),
        // Only the Default conversion strategy.
        Refusal(
            spec: "  secretStoreRef: {name: s}\n  data: [{secretKey: k, remoteRef: {key: r, conversionStrategy: Unicode}}]\n",
            field: "spec.data[0].remoteRef.conversionStrategy"),
        // A Secret key Kubernetes would refuse.
        Refusal(spec: "  secretStoreRef: {name: s}\n  data: [{secretKey: 'a/b', remoteRef: {key: r}}]\n", field: "spec.data[0].secretKey"),
        // ESO's webhook rule: Delete needs a Secret Keelson owns.
        Refusal(
            spec:
                "  secretStoreRef: {name: s}\n  target: {creationPolicy: Merge, deletionPolicy: Delete}\n  data: [{secretKey: k, remoteRef: {key: r}}]\n",
            field: "spec.target.deletionPolicy"),
        // A find needs a name or tags.
        Refusal(spec: "  secretStoreRef: {name: s}\n  dataFrom: [{find: {path: x}}]\n", field: "spec.dataFrom[0].find"),
        // extract and find together are ambiguous.
        Refusal(spec: "  secretStoreRef: {name: s}\n  dataFrom: [{extract: {key: a}, find: {tags: {a: b}}}]\n", field: "spec.dataFrom[0]"),
        // Only template engine v2.
        Refusal(spec: "  secretStoreRef: {name: s}\n  target: {template: {engineVersion: v1}}\n", field: "spec.target.template.engineVersion"),
        // templateFrom is not supported.
        Refusal(spec: "  secretStoreRef: {name: s}\n  target: {template: {templateFrom: []}}\n", field: "spec.target.template.templateFrom"),
        // A policy that is none of ESO's.
        Refusal(
            spec: "  secretStoreRef: {name: s}\n  refreshPolicy: Sometimes\n  data: [{secretKey: k, remoteRef: {key: r}}]\n",
            field: "spec.refreshPolicy"),
        // No store.
        Refusal(spec: "  data: [{secretKey: k, remoteRef: {key: r}}]\n", field: "spec.secretStoreRef.name"),
        // A service-account-token Secret would have the token controller mint a long-lived token.
        Refusal(
            spec: "  secretStoreRef: {name: s}\n  target: {template: {type: kubernetes.io/service-account-token}}\n",
            field: "spec.target.template.type"),
        // A Secret labelled as a sealing key would become one of SealedSecrets' keys.
        Refusal(
            spec: "  secretStoreRef: {name: s}\n  target: {template: {metadata: {labels: {sealedsecrets.bitnami.com/sealed-secrets-key: active}}}}\n",
            field: "spec.target.template.metadata.labels.sealedsecrets.bitnami.com/sealed-secrets-key"),
    ]

    @Test(arguments: refusals)
    func refused(_ refusal: Refusal) throws {
        let error = try #require(throws: ObjectFieldError.self) { try ExternalSecret(try Self.externalSecret(refusal.spec)) }
        #expect(error.field == refusal.field, "\(error)")
        #expect(error.object == "ns/es" && error.kind == "ExternalSecret")
    }

    @Test("a store names exactly one provider, keeps its spec for the provider's builder, and reads conditions")
    func stores() throws {
        let store = try SecretStore(
            try Self.manifest(
                """
                apiVersion: external-secrets.io/v1
                kind: ClusterSecretStore
                metadata: {name: c}
                spec:
                  provider: {vault: {server: "http://127.0.0.1:8200"}}
                  conditions: [{namespaces: [a]}, {namespaceRegexes: ['^team-']}, {namespaceSelector: {matchLabels: {tier: prod}}}]

                """))
        #expect(store.api == .eso && store.kind == .clusterSecretStore && store.namespace == nil)
        #expect(store.providerName == "vault" && store.providerSpec["server"]?.stringValue == "http://127.0.0.1:8200")
        #expect(store.admits(namespace: "a", labels: [:]))
        #expect(store.admits(namespace: "team-x", labels: [:]))
        #expect(store.admits(namespace: "other", labels: ["tier": "prod"]))
        #expect(!store.admits(namespace: "other", labels: [:]))

        let twoProviders = try Self.manifest(
            "apiVersion: keelson.dev/v1alpha1\nkind: SecretStore\nmetadata: {name: s, namespace: n}\nspec: {provider: {aws: {}, kubernetes: {}}}\n")
        #expect(throws: ObjectFieldError.self) { try SecretStore(twoProviders) }
        let namespacedConditions = try Self.manifest(
            "apiVersion: keelson.dev/v1alpha1\nkind: SecretStore\nmetadata: {name: s, namespace: n}\nspec: {provider: {aws: {}}, conditions: []}\n")
        let error = try #require(throws: ObjectFieldError.self) { try SecretStore(namespacedConditions) }
        #expect(error.field == "spec.conditions")
    }
}
