import KeelsonFoundation
import Kube
import Manifests
import Sync

extension ControllerService {
    /// Handles `item` when its Application is marked for deletion, and returns `true`; returns
    /// `false` (and does nothing) when it is not. Nothing is synced for an Application being
    /// deleted. With the resources finalizer its objects are deleted, step by step, then the
    /// finalizer is removed; the finalizer stays while a delete fails, the project refuses the
    /// Application or its cluster does not answer (tried again, as Argo CD does).
    func finalizeIfDeleting(_ item: DueItem, reconcilers: Reconcilers) async -> Bool {
        let app = item.app
        let decision = DeletionDecision.decide(item.object, suspended: app.spec.suspend)
        guard decision != .reconcile else { return false }
        let stopwatch = configuration.clock.stopwatch()
        var failed = false
        defer {
            handle.metrics.record(.reconcile(application: app.id, seconds: Self.seconds(stopwatch()), result: failed ? "failure" : "success"))
        }
        let record = await state.record(app.id)
        let interval = app.spec.syncPolicy.interval
        switch decision {
        case .reconcile, .leave:
            // Nothing to do until its finalizers change (and then it is gone): only the resync looks again.
            await state.finish(
                app.id, outcome: .init(status: ApplicationStatus(record: record), retryAfter: nil, synced: false), fetched: false,
                interval: interval, resync: configuration.resyncInterval)
            return true
        case .release:
            logger.info("suspended Application deleted: its objects are left in place", metadata: ["keelson.app": "\(app.id)"])
            if await removeFinalizer(item.object) { return true }
            failed = true
            await state.finish(
                app.id, outcome: .init(status: ApplicationStatus(record: record), retryAfter: Self.finalizerRetry, synced: false),
                fetched: false, interval: interval, resync: configuration.resyncInterval)
            return true
        case .deleteObjects:
            break
        }
        let refused = (try? configuration.tenancy.project(for: app, in: item.projects)) == nil
        var outcome: AppReconciler.Outcome
        var finished = false
        switch app.spec.destination.isInCluster || refused
            ? .success(reconcilers.local) : await reconcilers.remotes.reconciler(for: app.spec.destination.cluster)
        {
        case .success(let reconciler):
            (outcome, finished) = await reconciler.deleteObjects(app, record: record, projects: item.projects)
        case .failure(let unavailable):
            // Nothing is known of a cluster that does not answer: the finalizer stays until it does.
            outcome = AppReconciler.unavailable(unavailable, record: record)
        }
        if finished {
            if await removeFinalizer(item.object) {
                logger.info("deleted the Application's objects; finalizer removed", metadata: ["keelson.app": "\(app.id)"])
                return true
            }
            outcome.retryAfter = Self.finalizerRetry
        }
        await state.finish(app.id, outcome: outcome, fetched: false, interval: interval, resync: configuration.resyncInterval)
        failed = outcome.status.conditions.contains { !$0.holds }
        let json = outcome.status.json
        if await writeStatus(item.object, json) { await handle.statusWritten(item.object, application: app, status: json, message: "") }
        return true
    }

    /// How soon a finalizer that could not be removed is tried again.
    static let finalizerRetry: Duration = .seconds(5)

    /// Removes Keelson's resources finalizer from the Application `object`, keeping every other
    /// finalizer: a merge patch preconditioned on the `resourceVersion`, read again on a
    /// conflict. Returns whether the finalizer is gone (or the Application is).
    @discardableResult
    func removeFinalizer(_ object: Manifest) async -> Bool {
        var current = object
        if let written = await state.lastWritten(ApplicationStore.id(object)), written.isNewer(than: object) { current = written }
        for attempt in 0..<3 {
            do {
                if attempt > 0 { current = try await client.get(Self.applicationKind, name: object.name, namespace: object.namespace) }
                guard current.finalizers.contains(Application.resourcesFinalizer), let version = current.resourceVersion else { return true }
                let rest = current.finalizers.filter { $0 != Application.resourcesFinalizer }
                _ = try await client.mergePatch(
                    Self.applicationKind, name: object.name, namespace: object.namespace,
                    patch: [
                        "metadata": ["resourceVersion": .string(version), "finalizers": rest.isEmpty ? .null : .array(rest.map(JSONValue.string))]
                    ],
                    options: WriteOptions(fieldManager: Self.fieldManager))
                return true
            } catch  where error.isConflict {
                continue
            } catch  where error.isNotFound {
                return true
            } catch {
                logger.warning(
                    "cannot remove the resources finalizer", metadata: ["keelson.app": "\(ApplicationStore.id(object))", "error": "\(error)"])
                return false
            }
        }
        return false
    }
}
