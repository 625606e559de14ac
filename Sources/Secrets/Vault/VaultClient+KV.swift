import Foundation
import Manifests

/// The two versions of Vault's key/value secrets engine.
public enum VaultKVVersion: String, Sendable, Hashable, CaseIterable {
    /// KV v1: `GET /v1/MOUNT/PATH`, no versions.
    case v1
    /// KV v2: `GET /v1/MOUNT/data/PATH`, versioned, with metadata.
    case v2
}

/// A KV secret as read: its data and, for KV v2, the version read and when it was written.
public struct VaultKVSecret: Sendable, Hashable {
    /// The secret's key/value object.
    public var data: JSONObject
    /// The version read (KV v2 only).
    public var version: Int?
    /// When that version was written, RFC 3339 (KV v2 only).
    public var createdTime: String?
    /// The secret's `custom_metadata` (KV v2 only; empty when none).
    public var customMetadata: [String: String]

    /// Creates a secret value.
    public init(data: JSONObject, version: Int? = nil, createdTime: String? = nil, customMetadata: [String: String] = [:]) {
        self.data = data
        self.version = version
        self.createdTime = createdTime
        self.customMetadata = customMetadata
    }
}

/// The metadata of a KV v2 secret: `GET /v1/MOUNT/metadata/PATH`.
public struct VaultKVMetadata: Sendable, Hashable {
    /// The newest version.
    public var currentVersion: Int
    /// When the secret was first written, RFC 3339.
    public var createdTime: String?
    /// When it was last written, RFC 3339.
    public var updatedTime: String?
    /// The tags set with `vault kv metadata put -custom-metadata K=V`.
    public var customMetadata: [String: String]
}

extension VaultClient {
    /// Reads a KV secret; `secretVersion` picks a KV v2 version (nil: the newest).
    /// A missing or deleted secret throws `VaultError` with `isNotFound`.
    public func readKV(
        mount: String, path: String, version: VaultKVVersion = .v2, secretVersion: Int? = nil
    ) async throws(VaultError) -> VaultKVSecret {
        switch version {
        case .v1:
            let call = Call(.GET, [mount, path])
            guard let data = try await send(call)?["data"]?.objectValue else { throw malformed(call, "the answer has no data object") }
            return VaultKVSecret(data: data)
        case .v2:
            let call = Call(.GET, [mount, "data", path], query: secretVersion.map { "version=\($0)" })
            let answer = try await send(call)
            guard let data = answer?["data"]?["data"]?.objectValue else {
                // Vault and OpenBao answer a deleted version with 404; should a server answer 200
                // with `data: null`, the version's metadata still says it was deleted.
                if answer?["data"]?["data"] == .null, let metadata = answer?["data"]?["metadata"], let message = Self.deletionMessage(metadata) {
                    throw VaultError(.notFound, message, address: configuration.address, path: call.path)
                }
                throw malformed(call, "the answer has no data.data object")
            }
            let metadata = answer?["data"]?["metadata"]
            return VaultKVSecret(
                data: data, version: metadata?["version"]?.intValue.map { Int($0) }, createdTime: metadata?["created_time"]?.stringValue,
                customMetadata: Self.strings(metadata?["custom_metadata"]))
        }
    }

    /// The names under a KV folder (folders end in `/`); an empty or missing folder lists nothing.
    public func listKV(mount: String, path: String = "", version: VaultKVVersion = .v2) async throws(VaultError) -> [String] {
        let call = Call(.GET, version == .v1 ? [mount, path] : [mount, "metadata", path], query: "list=true")
        let answer: JSONValue?
        do { answer = try await send(call) } catch  where error.isNotFound { return [] }
        guard let keys = answer?["data"]?["keys"]?.arrayValue else { throw malformed(call, "the answer has no data.keys list") }
        return keys.compactMap(\.stringValue)
    }

    /// The metadata of a KV v2 secret, with its custom metadata (tags).
    public func kvMetadata(mount: String, path: String) async throws(VaultError) -> VaultKVMetadata {
        let call = Call(.GET, [mount, "metadata", path])
        guard let data = try await send(call)?["data"], let current = data["current_version"]?.intValue else {
            throw malformed(call, "the answer has no data.current_version")
        }
        return VaultKVMetadata(
            currentVersion: Int(current), createdTime: data["created_time"]?.stringValue, updatedTime: data["updated_time"]?.stringValue,
            customMetadata: Self.strings(data["custom_metadata"]))
    }

    func malformed(_ call: Call, _ message: String) -> VaultError {
        VaultError(.malformedResponse, message, address: configuration.address, path: call.path)
    }

    static func strings(_ value: JSONValue?) -> [String: String] {
        var result: [String: String] = [:]
        for (key, item) in value?.objectValue ?? [:] { if let text = item.stringValue { result[key] = text } }
        return result
    }
}
