import Foundation
import GitSource
import KeelsonFoundation
import Kube
import Logging
import Manifests
import Render
import ServiceLifecycle
import Sync

/// Settings of the controller.
public struct ControllerConfiguration: Sendable {
    /// A directory (or file) of Application manifests to apply to the cluster (standalone mode).
    public var appsPath: String?
    /// How many applications reconcile at once.
    public var workers = 4
    /// How often live objects are compared with the last render even when no watch event says
    /// they changed (a safety net: watches report drift within moments).
    public var resyncInterval: Duration = .seconds(300)
    /// How often the Application list is read.
    public var tickInterval: Duration = .seconds(1)
    /// The clock intervals, backoff and sync deadlines are timed with.
    public var clock: any Clock<Duration> = ContinuousClock()
    /// The wall-clock time operations and history are stamped with.
    public var now: @Sendable () -> Date = { Date() }
    /// Install the Application and Project CRDs and the controller's namespace when missing.
    public var installCRDs = true
    /// The controller's namespace and the other namespaces whose Applications it reconciles.
    public var tenancy = TenancyRules()
    /// With several replicas: the Lease they elect a leader on. Only the leader reconciles and
    /// writes (without sharding); the others watch, serve reads and forward requests, ready to
    /// take over. With sharding, the leader alone installs CRDs, applies `appsPath` and runs
    /// image automation.
    public var leaderElection: LeaderElectionSettings?
    /// How replicas share the Applications; `nil`: this replica reconciles them all.
    public var sharding: ShardingMode?
    /// The client settings (rate limit, User-Agent) for each registered cluster's own client.
    public var clusterClientOptions = KubeClientOptions()
    /// The variables AWS endpoints are read from when SOPS files are unwrapped with KMS
    /// (`AWS_ENDPOINT_URL_KMS`, `AWS_ENDPOINT_URL`); credentials never come from here but from
    /// each Application's decryption Secret.
    public var awsEnvironment: [String: String] = ProcessInfo.processInfo.environment
    /// Where Applications and live objects are watched in the controller's own cluster: across
    /// it, or in some namespaces only (a namespaced install; cluster-scoped kinds are then read
    /// from the API server, and its RBAC decides what may be applied).
    public var watchScope: WatchScope {
        get { tenancy.watchScope }
        set { tenancy.watchScope = newValue }
    }

    /// Defaults.
    public init() {}
}

/// The GitOps loop: reads Applications from the cluster (after applying those in `appsPath`),
/// reconciles each on its interval (and at once when it changes or asks to), keeps drift out
/// with self-heal, records history, honours rollback pins and `dependsOn`, and writes status.
/// A `Service`: graceful shutdown lets in-flight reconciles finish.
public struct ControllerService: Service {
    let client: any KubernetesAPI
    let git: GitCache
    let configuration: ControllerConfiguration
    let logger: Logger
    let state: ControllerState
    /// This replica's share of the Applications, when sharding.
    let ownership: ShardOwnership?
    /// What Leases are renewed through: the same API with a budget of its own (rate limit,
    /// discovery, credentials, and waits on the lease thread's clock), so that a burst of
    /// reconciles never holds a renewal back.
    let leaseClient: any KubernetesAPI
    /// What the server reads and asks through.
    public let handle: ControllerHandle

    static let applicationKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application")
    static let projectKind = GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Project")
    static let fieldManager = "keelson-controller"

    /// Creates the controller.
    public init(
        client: any KubernetesAPI, git: GitCache, configuration: ControllerConfiguration, logger: Logger = Logger(label: "keelson.controller")
    ) {
        let handle = ControllerHandle(controllerNamespace: configuration.tenancy.controllerNamespace)
        // With leader election, a replica is a standby until it holds the Lease.
        handle.setLeading(configuration.leaderElection == nil)
        self.handle = handle
        self.client = MeteredKubernetesAPI(base: client, metrics: handle.metrics)
        self.git = git
        self.configuration = configuration
        self.logger = logger
        state = ControllerState(clock: configuration.clock)
        ownership = configuration.sharding.map(ShardOwnership.init)
        leaseClient = self.client.withOwnBudget(clock: ThreadExecutor.leases.clock)
    }

