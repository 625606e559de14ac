import Crypto
import Foundation
import GitSource
import Kube
import Logging
import Manifests
import Progressive
import Render
import Secrets
import Sync

/// One reconcile of one application: fetch the source, render, compare, decide, sync, assess.
/// A fetch or render failure deploys nothing and prunes nothing.
struct AppReconciler: Sendable {
    /// The controller's own cluster: Applications' Secrets (Git and chart credentials, age
    /// identities, Helm values and seeds) are read here.
    let client: any KubernetesAPI
    /// The cluster the Applications deploy to (the controller's own unless another is set):
    /// syncs, inventories, health, `.Capabilities` and `lookup` go here. `cache` watches it.
    var destination: any KubernetesAPI
    /// Where Git fetch and sync measurements go.
    var metrics = ControllerMetrics()
    /// The live objects of every application, kept by watches: plans, drift and health read
    /// it, never the API server.
    var cache: LiveObjectCache
    let git: GitCache
    let logger: Logger
    /// Times waits and deadlines.
    var clock: any Clock<Duration> = ContinuousClock()
    /// The wall-clock time operations are stamped with.
    var now: @Sendable () -> Date = { Date() }
    /// Where Applications may live and what their projects allow.
    var tenancy = TenancyRules()
    /// Renders that failed lately, not repeated on every reconcile.
    var renderFailures = RenderFailures()
    /// Runs the analyses of progressive rollouts (a `RunnerAnalyst` of the destination unless set).
    var rolloutAnalyst: (any RolloutAnalyst)? = nil
    /// The variables the KMS endpoint of SOPS files is read from.
    var awsEnvironment: [String: String] = ProcessInfo.processInfo.environment

    /// A remembered render failure, reported as it was.
    struct RenderFailed: Error, CustomStringConvertible {
        var message: String
        var description: String { message }
    }

    /// The outcome, and when to look again.
    struct Outcome: Sendable {
        var status: ApplicationStatus
        var retryAfter: Duration?
        var synced: Bool
        /// The render, when there was one.
        var desired: DesiredState? = nil
        /// The sync session in progress, or the last one (its writes are fresher than the cache).
        var session: SyncSession? = nil
        /// Whether `session` replaces the one kept, also when nil (the reconcile got as far as a sync).
        var replacesSession = false
    }

    /// What a person asked of this reconcile beyond the spec.
    struct Request: Sendable {
        /// Prune (or not) regardless of `automated.prune`.
        var prune: Bool?
        /// Pin this revision (a branch, tag or commit) as a rollback does.
        var revision: String?
        /// Render again even if this render failed a moment ago (someone asked).
        var retryRender = false
        /// The sync session in progress, or the last one, as this process left it.
        var session: SyncSession? = nil
    }

