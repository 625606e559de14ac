import Controller
import Kube
import Manifests
import Sync

extension Planner {
    /// Each head Application compared with the cluster behind `client` as a sync would compare
    /// it, every object it would create or update tried with a server-side dry run.
    static func live(head: Side, base: Side, client: any KubernetesAPI) async -> LivePlan {
        let engine = SyncEngine(client: client)
        var applications: [LiveApplication] = []
        for id in head.applications.keys.sorted(by: PlanComparison.precedes) {
            guard let rendered = head.applications[id], case .success(let objects) = rendered.objects else { continue }
            let app = rendered.application
            var entry = LiveApplication(namespace: app.namespace, name: app.name, objects: [])
            guard app.spec.destination.isInCluster else {
                entry.note = "deploys to cluster \(app.spec.destination.cluster), which --live does not reach"
                applications.append(entry)
                continue
            }
            let baseObjects = base.applications[id].flatMap { try? $0.objects.get() }.map { PlanComparison.namespaced($0, for: app) } ?? []
            let baseByKey = Dictionary(baseObjects.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
            let headByKey = Dictionary(
                PlanComparison.namespaced(objects, for: app).map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
            do {
                let preview = try await engine.preview(app: app.identity, desired: objects, options: app.syncOptions)
                var masker = SecretMasker()
                for planned in preview.plan.steps.flatMap(\.objects) where planned.action == .create || planned.action == .update {
                    let key = planned.manifest.key
                    var object = LiveObject(
                        key: key, action: planned.action == .create ? .create : .update,
                        fromChange: baseByKey[key]?.object != headByKey[key]?.object, drift: [], driftManagers: [], willFail: nil,
                        diff: SyncPreview.diff(live: planned.live, desired: planned.manifest, masker: &masker))
                    if let live = planned.live, let before = baseByKey[key] {
                        let fields = Drift.differences(desired: before, live: live).map(\.path)
                        object.driftManagers = Drift.managers(of: fields, in: live).filter { $0 != Tracking.fieldManager }
                        object.drift = fields.map(LiveObject.dotted)
                    }
                    do {
                        _ = try await client.apply(
                            planned.manifest, options: ApplyOptions(fieldManager: Tracking.fieldManager, force: true, dryRun: true))
                    } catch {
                        // Force=true re-creates what an update may not change; an object whose
                        // namespace or kind the same sync creates cannot be tried before it.
                        if !error.isNotFound && !planned.policy.force { object.willFail = error.message }
                    }
                    entry.objects.append(object)
                }
                for pruned in preview.plan.prune {
                    entry.objects.append(
                        LiveObject(
                            key: pruned.key, action: .prune, fromChange: baseByKey[pruned.key] != nil, drift: [], driftManagers: [], willFail: nil,
                            diff: SyncPreview.diff(live: preview.live[pruned.key], desired: nil, masker: &masker)))
                }
            } catch {
                entry.error = String(describing: error)
            }
            applications.append(entry)
        }
        return LivePlan(applications: applications)
    }
}
