import Kube
import Manifests

/// One object an application owns, with the API version needed to delete it.
public struct InventoryEntry: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The object's identity.
    public var key: ResourceKey
    /// The `apiVersion` it was applied with.
    public var apiVersion: String

    /// Creates an entry.
    public init(key: ResourceKey, apiVersion: String) {
        self.key = key
        self.apiVersion = apiVersion
    }

    /// The entry of an applied manifest.
    public init(_ manifest: Manifest) { self.init(key: manifest.key, apiVersion: manifest.apiVersion) }

    /// The group, version and kind to address the object with.
    public var groupVersionKind: GroupVersionKind { GroupVersionKind(apiVersion: apiVersion, kind: key.kind) }

    public var description: String { key.description }

    public static func < (lhs: InventoryEntry, rhs: InventoryEntry) -> Bool { lhs.key < rhs.key }
}

/// Where an application's inventory is kept between syncs.
public protocol InventoryStore: Sendable {
    /// The inventory of the last successful sync; empty when there is none.
    func load(app: String) async throws -> Set<InventoryEntry>
    /// Records the inventory of a successful sync.
    func save(app: String, entries: Set<InventoryEntry>) async throws
}

/// Keeps each application's inventory in a ConfigMap `keelson-inventory-<app>` in the cluster, so
/// another Keelson process (or the same one after a restart) continues where this one stopped.
public struct ConfigMapInventoryStore: InventoryStore {
    /// The namespace holding the inventories.
    public let namespace: String
    let client: any KubernetesAPI
    static let configMap = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")
    static let namespaceKind = GroupVersionKind(group: "", version: "v1", kind: "Namespace")

    /// Creates a store writing to `namespace` (created when missing).
    public init(client: any KubernetesAPI, namespace: String = "keelson") {
        self.client = client
        self.namespace = namespace
    }

    static func name(for app: String) -> String { "keelson-inventory-\(app)" }

    public func load(app: String) async throws -> Set<InventoryEntry> {
        guard let object = try await Self.getIfPresent(client, Self.configMap, name: Self.name(for: app), namespace: namespace) else {
            return []
        }
        guard let text = object.object["data"]?["entries"]?.stringValue else { return [] }
        let value = try JSONParser.parse(text, file: "ConfigMap/\(namespace)/\(Self.name(for: app))")
        var entries = Set<InventoryEntry>()
        for item in value.arrayValue ?? [] {
            guard let apiVersion = item["apiVersion"]?.stringValue, let kind = item["kind"]?.stringValue,
                let name = item["name"]?.stringValue
            else { continue }
            let key = ResourceKey(
                group: ResourceKey.group(ofAPIVersion: apiVersion), kind: kind, namespace: item["namespace"]?.stringValue ?? "",
                name: name)
            entries.insert(InventoryEntry(key: key, apiVersion: apiVersion))
        }
        return entries
    }

    public func save(app: String, entries: Set<InventoryEntry>) async throws {
        let items: [JSONValue] = entries.sorted().map { entry in
            ["apiVersion": .string(entry.apiVersion), "kind": .string(entry.key.kind), "namespace": .string(entry.key.namespace),
             "name": .string(entry.key.name)]
        }
        try await ensureNamespace()
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(Self.name(for: app)), "namespace": .string(namespace), "labels": [.init(stringLiteral: Tracking.appLabel): .string(app)]],
            "data": ["entries": .string(JSONWriter.compact(.array(items)))],
        ]
        _ = try await client.apply(try Manifest(object), options: ApplyOptions(fieldManager: Tracking.fieldManager, force: true))
    }

    /// The object, or `nil` when the server says it does not exist.
    static func getIfPresent(
        _ client: any KubernetesAPI, _ gvk: GroupVersionKind, name: String, namespace: String?
    ) async throws(KubeError) -> Manifest? {
        do {
            return try await client.get(gvk, name: name, namespace: namespace)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    private func ensureNamespace() async throws {
        if try await Self.getIfPresent(client, Self.namespaceKind, name: namespace, namespace: nil) == nil {
            let object: JSONValue = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(namespace)]]
            _ = try await client.apply(try Manifest(object), options: ApplyOptions(fieldManager: Tracking.fieldManager, force: true))
        }
    }
}
