import Foundation
import Kube
import Manifests

/// Where a secret setting (the tokens file, a webhook secret) comes from: a file path, or a key
/// of a Kubernetes Secret written `secret:NAMESPACE/NAME#KEY` (`#KEY` optional). Read once at
/// start-up; values never appear in errors.
public enum SecretSource: Sendable, Hashable, CustomStringConvertible {
    /// A file.
    case file(String)
    /// A key of a Kubernetes Secret.
    case secret(namespace: String, name: String, key: String)

    /// The largest value read.
    public static let maximumBytes = 1 << 20

    /// Whether `text` names a set of keys (`secret:NAMESPACE/NAME` without `#KEY`, or a
    /// directory) rather than one value (`secret:NAMESPACE/NAME#KEY`, or a file).
    public static func namesKeySet(_ text: String) -> Bool {
        if text.hasPrefix("secret:") { return !text.contains("#") }
        var isDirectory: ObjCBool = false
        return FileManager.default.fileExists(atPath: text, isDirectory: &isDirectory) && isDirectory.boolValue
    }

    /// Parses a flag's value; `defaultKey` is used when a Secret reference names no key.
    public init(_ text: String, defaultKey: String) throws(SecretSourceError) {
        guard text.hasPrefix("secret:") else {
            guard !text.isEmpty else { throw SecretSourceError("an empty path") }
            self = .file(text)
            return
        }
        let reference = text.dropFirst("secret:".count)
        let (path, key) = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false).map(String.init).splitKey(defaultKey)
        let parts = path.split(separator: "/", omittingEmptySubsequences: false).map(String.init)
        guard parts.count == 2, parts.allSatisfy({ !$0.isEmpty && $0.count <= 253 }), !key.isEmpty else {
            throw SecretSourceError("\(text): write secret:NAMESPACE/NAME or secret:NAMESPACE/NAME#KEY")
        }
        self = .secret(namespace: parts[0], name: parts[1], key: key)
    }

    public var description: String {
        switch self {
        case .file(let path): path
        case .secret(let namespace, let name, let key): "Secret \(namespace)/\(name) key \(key)"
        }
    }

    /// The bytes, with trailing newlines and spaces removed; empty values are refused.
    public func load(_ client: (any KubernetesAPI)?) async throws(SecretSourceError) -> [UInt8] {
        switch self {
        case .file(let path):
            guard let data = FileManager.default.contents(atPath: path) else { throw SecretSourceError("\(path): cannot read the file") }
            return try Self.trimmed(Array(data), self)
        case .secret(_, _, let key):
            guard let encoded = try await secretData(client)[key]?.stringValue, let data = Data(base64Encoded: encoded) else {
                throw SecretSourceError("\(self): the Secret has no such key")
            }
            return try Self.trimmed(Array(data), self)
        }
    }

    /// Every key of the Secret (its `#KEY` ignored), or every file of the directory a `.file`
    /// source names (hidden entries, such as a mounted Secret's `..data`, left out), each
    /// trimmed like `load`; empty values are left out.
    public func loadAll(_ client: (any KubernetesAPI)?) async throws(SecretSourceError) -> [String: [UInt8]] {
        var values: [String: [UInt8]] = [:]
        switch self {
        case .file(let path):
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else {
                throw SecretSourceError("\(path): cannot read the directory")
            }
            for name in names where !name.hasPrefix(".") {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path + "/" + name, isDirectory: &isDirectory), !isDirectory.boolValue else { continue }
                guard let data = FileManager.default.contents(atPath: path + "/" + name) else {
                    throw SecretSourceError("\(path)/\(name): cannot read the file")
                }
                values[name] = try? Self.trimmed(Array(data), .file(path + "/" + name))
            }
        case .secret:
            for (key, value) in try await secretData(client) {
                guard let encoded = value.stringValue, let data = Data(base64Encoded: encoded) else { continue }
                values[key] = try? Self.trimmed(Array(data), self)
            }
        }
        return values
    }

    private func secretData(_ client: (any KubernetesAPI)?) async throws(SecretSourceError) -> JSONObject {
        guard case .secret(let namespace, let name, _) = self else { return [:] }
        guard let client else { throw SecretSourceError("\(self): no cluster to read it from") }
        let secret: Manifest
        do {
            secret = try await client.get(GroupVersionKind(group: "", version: "v1", kind: "Secret"), name: name, namespace: namespace)
        } catch {
            throw SecretSourceError("\(self): \(error.isNotFound ? "not found" : "cannot be read (\(error.code))")")
        }
        return secret.object["data"]?.objectValue ?? [:]
    }

    private static func trimmed(_ value: [UInt8], _ source: SecretSource) throws(SecretSourceError) -> [UInt8] {
        var bytes = value
        guard bytes.count <= maximumBytes else { throw SecretSourceError("\(source): larger than 1 MiB") }
        while let last = bytes.last, last == 0x0A || last == 0x0D || last == 0x20 { bytes.removeLast() }
        guard !bytes.isEmpty else { throw SecretSourceError("\(source): empty") }
        return bytes
    }
}

/// A secret setting that cannot be read; says where, never what.
public struct SecretSourceError: Error, Sendable, CustomStringConvertible {
    /// What went wrong.
    public var description: String

    init(_ description: String) { self.description = description }
}

extension Array where Element == String {
    fileprivate func splitKey(_ defaultKey: String) -> (String, String) {
        (first ?? "", count > 1 ? self[1] : defaultKey)
    }
}
