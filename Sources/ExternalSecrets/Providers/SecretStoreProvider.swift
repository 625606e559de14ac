/// One secret store's provider: how ExternalSecrets read values from it. Every method's error
/// names the store and the key, never a value.
///
/// A provider is made per sync by `SecretStoreProviderFactory` from the store's spec, with its
/// credentials read then; it holds no state between syncs.
///
/// ```swift
/// let provider = try await factory.provider(for: context)
/// let password = try await provider.value(for: RemoteRef(key: "prod/db", property: "password"))
/// ```
public protocol SecretStoreProvider: Sendable {
    /// The value at `ref`: the secret, or its `property`, at its `version`. Decoding
    /// (`decodingStrategy`) is the caller's.
    func value(for ref: RemoteRef) async throws(SecretStoreError) -> [UInt8]

    /// The fields of the JSON object at `ref` (`dataFrom[].extract`): strings as they are, other
    /// values as JSON.
    func values(extracting ref: RemoteRef) async throws(SecretStoreError) -> [String: [UInt8]]

    /// Every secret `find` selects, by its name in the store.
    func all(find: FindRef) async throws(SecretStoreError) -> [String: [UInt8]]

    /// Checks the store can be used: its endpoint answers and its credentials are accepted.
    func validate() async throws(SecretStoreError)

    /// Ends what the provider opened for this sync (a Vault login is revoked); called once the
    /// sync or validation is done, whether it succeeded or not.
    func close() async
}

extension SecretStoreProvider {
    /// Nothing to end.
    public func close() async {}

    /// The fields of `value(for:)`'s JSON object.
    public func values(extracting ref: RemoteRef) async throws(SecretStoreError) -> [String: [UInt8]] {
        let bytes = try await value(for: ref)
        guard let fields = SecretJSON.fields(bytes) else {
            throw SecretStoreError(code: .badValue, key: ref.key, message: "is not a JSON object, so its keys cannot be extracted")
        }
        return fields
    }
}

/// A provider that could not read: the store, the key and what went wrong, never a value.
public struct SecretStoreError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure; the sync decides on it (`notFound` counts for `deletionPolicy`).
    public enum Code: String, Sendable, Hashable {
        /// The secret, version or property does not exist.
        case notFound
        /// The store's endpoint did not answer.
        case unreachable
        /// The store refused the credentials or the request.
        case accessDenied
        /// The store's spec cannot be used (a missing field, an unsupported setting, a credential Secret missing).
        case invalidConfiguration
        /// The value is not what the reference needs (not JSON, not base64).
        case badValue
        /// Any other error of the store.
        case providerError
    }

    /// What kind of failure.
    public var code: Code
    /// The store, e.g. `SecretStore team-a/aws`; filled in by the sync when the provider leaves it empty.
    public var store: String
    /// The secret's key in the store, when one is concerned.
    public var key: String?
    /// What went wrong.
    public var message: String

    /// Creates an error.
    public init(code: Code, store: String = "", key: String? = nil, message: String) {
        self.code = code
        self.store = store
        self.key = key
        self.message = message
    }

    public var description: String {
        let subject = [store.isEmpty ? nil : store, key.map { "key \"\($0)\"" }].compactMap { $0 }.joined(separator: ", ")
        return subject.isEmpty ? message : "\(subject): \(message)"
    }
}
