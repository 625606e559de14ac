import AsyncHTTPClient
import Foundation
import Kube
import Manifests

/// Makes a store's provider from its spec: one builder per provider name under `spec.provider`.
/// `standard` knows `aws` (Secrets Manager), `kubernetes` and `vault` (Vault and OpenBao KV);
/// others are registered beside them.
///
/// ```swift
/// var factory = SecretStoreProviderFactory.standard
/// factory.register("gcpsm") { context throws(SecretStoreError) in try await GoogleProvider(context) }
/// let service = ExternalSecretsService(client: client, configuration: .init(providers: factory))
/// ```
public struct SecretStoreProviderFactory: Sendable {
    /// Reads `context.store.providerSpec` strictly and makes the provider.
    public typealias Builder = @Sendable (ProviderContext) async throws(SecretStoreError) -> any SecretStoreProvider

    /// The builders by provider name.
    public private(set) var builders: [String: Builder]

    /// A factory with `builders` only.
    public init(builders: [String: Builder] = [:]) { self.builders = builders }

    /// The providers Keelson ships: `aws` (service `SecretsManager`), `kubernetes` and `vault`.
    public static var standard: SecretStoreProviderFactory {
        SecretStoreProviderFactory(builders: [
            "aws": { context throws(SecretStoreError) in try await AWSSecretsManagerProvider(context) },
            "kubernetes": { context throws(SecretStoreError) in try KubernetesSecretProvider(context) },
            "vault": { context throws(SecretStoreError) in try await VaultSecretProvider(context) },
        ])
    }

    /// Adds (or replaces) the builder of `provider`.
    public mutating func register(_ provider: String, _ builder: @escaping Builder) { builders[provider] = builder }

    /// The provider of `context.store`; an unknown provider name is an invalid configuration.
    public func provider(for context: ProviderContext) async throws(SecretStoreError) -> any SecretStoreProvider {
        guard let builder = builders[context.store.providerName] else {
            throw SecretStoreError(
                code: .invalidConfiguration, store: context.store.id,
                message:
                    "spec.provider.\(context.store.providerName): unsupported provider (supported: \(builders.keys.sorted().joined(separator: ", ")))"
            )
        }
        do { return try await builder(context) } catch {
            var error = error
            if error.store.isEmpty { error.store = context.store.id }
            throw error
        }
    }
}

/// What a provider builder is given: the store, where it is used, and Keelson's ways out.
public struct ProviderContext: Sendable {
    /// The store.
    public var store: SecretStore
    /// The namespace of the ExternalSecret using the store (a SecretStore's own namespace).
    public var namespace: String
    /// The Kubernetes API as Keelson itself: credential Secrets are read through it.
    public var client: any KubernetesAPI
    /// The HTTP client providers share.
    public var httpClient: HTTPClient
    /// The process environment (AWS endpoint overrides, ambient credentials); tests set their own.
    public var environment: [String: String]

    /// Creates a context.
    public init(
        store: SecretStore, namespace: String, client: any KubernetesAPI, httpClient: HTTPClient = .shared,
        environment: [String: String] = ProcessInfo.processInfo.environment
    ) {
        self.store = store
        self.namespace = namespace
        self.client = client
        self.httpClient = httpClient
        self.environment = environment
    }

    /// The prefix of the provider's fields: `spec.provider.<name>`.
    public var field: String { "spec.provider.\(store.providerName)" }

    /// Runs `body` with a reader of the store's fields; its errors become invalid configurations
    /// naming the store and the field.
    public func read<T>(_ body: (FieldReader) throws(ObjectFieldError) -> T) throws(SecretStoreError) -> T {
        let reader = FieldReader(kind: store.kind.rawValue, manifest: Manifest(unchecked: ["metadata": ["name": .string(store.name)]]))
        do throws(ObjectFieldError) { return try body(reader) } catch {
            throw invalid(error.field, error.message)
        }
    }

    /// An invalid-configuration error about `field`.
    public func invalid(_ field: String, _ message: String) -> SecretStoreError {
        SecretStoreError(code: .invalidConfiguration, store: store.id, message: "\(field): \(message)")
    }

    /// The value of a `SecretKeySelector` (`{name, key, namespace}`) at `field`. A SecretStore reads
    /// only its own namespace; a ClusterSecretStore must name the namespace.
    public func credential(_ selector: JSONValue?, _ field: String) async throws(SecretStoreError) -> String {
        let (name, key, namespace) = try read { reader throws(ObjectFieldError) in
            let fields = try reader.object(selector, field, known: ["name", "key", "namespace"])
            guard let name = try reader.string(fields["name"], field + ".name"), !name.isEmpty else {
                throw reader.error(field + ".name", "is required")
            }
            guard let key = try reader.string(fields["key"], field + ".key"), !key.isEmpty else { throw reader.error(field + ".key", "is required") }
            return (name, key, try reader.string(fields["namespace"], field + ".namespace"))
        }
        let target: String
        if let own = store.namespace {
            if let namespace, namespace != own { throw invalid(field + ".namespace", "a SecretStore reads Secrets of its own namespace \(own) only") }
            target = own
        } else {
            guard let namespace else { throw invalid(field + ".namespace", "is required in a ClusterSecretStore") }
            target = namespace
        }
        let values = try await KubernetesSecrets.read(client, name: name, namespace: target)
        guard let value = values[key] else {
            throw invalid(field, "Secret \(target)/\(name) has no key \"\(key)\"")
        }
        return String(decoding: value, as: UTF8.self)
    }
}
