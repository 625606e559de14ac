import Foundation
import Logging
import Manifests
import Synchronization

/// A change to one object, as watch streams report it.
struct WatchEvent: Sendable {
    /// `ADDED`, `MODIFIED`, `DELETED` or `BOOKMARK`.
    var type: String
    /// The storage identity (`group/plural`) of the object's type.
    var storageID: String
    /// The object after the change (before it, for `DELETED`, with the new resourceVersion).
    var object: JSONObject
    /// The resourceVersion of the change.
    var revision: Int64
    /// The object before a `MODIFIED` change; selectors use it to tell objects entering or leaving.
    var previous: JSONObject? = nil

    /// The event as a watcher with `query` sees it: an object that starts matching is `ADDED`,
    /// one that stops matching is `DELETED`, as the API server's watch cache reports them.
    func seen(by query: ListQuery) -> WatchEvent? {
        let now = query.matches(object)
        guard type == "MODIFIED", let previous else { return now ? self : nil }
        let before = query.matches(previous)
        var copy = self
        switch (before, now) {
        case (true, true): return self
        case (false, true): copy.type = "ADDED"
        case (true, false): copy.type = "DELETED"
        case (false, false): return nil
        }
        return copy
    }
}

/// Options shared by every write.
struct WriteOptions: Sendable {
    /// `dryRun=All`: validate and compute the result, store nothing.
    var dryRun = false
    /// The field manager recorded in managedFields.
    var fieldManager = "unknown"
    /// Server-side apply `force`.
    var force = false
    /// What an undeclared field does (`fieldValidation`); it is pruned whatever the mode.
    var fieldValidation = FieldValidation.warn
    /// Where a write leaves the warnings the response carries (`Warning` headers).
    var warnings = WarningSink()
}

/// `fieldValidation`: an undeclared field in a write is dropped silently, dropped with a warning
/// (the API server's default), or refused.
enum FieldValidation: String, Sendable {
    case ignore = "Ignore"
    case warn = "Warn"
    case strict = "Strict"
}

/// The warnings of one request, filled by the store and read by the response.
final class WarningSink: Sendable {
    private let texts = Mutex<[String]>([])
    /// Adds a warning.
    func add(_ text: String) { texts.withLock { $0.append(text) } }
    /// The warnings so far, in order.
    var all: [String] { texts.withLock { $0 } }
}

