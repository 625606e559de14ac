import Kube
import Manifests

/// How far one step of deleting an application's objects got.
public struct DeletionStep: Sendable {
    /// What the step found and did; `nil` when it failed before it could plan (the inventory or a
    /// live object could not be read).
    public var plan: DeletionPlan?
    /// What failed: a read, or a delete the cluster refused (such as a ServiceAccount without
    /// `delete` RBAC). The objects stay in the inventory and the next step tries again.
    public var failures: [SyncError]

    /// Whether everything is deleted and the inventory is forgotten: the Application may go.
    public var isFinished: Bool { failures.isEmpty && plan?.isDone == true }
}

extension SyncEngine {
    /// One step of deleting everything `app` owns, as its Application is deleted with the
    /// resources finalizer: the objects of its inventory that its tracking id names, except those
    /// their annotations keep (`Prune=false`, `Delete=false`, Flux's `prune: disabled`, an option
    /// Keelson cannot honour or cannot read), tier by tier in prune order (`SyncPlanner.deletion`), each with
    /// prune's delete (background propagation). Once none is left, the inventory itself goes.
    /// Never sleeps: call it again when an object of the application changes.
    public func deleteObjects(app: AppIdentity, options: SyncOptions) async -> DeletionStep {
        var options = options
        options.allowEmpty = true
        options.prune = true
        options.dryRun = false
        let run = SyncRun(engine: self, app: app, options: options, logger: logger)
        let plan: DeletionPlan
        do {
            // The sync's own reading of the inventory and live objects, with an empty render.
            let context = try await run.context([], session: start(app: app, options: options))
            plan = SyncPlanner.deletion(app: app, live: context.live, inventory: context.inventory)
        } catch {
            return DeletionStep(plan: nil, failures: [SyncRun.syncError(error, app: app)])
        }
        let failures =
            (try? await run.concurrently(plan.delete) { entry -> SyncError? in
                do {
                    try await run.delete(entry)
                    return nil
                } catch {
                    return SyncRun.syncError(error, app: app)
                }
            }) ?? []
        var step = DeletionStep(plan: plan, failures: failures.compactMap { $0 })
        if !plan.delete.isEmpty {
            logger.info(
                "deleting the application's objects",
                metadata: ["keelson.app": "\(app)", "objects": "\(plan.delete.count)", "remaining": "\(plan.remaining.count)"])
        }
        if plan.isDone {
            // Reported once, as the application lets go of them: these objects stay in the cluster.
            for (entry, reason) in plan.keep where reason != .ownedByAnother {
                logger.log(
                    level: reason.needsAttention ? .warning : .info, "left in the cluster as the application is deleted",
                    metadata: ["keelson.app": "\(app)", "k8s.resource": "\(entry.key)", "reason": "\(reason)"])
            }
            do { try await inventory.remove(app: app) } catch {
                step.failures.append(SyncError(.prune, app: app, "cannot remove the inventory: \(error)"))
            }
        }
        return step
    }
}
