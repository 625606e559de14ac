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
/// A sync is an operation carried out in steps (`step`), each acting as far as the cluster
/// allows and never sleeping, so a controller drives many from watch events; `sync` drives one
/// to its end for the CLI, reading the cluster every `pollInterval` while a stage waits.
///
/// ```swift
/// let engine = SyncEngine(client: client)
/// let changes = await engine.sync(app: "guestbook", desired: rendered.manifests, options: options)
/// ```
public struct SyncEngine: Sendable {
    let client: any KubernetesAPI
    let reads: any KubernetesAPI
    /// Whether `reads` may not hold an object that exists (a watch cache).
    let readsMayTrail: Bool
    let inventory: any InventoryStore
    let logger: Logger
    let clock: any Clock<Duration>
    let now: @Sendable () -> Date

    /// Creates an engine writing with `client` and reading live objects from `reads` (by default
    /// `client`; a watch cache in the controller, whose misses the engine confirms before it
    /// drops an object from an inventory). The inventory defaults to ConfigMaps in namespace `keelson`.
    public init(
        client: any KubernetesAPI, reads: (any KubernetesAPI)? = nil, inventory: (any InventoryStore)? = nil,
        logger: Logger = Logger(label: "keelson.sync"), clock: any Clock<Duration> = ContinuousClock(),
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.client = client
        self.reads = reads ?? client
        self.readsMayTrail = reads != nil
        self.inventory = inventory ?? ConfigMapInventoryStore(client: client)
        self.logger = logger
        self.clock = clock
        self.now = now
    }

    /// A new operation syncing `revision` of `app`, per `options`.
    public func start(app: AppIdentity, revision: String = "", options: SyncOptions) -> SyncSession {
        SyncSession(SyncOperation(revision: revision, prune: options.prune, now: now(), timeout: options.timeout), app: app, dryRun: options.dryRun)
    }

    /// Carries `session`'s operation forward as far as the cluster allows; never sleeps.
    /// When it returns `.finished`, the session's change set says how the sync ended.
    public func step(app: AppIdentity, desired: [Manifest], options: SyncOptions, session: inout SyncSession) async -> SyncStepResult {
        var logger = self.logger
        logger[metadataKey: "keelson.app"] = "\(app)"
        let result = await SyncRun(engine: self, app: app, options: options, logger: logger).step(desired, session: &session)
        if result == .finished {
            if let failure = session.operation.failure {
                session.changes.result = .failed
                session.changes.message = failure.description
                session.changes.failure = failure.code
            }
            session.changes.finishedAt = now()
            if !session.changes.dryRun {
                logger.info("sync finished", metadata: ["result": "\(session.changes.result.rawValue)", "summary": "\(session.changes.summary)"])
            }
        }
        return result
    }

    /// The health of each of `prepared` (objects as `prepare` returns them) as the reads and
    /// `session`'s writes show it now; an unreadable object counts as missing.
    public func health(of prepared: [Manifest], session: SyncSession?) async -> [(ResourceKey, ObjectHealth)] {
        let run = SyncRun(engine: self, app: AppIdentity(namespace: "", name: ""), options: SyncOptions(), logger: logger)
        let written = session ?? SyncSession(SyncOperation(revision: "", prune: false, now: now(), timeout: .zero), app: run.app)
        var healths: [(ResourceKey, ObjectHealth)] = []
        for object in prepared { healths.append((object.key, HealthAssessor.assess(try? await run.live(object, session: written)))) }
        return healths
    }

    /// Syncs `desired` as application `app` to the end, reading the cluster every
    /// `options.pollInterval` while a stage waits; never throws: failures are in the change set.
    public func sync(app: AppIdentity, desired: [Manifest], options: SyncOptions) async -> ChangeSet {
        var session = start(app: app, options: options)
        while case .waiting = await step(app: app, desired: desired, options: options, session: &session) {
            do { try await clock.sleep(for: options.pollInterval) } catch {
                session.operation.failure = SyncError(.timeout, app: app, "cancelled")
                session.changes.result = .failed
                session.changes.message = "\(app): cancelled"
                break
            }
        }
        return session.changes
    }
}

/// Reads that may trail the cluster, such as a watch cache, and know how far they have caught up.
public protocol TrailingReads: KubernetesAPI {
    /// Whether reads of `kind` in `namespace` (`""`: cluster-scoped) already reflect every change
    /// up to `resourceVersion` (so an object written there at that version and absent from them
    /// has since been deleted).
    func reflects(_ kind: GroupVersionKind, namespace: String, resourceVersion: String) async -> Bool
}