/// All objects of the sandbox cluster, with the global resourceVersion counter and the watch log.
///
/// An actor because request handlers, watch streams and the simulated controllers all share it.
actor ClusterStore {
    /// The namespaces a new cluster starts with.
    static let initialNamespaces = ["default", "kube-system", "kube-public", "kube-node-lease"]

    struct ObjectName: Hashable, Comparable {
        var namespace: String
        var name: String
        static func < (lhs: Self, rhs: Self) -> Bool { (lhs.namespace, lhs.name) < (rhs.namespace, rhs.name) }
    }

    struct Watcher {
        var type: ResourceType
        var query: ListQuery
        var continuation: AsyncStream<WatchEvent>.Continuation
    }

    let catalog: ResourceCatalog
    let logger: Logger
    let now: @Sendable () -> Date
    var objects: [String: [ObjectName: JSONObject]] = [:]
    /// The last resourceVersion handed out.
    private(set) var revision: Int64 = 0
    var history: [WatchEvent] = []
    let historyLimit: Int
    /// The newest resourceVersion no longer in `history`; watches must start at or after it.
    var compactedRevision: Int64 = 0
    var watchers: [Int: Watcher] = [:]
    var nextWatcherID = 0
    /// Called after every committed change (the simulated controllers).
    var onCommit: (@Sendable (WatchEvent) -> Void)?
    /// Called synchronously within every commit, before it returns (the traffic ledger).
    var observers: [@Sendable (WatchEvent) -> Void] = []
    /// Where changes are persisted, if anywhere.
    var persistence: SQLiteStore?

    init(catalog: ResourceCatalog, historyLimit: Int, logger: Logger, now: @escaping @Sendable () -> Date = Date.init) {
        self.catalog = catalog
        self.historyLimit = historyLimit
        self.logger = logger
        self.now = now
        let namespaceType = BuiltinResources.all[0]
        for name in Self.initialNamespaces {
            var namespace: JSONObject = ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(name)]]
            Admission.prepareCreate(&namespace, type: namespaceType, now: now())
            revision += 1
            namespace.setMeta("resourceVersion", .string(String(revision)))
            objects[namespaceType.storageID, default: [:]][ObjectName(namespace: "", name: name)] = namespace
        }
    }

    /// Registers a hook run after every committed change.
    func setOnCommit(_ hook: @escaping @Sendable (WatchEvent) -> Void) { onCommit = hook }

    // MARK: Reads

    /// One object, or `NotFound`.
    func get(_ type: ResourceType, namespace: String, name: String) throws(APIError) -> JSONObject {
        guard let object = objects[type.storageID]?[ObjectName(namespace: namespace, name: name)] else {
            throw .notFound(type, name)
        }
        return present(object, as: type)
    }

    /// The object as served in `type`'s version.
    func present(_ object: JSONObject, as type: ResourceType) -> JSONObject {
        VersionConversion.convert(object, to: type.apiVersion)
    }

    /// The version objects of `type`'s resource are stored in: the first one the catalog lists.
    func storageVersion(of type: ResourceType) -> String {
        catalog.all.first { $0.storageID == type.storageID }?.apiVersion ?? type.apiVersion
    }

    /// Objects of a type, optionally in one namespace, sorted by namespace and name.
    func all(_ type: ResourceType, namespace: String?) -> [JSONObject] {
        (objects[type.storageID] ?? [:]).filter { namespace == nil || $0.key.namespace == namespace }
            .sorted { $0.key < $1.key }.map { present($0.value, as: type) }
    }

    /// Whether a namespace exists; throws `NotFound` otherwise.
    func requireNamespace(_ namespace: String, forCreate: Bool) throws(APIError) {
        let type = BuiltinResources.all[0]
        guard let object = objects[type.storageID]?[ObjectName(namespace: "", name: namespace)] else {
            throw .notFound(type, namespace)
        }
        if forCreate && object.isTerminating {
            throw APIError(
                .forbidden,
                "unable to create new content in namespace \(namespace) because it is being terminated",
                plural: type.plural, name: namespace)
        }
    }

    // MARK: Commit

    /// Stores a new or changed object under the next resourceVersion and notifies watchers.
    @discardableResult
    func commit(_ type: ResourceType, _ object: JSONObject, isNew: Bool) -> JSONObject {
        revision += 1
        var stored = VersionConversion.convert(object, to: storageVersion(of: type))
        stored.setMeta("resourceVersion", .string(String(revision)))
        let key = ObjectName(namespace: stored.namespace, name: stored.name)
        let previous = objects[type.storageID]?[key]
        objects[type.storageID, default: [:]][key] = stored
        publish(
            WatchEvent(
                type: isNew ? "ADDED" : "MODIFIED", storageID: type.storageID, object: stored, revision: revision,
                previous: previous))
        if type.kind == "CustomResourceDefinition" && type.group == "apiextensions.k8s.io" {
            catalog.register(crd: stored)
        }
        return stored
    }

    /// Removes an object under the next resourceVersion and notifies watchers.
    @discardableResult
    func remove(_ type: ResourceType, namespace: String, name: String) -> JSONObject? {
        let key = ObjectName(namespace: namespace, name: name)
        guard var object = objects[type.storageID]?.removeValue(forKey: key) else { return nil }
        revision += 1
        object.setMeta("resourceVersion", .string(String(revision)))
        publish(WatchEvent(type: "DELETED", storageID: type.storageID, object: object, revision: revision))
        if type.kind == "CustomResourceDefinition" && type.group == "apiextensions.k8s.io" {
            for served in catalog.unregister(crdName: name) {
                for victim in all(served, namespace: nil) { remove(served, namespace: victim.namespace, name: victim.name) }
            }
        }
        if type.namespaced { finishNamespaceIfEmpty(namespace) }
        return object
    }

    /// Loads the objects persisted in `database` (if it holds any) and records every later change there.
    func attach(_ database: SQLiteStore) throws(PersistenceError) {
        let (entries, restoredRevision) = try database.load()
        if !entries.isEmpty { restore(entries, revision: restoredRevision) }
        persistence = database
        if entries.isEmpty {
            // A new database starts with the initial namespaces.
            for (storageID, byName) in objects {
                for object in byName.values {
                    try database.record(WatchEvent(type: "ADDED", storageID: storageID, object: object, revision: revision))
                }
            }
        }
    }

    /// Replaces all objects with ones read from disk, keeping their resourceVersions.
    func restore(_ entries: [(storageID: String, object: JSONObject)], revision restoredRevision: Int64) {
        objects = [:]
        for entry in entries {
            objects[entry.storageID, default: [:]][ObjectName(namespace: entry.object.namespace, name: entry.object.name)] =
                entry.object
            if entry.storageID == "apiextensions.k8s.io/customresourcedefinitions" { catalog.register(crd: entry.object) }
        }
        revision = max(revision, restoredRevision)
        compactedRevision = revision
    }
}
