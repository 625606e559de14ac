import Kube
import Manifests
import Synchronization

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
    func load(app: AppIdentity) async throws -> Set<InventoryEntry>
    /// Records the inventory of a successful sync.
    func save(app: AppIdentity, entries: Set<InventoryEntry>) async throws
    /// Forgets the application's inventory (its objects are deleted, and so is the Application).
    func remove(app: AppIdentity) async throws
}

/// Keeps each application's inventory in a ConfigMap `keelson-inventory-<namespace>.<name>` in
/// the cluster, so another Keelson process (or the same one after a restart) continues where
/// this one stopped. An inventory written before identities carried a namespace
/// (`keelson-inventory-<name>` in the legacy namespace) is read for the application of that name
/// in the legacy namespace and replaced on its next save, so nothing is lost track of.
public struct ConfigMapInventoryStore: InventoryStore {
    /// The namespace holding the inventories.
    public let namespace: String
    let client: any KubernetesAPI
    /// The applications whose inventory `load` found under its legacy name, to remove on `save`.
    private let legacyFound = LegacyInventories()
    /// The kind inventories are kept as.
    public static let kind = GroupVersionKind(group: "", version: "v1", kind: "ConfigMap")

    /// Creates a store writing to `namespace` (created when missing).
    public init(client: any KubernetesAPI, namespace: String = "keelson") {
        self.client = client
        self.namespace = namespace
    }

    /// The ConfigMap's name: namespace and name are DNS labels, so the dot keeps them apart.
    static func name(for app: AppIdentity) -> String { "keelson-inventory-\(app.namespace).\(app.name)" }

    /// Where an inventory of `app` written before identities carried a namespace may be.
    func legacyName(for app: AppIdentity) -> String? {
        app.namespace == AppIdentity.legacyNamespace && namespace == AppIdentity.legacyNamespace ? "keelson-inventory-\(app.name)" : nil
    }

    public func load(app: AppIdentity) async throws -> Set<InventoryEntry> {
        var name = Self.name(for: app)
        var found = try await Self.getIfPresent(client, Self.kind, name: name, namespace: namespace)
        if found == nil, let legacy = legacyName(for: app) {
            name = legacy
            found = try await Self.getIfPresent(client, Self.kind, name: legacy, namespace: namespace)
            if found != nil { legacyFound.insert(app) }
        }
        guard let object = found, let text = object.object["data"]?["entries"]?.stringValue else { return [] }
        let value = try JSONParser.parse(text, file: "ConfigMap/\(namespace)/\(name)")
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

    public func save(app: AppIdentity, entries: Set<InventoryEntry>) async throws {
        let items: [JSONValue] = entries.sorted().map { entry in
            [
                "apiVersion": .string(entry.apiVersion), "kind": .string(entry.key.kind), "namespace": .string(entry.key.namespace),
                "name": .string(entry.key.name),
            ]
        }
        let object: JSONValue = [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": [
                "name": .string(Self.name(for: app)), "namespace": .string(namespace),
                "labels": [
                    .init(stringLiteral: Tracking.appLabel): .string(app.name),
                    .init(stringLiteral: Tracking.appNamespaceLabel): .string(app.namespace),
                ],
            ],
            "data": ["entries": .string(JSONWriter.compact(.array(items)))],
        ]
        let inventory = try Manifest(object)
        let options = ApplyOptions(fieldManager: Tracking.fieldManager, force: true)
        do {
            _ = try await client.apply(inventory, options: options)
        } catch {
            guard error.isNotFound else { throw error }
            // The namespace is missing: create it, and write again.
            try await client.createNamespaceIfMissing(namespace, fieldManager: Tracking.fieldManager)
            _ = try await client.apply(inventory, options: options)
        }
        // The new ConfigMap holds everything the legacy one did (the sync loaded it), so it goes.
        if let legacy = legacyName(for: app), legacyFound.remove(app) {
            do { _ = try await client.delete(Self.kind, name: legacy, namespace: namespace, options: DeleteOptions()) } catch {
                if !error.isNotFound { throw error }
            }
        }
    }

    public func remove(app: AppIdentity) async throws {
        for name in [Self.name(for: app)] + (legacyName(for: app).map { [$0] } ?? []) {
            do { _ = try await client.delete(Self.kind, name: name, namespace: namespace, options: DeleteOptions()) } catch {
                if !error.isNotFound { throw error }
            }
        }
        _ = legacyFound.remove(app)
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

}

/// Which applications' inventories were found under their legacy names (shared by copies of a store).
private final class LegacyInventories: Sendable {
    private let found = Mutex<Set<AppIdentity>>([])

    func insert(_ app: AppIdentity) { _ = found.withLock { $0.insert(app) } }

    /// Whether `app` was found (and forgets it).
    func remove(_ app: AppIdentity) -> Bool { found.withLock { $0.remove(app) != nil } }
}