    public func run() async throws {
        if configuration.leaderElection != nil || ownership != nil {
            // A request for an Application another replica reconciles goes to it through annotations.
            await handle.setForwarder { id, request throws(RequestNotForwarded) in try await self.forward(id, request) }
            await handle.setHandledHere { view in self.reconcilesHere(view.id, annotations: view.object.annotations) }
            // Leases live in the controller's namespace: the first replica of a new install creates it.
            if configuration.installCRDs {
                try await client.createNamespaceIfMissing(configuration.tenancy.controllerNamespace, fieldManager: Self.fieldManager)
            }
        }
        guard case .auto(let settings) = configuration.sharding, let ownership else {
            try await runElected()
            return
        }
        let membership = ShardMembership(client: leaseClient, settings: settings, logger: logger)
        await membership.onChange { [handle] members in
            ownership.update(members: members)
            handle.wake()
        }
        await membership.onRenewed { sinceSent in ownership.renewed(sinceSent: sinceSent) }
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { await membership.run() }
            try await runElected()
            // Leaving deletes this replica's Lease: the others take its share at once.
            group.cancelAll()
        }
    }

    /// Runs the loop, and with leader election, campaigns: every replica watches and serves; the
    /// Lease's holder alone prepares and (without sharding) reconciles and writes. Losing the
    /// Lease ends the run with an error (the process should exit and be restarted, as client-go's
    /// controllers do); a graceful shutdown lets in-flight reconciles finish before the Lease is
    /// released.
    func runElected() async throws {
        guard let election = configuration.leaderElection else {
            try await prepare()
            try await loop()
            return
        }
        let handle = handle
        let elector = LeaderElector(client: leaseClient, settings: election, logger: logger)
        let (loopEnded, ending) = AsyncStream.makeStream(of: Never.self)
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask {
                defer { ending.finish() }
                try await loop()
            }
            group.addTask {
                try await elector.whileLeading {
                    try await prepare()
                    handle.setLeading(true)
                    defer { handle.setLeading(false) }
                    for await _ in loopEnded {}
                }
            }
            try await group.next()
            // The loop ended (shutdown): a campaign still running stops, which is no error; a
            // leader releases the Lease.
            if !handle.isLeading { group.cancelAll() }
            do { try await group.waitForAll() } catch is CancellationError {}
        }
    }

    /// Whether this replica reconciles the Application `id`: its shard's when sharding, else
    /// while it leads (always without leader election).
    func reconcilesHere(_ id: String, annotations: [String: String]) -> Bool {
        if let ownership { return ownership.owns(id, annotations: annotations) }
        return handle.isLeading
    }

    /// What the leader does before its first reconcile: the CRDs and namespace, the `--apps` files.
    func prepare() async throws {
        if configuration.installCRDs { try await installCRD() }
        if let path = configuration.appsPath { try await applyApplicationFiles(path) }
    }

    /// Watches Applications, Projects and live objects, and reconciles what is due while leading.
    func loop() async throws {
        let (state, handle) = (self.state, self.handle)
        let cache = LiveObjectCache(client: client, scope: configuration.watchScope, logger: logger) { names in
            Task {
                await state.requestChecks(names)
                handle.wake()
            }
        }
        let store = ApplicationStore(
            client: client, kind: Self.applicationKind, scope: configuration.watchScope, logger: logger,
            parse: { manifest throws(ApplicationError) in
                try Application(manifest)
            }
        ) { handle.wake() }
        let projects = ProjectStore(
            client: client, kind: Self.projectKind, namespace: configuration.tenancy.controllerNamespace, logger: logger,
            parse: { manifest throws(ApplicationError) in try Project(manifest) }
        ) { handle.wake() }
        let local = AppReconciler(
            client: client, destination: client, metrics: handle.metrics, cache: cache, git: git, logger: logger, clock: configuration.clock,
            now: configuration.now, tenancy: configuration.tenancy, renderFailures: RenderFailures(clock: configuration.clock),
            awsEnvironment: configuration.awsEnvironment)
        // Other clusters: registered by Secrets in the controller's namespace, each with its own
        // client and watches; the Secrets are read from memory, kept by a watch.
        let clusterSecrets = ClusterSecretStore(
            client: client, kind: GroupVersionKind(group: "", version: "v1", kind: "Secret"), namespace: configuration.tenancy.controllerNamespace,
            logger: logger, parse: { secret throws(ApplicationError) in try ClusterDefinition.parse(secret) }
        ) { handle.wake() }
        let remotes = RemoteClusters(
            clientOptions: configuration.clusterClientOptions, clock: configuration.clock, logger: logger,
            makeReconciler: { destination, cache in
                var reconciler = local
                reconciler.destination = destination
                reconciler.cache = cache
                return reconciler
            }
        ) { names in
            Task {
                await state.requestChecks(names)
                handle.wake()
            }
        }
        let reconcilers = Reconcilers(local: local, remotes: remotes)
        await withDiscardingTaskGroup { watches in
            watches.addTask { await store.run() }
            watches.addTask { await projects.run() }
            watches.addTask { await cache.run() }
            watches.addTask { await clusterSecrets.run() }
            // Inventories are ConfigMaps labelled for their application: watched from the start,
            // so loading one costs no request.
            await cache.watch([ConfigMapInventoryStore.kind])
            await withDiscardingTaskGroup { group in
                var inFlight = 0
                while !Task.isShuttingDownGracefully && !Task.isCancelled {
                    // Only what starts now is taken off the queue; the rest keep their reasons
                    // (a watch event, a sync request) for the next turn, longest-waiting first.
                    await updateClusters(clusterSecrets, remotes)
                    let (due, queued) = await dueApplications(store, projects: projects, capacity: configuration.workers - inFlight)
                    handle.metrics.record(.queueDepth(queued))
                    for item in due {
                        guard await state.begin(item.app.id) else { continue }
                        inFlight += 1
                        group.addTask {
                            await reconcile(item, reconcilers: reconcilers)
                            await state.end(item.app.id)
                            handle.wake()
                        }
                    }
                    await handle.waitForWake(timeout: configuration.tickInterval, clock: configuration.clock)
                    inFlight = await state.runningCount()
                }
                logger.info("controller stopping; waiting for in-flight reconciles")
            }
            watches.cancelAll()
        }
        await remotes.closeAll()
    }

    /// The reconciler of the controller's own cluster, and the registered others'.
    struct Reconcilers: Sendable {
        var local: AppReconciler
        var remotes: RemoteClusters
    }

    /// Makes the registered clusters those of the cluster Secrets (an invalid one is reported, once per version).
    func updateClusters(_ secrets: ClusterSecretStore, _ remotes: RemoteClusters) async {
        guard let entries = await secrets.all() else { return }
        var definitions: [ClusterDefinition] = []
        for entry in entries.sorted(by: { $0.object.name < $1.object.name }) {
            switch entry.parsed {
            case .success(let definition?): definitions.append(definition)
            case .success(nil): continue
            case .failure(let error):
                if await state.shouldReportInvalid(
                    "secret:" + ApplicationStore.id(entry.object), generation: Int64(entry.object.resourceVersion ?? "") ?? 0)
                {
                    logger.warning("invalid cluster Secret", metadata: ["error": "\(error)"])
                }
            }
        }
        await remotes.update(definitions)
        await handle.setClusters(await remotes.connections())
    }

    /// An application due for a reconcile, and why.
    struct DueItem: Sendable {
        var app: Application
        var object: Manifest
        var fetch: Bool
        var manualSync: Bool
        var rollbackTo: Int?
        var prune: Bool?
        var syncRevision: String?
        var annotationsToClear: [String]
        /// Whether someone asked (a spec change, sync, refresh or rollback): a remembered render failure is retried.
        var asked: Bool
        /// The Projects of the controller's namespace.
        var projects: ProjectSet
    }

    /// The applications to reconcile now, at most `capacity` of them (those waiting longest
    /// first), and how many more are due. Only the ones returned have their requests taken.
    func dueApplications(_ store: ApplicationStore, projects projectStore: ProjectStore, capacity: Int) async -> (due: [DueItem], queued: Int) {
        guard let entries = await store.all(), let projectEntries = await projectStore.all() else { return ([], 0) }
        var projects = ProjectSet()
        for entry in projectEntries {
            switch entry.parsed {
            case .success(let project): projects.valid[project.name] = project
            case .failure(let error):
                // An invalid Project allows nothing: its Applications are refused, saying so.
                projects.invalid.insert(entry.object.name)
                logger.warning("invalid Project", metadata: ["keelson.project": "\(entry.object.name)", "error": "\(error)"])
            }
        }
        // A changed Project re-checks every Application at once.
        let projectsChanged = await state.observeProjects(projectEntries.map { "\($0.object.name)@\($0.object.resourceVersion ?? "")" })
        var apps: [(Application, Manifest)] = []
        var views: [ApplicationView] = []
        var invalid: [(Manifest, any Error)] = []
        // Applications outside the controller's namespace and --application-namespaces are not Keelson's to touch.
        for entry in entries where configuration.tenancy.reconciles(namespace: entry.object.namespace) {
            switch entry.parsed {
            case .success(let app):
                apps.append((app, entry.object))
                views.append(ApplicationView(object: entry.object, application: app))
            case .failure(let error):
                views.append(ApplicationView(object: entry.object, application: nil))
                invalid.append((entry.object, error))
            }
        }
        await handle.setApplications(views)
        // A standby only keeps the views current; the leader reconciles (and reports invalid
        // specs), or with sharding, each replica its share.
        guard ownership != nil || handle.isLeading else { return ([], 0) }
        for (object, error) in invalid where reconcilesHere(ApplicationStore.id(object), annotations: object.annotations) {
            let generation = object.metadata["generation"]?.intValue ?? 0
            if await state.shouldReportInvalid(ApplicationStore.id(object), generation: generation) { await writeInvalid(object, error) }
        }
        let graph = Dictionary(apps.map { ($0.0.id, $0.0.spec.dependsOn) }, uniquingKeysWith: { a, _ in a })
        await state.setGraph(graph, cycles: Dependencies.cycles(graph))
        if projectsChanged { await state.requestSpecChecks(apps.map(\.0.id)) }
        // Candidates: due applications and since when each has been waiting (one call for all).
        let byID = Dictionary(apps.map { ($0.0.id, $0) }, uniquingKeysWith: { first, _ in first })
        // With sharding, only this replica's share is scheduled; what is known of the others is
        // dropped, but whether they are ready, for `dependsOn`.
        var mine = apps
        if ownership != nil {
            mine = apps.filter { reconcilesHere($0.0.id, annotations: $0.1.annotations) }
            let mineIDs = Set(mine.map(\.0.id))
            let others = apps.filter { !mineIDs.contains($0.0.id) }
            let ready = others.filter { _, object in
                let status = object.object["status"]
                return status?["sync"]?["status"] == "Synced" && ["Healthy", "Suspended"].contains(status?["health"]?["status"]?.stringValue ?? "")
            }
            await state.setOthers(Set(others.map(\.0.id)), othersReady: Set(ready.map(\.0.id)))
        }
        let observed = mine.map { app, object in
            ControllerState.Observed(
                id: app.id, generation: object.metadata["generation"]?.intValue ?? 0,
                annotated: RequestAnnotations.all.contains { object.annotations[$0] != nil }, deleting: object.isMarkedForDeletion,
                record: { ApplicationStatus.record(from: object.object["status"], app: app.identity) })
        }
        var candidates = await state.due(observed, requested: await handle.requestedIDs()).compactMap { due in
            byID[due.id].map { (since: due.since, app: $0.0, object: $0.1, fetchDue: due.fetchDue) }
        }
        candidates.sort { $0.since < $1.since }
        var due: [DueItem] = []
        for (_, app, object, fetchDue) in candidates.prefix(max(0, capacity)) {
            let annotations = object.annotations
            let changed = await state.specChanged(app.id)
            var (manual, refresh, rollback) = (false, false, Int?.none)
            var prune: Bool?
            var syncRevision: String?
            for request in RequestAnnotations.requests(annotations) + (await handle.takeRequests(app.id)) {
                switch request {
                case .refresh: refresh = true
                case .sync(let wantsPrune, let revision):
                    manual = true
                    prune = wantsPrune ?? prune
                    syncRevision = revision ?? syncRevision
                case .rollback(let id): rollback = id
                }
            }
            let asked = changed || manual || refresh || rollback != nil
            let clear = RequestAnnotations.all.filter { annotations[$0] != nil }
            due.append(
                DueItem(
                    app: app, object: object, fetch: asked || fetchDue, manualSync: manual, rollbackTo: rollback, prune: prune,
                    syncRevision: syncRevision, annotationsToClear: clear, asked: asked, projects: projects))
        }
        return (due, max(0, candidates.count - due.count))
    }

    /// Reconciles one application.
    func reconcile(_ item: DueItem, reconcilers: Reconcilers) async {
        let app = item.app
        var record = await state.record(app.id)
        if !item.annotationsToClear.isEmpty { await clearAnnotations(item.object, item.annotationsToClear) }
        // An Application marked for deletion is not synced; requests on it are taken and dropped.
        if await finalizeIfDeleting(item, reconcilers: reconcilers) { return }
        let known = item.fetch ? nil : await state.latest(app.id)
        var message = ""
        if let id = item.rollbackTo {
            let latest = known ?? record.history.entries.last?.revision ?? ""
            if Reconciler.rollback(&record, to: id, latest: await state.latest(app.id) ?? latest) == nil {
                message = "rollback to history entry \(id) refused: no such entry is kept"
                logger.warning("rollback to unknown history id", metadata: ["keelson.app": "\(app.id)", "id": "\(id)"])
            } else {
                message = "rolled back to history entry \(id)"
            }
        }
        let stopwatch = configuration.clock.stopwatch()
        var failed = false
        defer {
            let seconds = Self.seconds(stopwatch())
            handle.metrics.record(.reconcile(application: app.id, seconds: seconds, result: failed ? "failure" : "success"))
        }
        let cycle = await state.cycle(containing: app.id)
        let waiting = cycle == nil ? await state.waitingDependencies(app.id) : app.spec.dependsOn
        var outcome: AppReconciler.Outcome
        let remote = !app.spec.destination.isInCluster
        // The project decides first: a tenant learns nothing of a cluster its project does not allow.
        let refusal: ProjectViolation?
        do {
            _ = try configuration.tenancy.project(for: app, in: item.projects)
            refusal = nil
        } catch {
            refusal = error
        }
        switch remote && refusal == nil ? await reconcilers.remotes.reconciler(for: app.spec.destination.cluster) : .success(reconcilers.local) {
        case .success(let reconciler):
            outcome = await reconciler.reconcile(
                app, record: record, manualSync: item.manualSync || item.rollbackTo != nil, dependenciesWaiting: waiting, knownLatest: known,
                request: AppReconciler.Request(
                    prune: item.prune, revision: item.syncRevision, retryRender: item.asked, session: await state.session(app.id)),
                projects: item.projects)
            // A failure on another cluster may be that cluster going away: then it is Unknown,
            // not a failed sync in the history.
            if remote, refusal == nil, outcome.status.conditions.contains(where: { !$0.holds && [.synced, .rendered].contains($0.type) }),
                let unavailable = await reconcilers.remotes.check(app.spec.destination.cluster, force: true)
            {
                outcome = AppReconciler.unavailable(unavailable, record: record)
                // A render that failed for want of the cluster (`.Capabilities`) is not remembered.
                reconciler.renderFailures.clear(app)
            }
        case .failure(let unavailable):
            // Nothing is known of a cluster that does not answer: nothing is applied or deleted.
            outcome = AppReconciler.unavailable(unavailable, record: record)
        }
        if let cycle {
            outcome.status.conditions.append(
                AppCondition(.dependenciesReady, false, .dependencyCycle, "dependsOn forms a cycle: " + cycle.joined(separator: " → ")))
        }
        await state.finish(
            app.id, outcome: outcome, fetched: known == nil, interval: app.spec.syncPolicy.interval, resync: configuration.resyncInterval)
        if let desired = outcome.desired { await handle.setDesired(app.id, desired) }
        failed = outcome.status.conditions.contains { !$0.holds && $0.type != .dependenciesReady }
        if message.isEmpty, outcome.synced, let revision = outcome.status.operation["revision"]?.stringValue {
            message = "synced \(revision.prefix(12))"
        }
        let json = outcome.status.json
        // A status the Application already shows is not written again: a reconcile that changes
        // nothing costs no request.
        if await writeStatus(item.object, json) || !message.isEmpty {
            await handle.statusWritten(item.object, application: app, status: json, message: message)
        }
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }

    // MARK: Cluster writes

    /// Writes `status` to the Application unless it already shows it; one request, from the
    /// newest copy of the object the controller has (the store's, or its own last write's), and
    /// a read only when someone else changed the object meanwhile. Returns whether it wrote.
    @discardableResult
    func writeStatus(_ object: Manifest, _ status: JSONValue) async -> Bool {
        let id = ApplicationStore.id(object)
        var current = object
        if let written = await state.lastWritten(id), written.isNewer(than: object) { current = written }
        if current.object["status"] == Self.keepingNotified(status, from: current) { return false }
        for attempt in 0..<3 {
            do {
                if attempt > 0 { current = try await client.get(Self.applicationKind, name: object.name, namespace: object.namespace) }
                current.object["status"] = Self.keepingNotified(status, from: current)
                let written = try await client.updateStatus(current, options: WriteOptions(fieldManager: Self.fieldManager))
                await state.setLastWritten(id, written)
                return true
            } catch {
                if !error.isConflict {
                    logger.warning("cannot write status", metadata: ["keelson.app": "\(id)", "error": "\(error)"])
                    return false
                }
            }
        }
        return false
    }

    /// `status` with the object's `status.notified` kept: the notifier owns that field, and the
    /// controller's writes never carry it away.
    static func keepingNotified(_ status: JSONValue, from object: Manifest) -> JSONValue {
        guard case .object(var fields) = status, let notified = object.object["status"]?["notified"] else { return status }
        fields["notified"] = notified
        return .object(fields)
    }

    func writeInvalid(_ object: Manifest, _ error: any Error) async {
        var status = ApplicationStatus()
        status.conditions = [AppCondition(.ready, false, .invalidSpec, "\(error)")]
        await writeStatus(object, status.json)
        await handle.statusWritten(object, application: nil, status: status.json, message: "")
    }

    /// Removes the request annotations `names` that were taken from `object`, only while they
    /// still hold the values taken: a request written since (a second forward, say) is kept for
    /// the next turn. Preconditioned on the `resourceVersion`, re-read on a conflict.
    func clearAnnotations(_ object: Manifest, _ names: [String]) async {
        let taken = object.annotations
        var current = object
        for attempt in 0..<3 {
            if attempt > 0 {
                guard let fresh = try? await client.get(Self.applicationKind, name: object.name, namespace: object.namespace) else { return }
                current = fresh
            }
            let clear = names.filter { current.annotations[$0] != nil && current.annotations[$0] == taken[$0] }
            guard !clear.isEmpty, let version = current.resourceVersion else { return }
            var annotations = JSONObject()
            for name in clear { annotations[name] = .null }
            do {
                _ = try await client.mergePatch(
                    Self.applicationKind, name: object.name, namespace: object.namespace,
                    patch: ["metadata": ["resourceVersion": .string(version), "annotations": .object(annotations)]],
                    options: WriteOptions(fieldManager: Self.fieldManager))
                return
            } catch  where error.isConflict {
                continue
            } catch {
                logger.warning(
                    "cannot clear request annotations", metadata: ["keelson.app": "\(object.namespace)/\(object.name)", "error": "\(error)"])
                return
            }
        }
    }

    /// A standby's way to hand `request` to the leader: the annotation that asks for it, written
    /// to the Application (the leader sees it through its watch, acts, and clears it).
    func forward(_ id: String, _ request: ApplicationRequest) async throws(RequestNotForwarded) {
        // Ids are `namespace/name`; neither part may hold a slash.
        let parts = id.split(separator: "/", maxSplits: 1).map(String.init)
        let (namespace, name) = (parts.first ?? "", parts.last ?? "")
        let (annotation, value) = RequestAnnotations.annotation(for: request, time: configuration.now())
        do {
            _ = try await client.mergePatch(
                Self.applicationKind, name: name, namespace: namespace, patch: ["metadata": ["annotations": [annotation: .string(value)]]],
                options: WriteOptions(fieldManager: Self.fieldManager))
        } catch {
            logger.warning("cannot forward a request to the leader", metadata: ["keelson.app": "\(id)", "error": "\(error)"])
            throw RequestNotForwarded("this replica is a standby and could not pass the request to the leader: \(error.code)")
        }
    }

    /// The controller's namespace, as an object to apply.
    var namespaceObject: Manifest {
        Manifest(unchecked: ["apiVersion": "v1", "kind": "Namespace", "metadata": ["name": .string(configuration.tenancy.controllerNamespace)]])
    }

    func installCRD() async throws {
        var crds: [Manifest] = []
        for (file, yaml) in ControllerCRDs.all { crds += try Manifest.decode(Array(yaml.utf8), file: file) }
        let namespace = namespaceObject
        // The namespace first: whoever sees the CRDs served may create objects in it at once.
        for object in [namespace] + crds {
            _ = try await client.apply(object, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
        }
        // Wait until the CRDs are served.
        for _ in 0..<100 {
            if (try? await client.resource(for: Self.applicationKind)) != nil, (try? await client.resource(for: Self.projectKind)) != nil { return }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// Applies the Application and Project manifests found under `path` (in the controller's
    /// namespace unless they say otherwise).
    func applyApplicationFiles(_ path: String) async throws {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw ApplicationError(application: path, field: "--apps", message: "no such file or directory")
        }
        let root = try SecureRoot(directory: isDirectory.boolValue ? path : (path as NSString).deletingLastPathComponent)
        let result = try DirectoryRenderer().render(root, path: isDirectory.boolValue ? "." : (path as NSString).lastPathComponent)
        for var object in result.manifests {
            if object.namespace.isEmpty { object.namespace = configuration.tenancy.controllerNamespace }
            // Validate before applying.
            if object.kind == Project.kind { _ = try Project(object) } else { _ = try Application(object) }
            _ = try await client.apply(object, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
        }
    }
}
