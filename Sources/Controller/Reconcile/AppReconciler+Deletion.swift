import Kube
import Manifests
import Sync

extension AppReconciler {
    /// One step of deleting `app`'s objects as its Application is deleted with the resources
    /// finalizer: as its ServiceAccount when it names one (Kubernetes RBAC has the last word on
    /// deletes too), by prune's rules and order. `finished` says every object is gone and the
    /// inventory forgotten, so the finalizer may go; otherwise the status says what is left or
    /// what failed, and when to look again (a failure backs off, and is retried for as long as
    /// the finalizer stays).
    func deleteObjects(_ app: Application, record: AppRecord, projects: ProjectSet) async -> (outcome: Outcome, finished: Bool) {
        var status = ApplicationStatus()
        var record = record
        record.operation = nil
        status.record = record
        status.revision = record.syncedRevision ?? ""
        // A project that no longer allows the Application allows no deletes for it either.
        do { _ = try tenancy.project(for: app, in: projects) } catch {
            return (Self.refused(error, status: status, logger: logger), false)
        }
        let step = await engine(for: app).deleteObjects(app: app.identity, options: syncOptions(app))
        let remaining = step.plan?.remaining ?? []
        // Events on what is left wake the application, also after a restart (nothing rendered then).
        await cache.watch(Set(remaining.map(\.groupVersionKind)))
        status.inventory = remaining.map(\.key.description)
        status.healthMessage = "being deleted"
        // What the objects' own annotations keep stays in the cluster: say so, with why.
        let kept = (step.plan?.keep ?? []).filter { $0.reason != .ownedByAnother }
        let keptNote =
            kept.isEmpty
            ? "" : "; kept: " + kept.prefix(5).map { "\($0.entry.key) (\($0.reason))" }.joined(separator: ", ") + (kept.count > 5 ? ", …" : "")
        if step.isFinished {
            status.conditions = [AppCondition(.deleting, true, .deletingObjects, "every object is deleted" + keptNote)]
            return (Outcome(status: status, retryAfter: nil, synced: false), true)
        }
        let retryAfter: Duration
        if step.failures.isEmpty {
            record.failures = 0
            let named = remaining.prefix(5).map(\.key.description).joined(separator: ", ") + (remaining.count > 5 ? ", …" : "")
            status.conditions = [
                AppCondition(.deleting, true, .deletingObjects, "waiting for \(remaining.count) objects to be deleted: \(named)" + keptNote)
            ]
            // The watches wake the application as objects go; this is only a safety net.
            retryAfter = .seconds(5)
        } else {
            record.failures += 1
            let message = step.failures.map(\.description).joined(separator: "; ")
            status.conditions = [AppCondition(.deleting, false, .deletionFailed, message)]
            logger.warning("cannot delete the application's objects", metadata: ["keelson.app": "\(app.id)", "error": "\(message)"])
            retryAfter = Reconciler.backoff(app.spec.syncPolicy.retry, attempt: record.failures - 1)
        }
        status.record = record
        return (Outcome(status: status, retryAfter: retryAfter, synced: false), false)
    }
}
