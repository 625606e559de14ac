import Foundation
import Kube
import Logging
import Manifests

/// Options of one sync.
public struct SyncOptions: Sendable {
    /// Delete what Git no longer holds.
    public var prune = false
    /// Let an empty render prune everything.
    public var allowEmpty = false
    /// Write nothing; report what would be done.
    public var dryRun = false
    /// Wait for the application to become healthy after applying.
    public var wait = false
    /// How long waits (for CRDs, waves, hooks, health) may take in total.
    public var timeout: Duration = .seconds(300)
    /// How often health is polled while waiting.
    public var pollInterval: Duration = .milliseconds(250)
    /// The namespace for namespaced objects that name none.
    public var namespace = "default"
    /// Create namespaces that objects need but the render does not hold (`CreateNamespace=true`).
    public var createNamespace = false
    /// How many objects of one step are applied at once.
    public var concurrency = 8
    /// Fields to ignore when comparing.
    public var ignoreDifferences: [IgnoreRule] = []
    /// Take over desired objects whose tracking id names another application of the same
    /// namespace (`AllowSharedResource=true`).
    public var allowSharedResources = false

    /// Default options.
    public init() {}
}

/// Makes a cluster equal to an application's desired objects: plan, ordered server-side apply
/// with field manager `keelson`, waves and hooks, prune from the inventory, health.
///
/// ```swift
/// let engine = SyncEngine(client: client)
/// let changes = await engine.sync(app: "guestbook", desired: rendered.manifests, options: options)
/// ```
public struct SyncEngine: Sendable {
    let client: any KubernetesAPI
    let inventory: any InventoryStore
    let logger: Logger

    /// Creates an engine; the inventory defaults to ConfigMaps in namespace `keelson`.
    public init(client: any KubernetesAPI, inventory: (any InventoryStore)? = nil, logger: Logger = Logger(label: "keelson.sync")) {
        self.client = client
        self.inventory = inventory ?? ConfigMapInventoryStore(client: client)
        self.logger = logger
    }

    /// Syncs `desired` as application `app`; never throws: failures are in the change set.
    public func sync(app: AppIdentity, desired: [Manifest], options: SyncOptions) async -> ChangeSet {
        var changes = ChangeSet(app: app.description, dryRun: options.dryRun)
        var logger = self.logger
        logger[metadataKey: "keelson.app"] = "\(app)"
        do {
            try await SyncRun(engine: self, app: app, options: options, logger: logger).run(desired, into: &changes)
        } catch let error as SyncError {
            changes.result = .failed
            changes.message = error.description
            changes.failure = error.code
        } catch {
            changes.result = .failed
            changes.message = "\(app): \(error)"
        }
        changes.finishedAt = Date()
        logger.info("sync finished", metadata: ["result": "\(changes.result.rawValue)", "summary": "\(changes.summary)"])
        return changes
    }
}