    /// Reconciles `app`; with `knownLatest`, the source is not fetched again (a drift check).
    func reconcile(
        _ app: Application, record: AppRecord, manualSync: Bool, dependenciesWaiting: [String], knownLatest: String? = nil,
        request: Request = Request(), projects: ProjectSet = ProjectSet()
    ) async -> Outcome {
        var status = ApplicationStatus()
        status.record = record
        var logger = self.logger
        logger[metadataKey: "keelson.app"] = "\(app.id)"

        // Tenancy: the project must allow this Application, its repository and its destination
        // before anything is fetched.
        let project: Project
        do { project = try tenancy.project(for: app, in: projects) } catch {
            return Self.refused(error, status: status, logger: logger)
        }

        // Source.
        let source: AppSource
        let latest: String
        do {
            source = try await AppSource.make(app, client: client, charts: charts)
            if let knownLatest {
                latest = knownLatest
            } else {
                let stopwatch = clock.stopwatch()
                do {
                    latest = try await resolve(source, app.spec.source.revision)
                    metrics.record(.gitFetch(repository: source.description, seconds: ControllerService.seconds(stopwatch()), result: "success"))
                } catch {
                    metrics.record(.gitFetch(repository: source.description, seconds: ControllerService.seconds(stopwatch()), result: "failure"))
                    throw error
                }
            }
        } catch {
            status.sync = .unknown
            status.health = .unknown
            status.healthMessage = "source unavailable"
            status.conditions = [AppCondition(.sourceReady, false, .fetchFailed, "\(error)")]
            logger.warning("fetch failed", metadata: ["error": "\(error)"])
            return Outcome(status: status, retryAfter: Reconciler.backoff(app.spec.syncPolicy.retry, attempt: record.failures), synced: false)
        }
        status.latestRevision = latest
        var record = record
        if let wanted = request.revision {
            do {
                let commit = try await resolve(source, wanted)
                record.pin = RollbackPin(historyID: 0, revision: commit, latestAtPin: latest)
            } catch {
                status.sync = .unknown
                status.conditions = [AppCondition(.sourceReady, false, .revisionNotFound, "\(wanted): \(error)")]
                return Outcome(status: status, retryAfter: nil, synced: false)
            }
        }
        let target = Reconciler.target(&record, latest: latest)
        status.record = record
        // An operation in progress goes on with its own revision, whatever arrived since.
        let rendering = record.operation?.revision ?? target
        logger[metadataKey: "keelson.revision"] = "\(rendering.prefix(12))"

        // Render (unless this very render failed a moment ago and nobody asked again).
        let desired: [Manifest]
        let release: HelmReleasePlan?
        do {
            // The decryption Secret is an input too: creating or changing it renders again.
            let keys = try await decryptionSecret(app)
            let inputs = RenderFailures.Inputs(commit: rendering, secretVersion: keys?.resourceVersion)
            if !request.retryRender, !manualSync, let message = renderFailures.failure(app, inputs) { throw RenderFailed(message: message) }
            do {
                (desired, release) = try await render(app, source: source, revision: rendering, keys: keys, history: record.history)
            } catch {
                // A missing valuesFrom or substituteFrom object is not remembered: it is retried until it is created.
                if !(error is MissingReference) { renderFailures.record(app, inputs, message: "\(error)") }
                throw error
            }
            renderFailures.clear(app)
        } catch {
            status.sync = .unknown
            status.health = .unknown
            status.revision = record.syncedRevision ?? ""
            status.conditions = [AppCondition(.sourceReady, true, .fetched, target), AppCondition(.rendered, false, .renderFailed, "\(error)")]
            if !(error is RenderFailed) { logger.warning("render failed", metadata: ["error": "\(error)"]) }
            // An object another Application may be about to create is looked for again soon, with backoff.
            let retry = error is MissingReference ? Reconciler.backoff(ApplicationSpec.Retry(), attempt: record.failures) : nil
            return Outcome(status: status, retryAfter: retry, synced: false)
        }

        // Tenancy: every object, as a sync would apply it, must be one the project allows.
        var prepared: [Manifest]
        do {
            prepared = try await SyncEngine(client: destination).prepare(app: app.identity, desired: desired, options: syncOptions(app))
            try tenancy.check(prepared, of: app, project: project)
        } catch let error as ProjectViolation {
            status.revision = record.syncedRevision ?? ""
            return Self.refused(error, status: status, logger: logger)
        } catch {
            status.sync = .unknown
            status.health = .unknown
            status.revision = record.syncedRevision ?? ""
            status.conditions = [AppCondition(.sourceReady, true, .fetched, target), AppCondition(.rendered, false, .renderFailed, "\(error)")]
            return Outcome(status: status, retryAfter: Reconciler.backoff(app.spec.syncPolicy.retry, attempt: record.failures), synced: false)
        }

        // Every kind the render holds is watched before anything is compared or applied, so the
        // plan, the waits and health read memory, and a change made by anyone wakes this application.
        let kinds = Set(prepared.map { GroupVersionKind($0) })
        await cache.watch(kinds)

        // Rollouts: the desired state is the render as each Rollout wants it now, so sync, drift
        // and the rollout's own steps never disagree.
        var applying = desired
        var rollouts: RolloutEngine.Outcome?
        if prepared.contains(where: { $0.group == RolloutAPI.group && $0.kind == RolloutAPI.rolloutKind }) {
            let actor = actor(for: app)
            let engine = RolloutEngine(
                client: actor, fieldManager: Tracking.fieldManager,
                analyst: rolloutAnalyst ?? RunnerAnalyst(client: actor, fieldManager: Tracking.fieldManager), logger: logger, now: now)
            let mayStart = app.spec.syncPolicy.automated != nil || manualSync || record.operation != nil || record.syncedRevision == rendering
            let outcome = await engine.tick(prepared, revision: rendering, mayStart: mayStart)
            for transition in outcome.transitions { metrics.record(.rolloutTransition(to: transition.to.rawValue)) }
            for measured in outcome.measurements { metrics.record(.analysisMeasurement(metric: measured.metric, outcome: measured.outcome)) }
            prepared = outcome.manifests
            applying = outcome.manifests
            rollouts = outcome
        }
        // What the API's diff and resources show: the render as the rollouts want it.
        let rendered = DesiredState(revision: rendering, manifests: applying)
        let engine = engine(for: app)

        var conditions = [AppCondition(.sourceReady, true, .fetched, target), AppCondition(.rendered, true, .rendered, "\(desired.count) objects")]
        if !dependenciesWaiting.isEmpty {
            conditions.append(
                AppCondition(.dependenciesReady, false, .waitingForDependencies, "waiting for " + dependenciesWaiting.joined(separator: ", ")))
        }
        var retryAfter: Duration?
        var synced = false
        var session = request.session
        var options = syncOptions(app)
        if let operation = record.operation {
            // Resume: this process's session when it has one for this operation, else the stored operation.
            if session?.operation.startedAt != operation.startedAt || session?.operation.revision != operation.revision {
                session = SyncSession(operation, app: app.identity)
            }
        } else {
            // Compare: a dry-run step says what a sync would change.
            options.dryRun = true
            var compare = engine.start(app: app.identity, revision: target, options: options)
            if let session { compare.remember(session) }
            _ = await engine.step(app: app.identity, desired: applying, options: options, session: &compare)
            options.dryRun = false
            let plan = compare.changes
            let drift = plan.objects.filter { [.create, .update, .prune].contains($0.action) }
            // A rollout that started for the target revision holds its template back, so nothing
            // drifts; the sync still runs, to record the revision in history as Progressing.
            let rolloutStarted =
                record.syncedRevision != target
                && rollouts?.reports.contains { $0.canaryRevision == target && $0.isRunning } == true
            let outOfSync = plan.result == .failed || !drift.isEmpty || rolloutStarted
            status.drift = drift.map { change in
                "\(change.key) \(change.action.rawValue)" + (change.fields.isEmpty ? "" : ": " + change.fields.joined(separator: ", "))
                    + (change.managers.isEmpty ? "" : " (by " + change.managers.joined(separator: ", ") + ")")
            }
            var decision = Reconciler.decide(app.spec, &record, Observation(latestRevision: latest, outOfSync: outOfSync, manualSync: manualSync))
            if !dependenciesWaiting.isEmpty, case .sync = decision { decision = .reportOutOfSync(revision: target) }
            switch decision {
            case .inSync(let revision):
                status.sync = .synced
                status.revision = revision
            case .reportOutOfSync(let revision):
                status.sync = .outOfSync
                status.revision = record.syncedRevision ?? revision
            case .sync(let revision, let initiator):
                if let prune = request.prune { options.prune = prune }
                var started = engine.start(app: app.identity, revision: revision, options: options)
                if let session { started.remember(session) }
                session = started
                record.operation = started.operation
                record.operationInitiator = initiator
            }
        }

        // Sync: one step of the operation, as far as the cluster allows.
        if var running = session, let operation = record.operation, running.operation.startedAt == operation.startedAt {
            let revision = operation.revision
            let initiator = record.operationInitiator
            let step = await engine.step(app: app.identity, desired: applying, options: options, session: &running)
            session = running
            status.revision = record.syncedRevision ?? revision
            switch step {
            case .waiting(let what):
                record.operation = running.operation
                status.sync = .outOfSync
                conditions.append(AppCondition(.syncing, true, .operationRunning, "syncing \(revision.prefix(12)): waiting \(what)"))
                // The watch wakes this application when its objects change; the deadline at the latest.
                let left = running.operation.deadline.timeIntervalSince(now())
                retryAfter = .milliseconds(Int64(max(0.1, left) * 1000) + 100)
            case .finished:
                record.operation = nil
                let changes = running.changes
                let seconds = changes.finishedAt.timeIntervalSince(changes.startedAt)
                metrics.record(.sync(application: app.id, seconds: seconds, result: changes.result.rawValue))
                // A sync that starts a rollout is recorded as Progressing until the rollout ends.
                let rolling = rollouts?.reports.contains { $0.canaryRevision == revision && $0.isRunning }
                let result = changes.result == .succeeded && rolling == true ? History.progressing : changes.result.rawValue
                if result != History.progressing || !record.history.isRollingOut(revision) {
                    record.history.record(
                        revision: revision, at: changes.finishedAt, initiator: initiator, result: result, digest: Self.digest(desired),
                        message: changes.result == .succeeded ? changes.summary : changes.message, release: release?.revision,
                        limit: app.spec.revisionHistoryLimit)
                }
                status.operation = [
                    "initiator": .string(initiator.rawValue), "revision": .string(revision), "result": .string(changes.result.rawValue),
                    "summary": .string(changes.summary), "message": .string(changes.message),
                    "finishedAt": .string(ChangeSet.timestamp(changes.finishedAt)),
                ]
                record.lastOperation = status.operation
                if changes.result == .succeeded {
                    record.syncedRevision = revision
                    record.failures = 0
                    record.selfHeals = initiator == .selfHeal ? record.selfHeals + 1 : 0
                    status.sync = .synced
                    status.drift = []
                    synced = true
                    // Repeated self-heals mean something else keeps changing the objects: back off.
                    if record.selfHeals > 1 { retryAfter = Reconciler.backoff(app.spec.syncPolicy.retry, attempt: record.selfHeals - 2) }
                } else {
                    record.failures += 1
                    status.sync = .outOfSync
                    conditions.append(
                        AppCondition(.synced, false, changes.failure == .sharedResource ? .sharedResource : .syncFailed, changes.message))
                    if record.failures <= app.spec.syncPolicy.retry.limit {
                        retryAfter = Reconciler.backoff(app.spec.syncPolicy.retry, attempt: record.failures - 1)
                    }
                }
                status.revision = record.syncedRevision ?? revision
            }
        }
        if let rollouts {
            for completion in rollouts.completions {
                record.history.complete(revision: completion.revision, result: completion.result.rawValue, message: completion.message)
            }
            status.rollouts = rollouts.reports
            if let requeue = rollouts.requeue { retryAfter = min(retryAfter ?? requeue, requeue) }
        }
        status.record = record
        status.conditions = conditions
        status.inventory = desired.map { $0.key.description }

        // Health: the worst object's, from the watch cache and this process's latest writes.
        let healths = await engine.health(of: prepared, session: session)
        status.health = HealthStatus.worst(healths.map(\.1.status))
        let worst = healths.first { $0.1.status == status.health }
        status.healthMessage = status.health == .healthy ? "all objects healthy" : worst.map { "\($0.0): \($0.1.message)" } ?? ""
        // Once an operation ended, only the writes the cache has not caught up with are worth keeping.
        let kept = await session?.settled(against: CachedReads(client: destination, cache: cache, absentWhenUncached: true))
        return Outcome(status: status, retryAfter: retryAfter, synced: synced, desired: rendered, session: kept, replacesSession: true)
    }

    /// A sync engine for `app`: writes as the application's ServiceAccount when it names one (so
    /// Kubernetes RBAC has the last word), reads the watch cache, and keeps the inventory in the
    /// controller's namespace under the controller's own identity.
    func engine(for app: Application) -> SyncEngine {
        let actor = actor(for: app)
        let reads = CachedReads(client: destination, cache: cache, absentWhenUncached: true)
        return SyncEngine(
            client: actor, reads: reads, inventory: ConfigMapInventoryStore(client: reads, namespace: tenancy.controllerNamespace),
            logger: logger, clock: clock, now: now)
    }

    /// Who writes for `app`: its ServiceAccount when it names one, else the controller.
    func actor(for app: Application) -> any KubernetesAPI {
        tenancy.serviceAccount(of: app).map {
            destination.impersonating(.serviceAccount(namespace: app.spec.destination.namespace, name: $0))
        } ?? destination
    }

    /// The status of an Application a project rule refuses: nothing fetched or applied, a
    /// condition naming the rule and the object.
    static func refused(_ violation: ProjectViolation, status: ApplicationStatus, logger: Logger) -> Outcome {
        var status = status
        status.sync = .unknown
        status.health = .unknown
        status.healthMessage = "refused by project \(violation.project)"
        status.conditions = [AppCondition(.permitted, false, .refused(violation.rule), violation.description)]
        logger.warning("refused by project rules", metadata: ["keelson.project": "\(violation.project)", "rule": "\(violation.rule.rawValue)"])
        return Outcome(status: status, retryAfter: nil, synced: false)
    }

    /// The status of an Application whose cluster cannot be used: sync and health Unknown, the
    /// last synced revision and history kept, nothing applied or pruned; tried again soon.
    static func unavailable(_ unavailable: ClusterUnavailable, record: AppRecord) -> Outcome {
        var status = ApplicationStatus()
        status.record = record
        status.revision = record.syncedRevision ?? ""
        status.healthMessage = unavailable.description
        status.conditions = [AppCondition(.clusterReachable, false, .clusterUnavailable, unavailable.description)]
        return Outcome(status: status, retryAfter: .seconds(10), synced: false)
    }

    func syncOptions(_ app: Application) -> SyncOptions {
        var options = app.syncOptions
        options.timeout = .seconds(120)
        return options
    }

    /// SHA-256 of the rendered objects, so identical deploys are recognisable in history.
    static func digest(_ manifests: [Manifest]) -> String {
        let text = manifests.map { JSONWriter.compact($0.value) }.joined(separator: "\n")
        return "sha256:" + SHA256.hash(data: Data(text.utf8)).map { String(format: "%02x", $0) }.joined()
    }
}
