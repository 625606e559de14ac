import Controller
import Manifests
import Sync

/// Compares two revisions' rendered Applications: pure, so the same renders give the same plan.
struct PlanComparison: Sendable {
    var base: Planner.Side
    var head: Planner.Side

    /// The plan, and each Application's masked YAML at both sides.
    func result(base baseCommit: String, head headCommit: String) -> PlanResult {
        let ids = Set(base.applications.keys).union(head.applications.keys).sorted(by: Self.precedes)
        var applications: [ApplicationPlan] = []
        var rendered: [String: (base: String?, head: String?)] = [:]
        for id in ids {
            let before = base.applications[id]
            let after = head.applications[id]
            let app = (after ?? before)!.application
            let baseObjects = before.flatMap { try? $0.objects.get() }.map { Self.namespaced($0, for: before!.application) }
            let headObjects = after.flatMap { try? $0.objects.get() }.map { Self.namespaced($0, for: after!.application) }
            rendered[id] = (baseObjects.map(Self.maskedYAML), headObjects.map(Self.maskedYAML))
            var plan = ApplicationPlan(
                namespace: app.namespace, name: app.name, change: .unchanged, objects: [], unchangedObjects: 0, warnings: [], error: nil)
            // Gone from the head because its file no longer reads: an error, not a removal.
            if after == nil, let file = base.files[id], let failure = head.failures.first(where: { $0.file == file }) {
                plan.change = .error
                plan.error = "\(failure.file): \(failure.message)"
                plan.warnings = [PlanWarning(.renderFailed, "the Application's file does not read: \(failure.message)", failsSync: true)]
                applications.append(plan)
                continue
            }
            if case .failure(let failure)? = after?.objects {
                plan.change = .error
                plan.error = failure.message
                plan.warnings = [PlanWarning(.renderFailed, "render failed: \(failure.message)", failsSync: true)]
                applications.append(plan)
                continue
            }
            if case .failure(let failure)? = before?.objects {
                plan.warnings.append(PlanWarning(.renderFailed, "the base did not render (\(failure.message)): every object shows as added"))
            }
            // A removed Application's objects go as it would have pruned them.
            let prunes = (after ?? before)!.application.spec.syncPolicy.automated?.prune ?? false
            (plan.objects, plan.unchangedObjects) = Self.objects(base: baseObjects ?? [], head: headObjects ?? [], prunes: prunes)
            plan.change =
                switch (before, after) {
                case (nil, _): .added
                case (_, nil): .removed
                default: plan.objects.isEmpty ? .unchanged : .changed
                }
            applications.append(plan)
        }
        let plan = Plan(
            base: baseCommit, head: headCommit, applications: applications,
            notAffected: Array(Set(base.notAffected + head.notAffected)).sorted(),
            // Files of base Applications are reported on those; other unreadable files only under --apps.
            errors: head.failures.filter { head.explicit && !Set(base.files.values).contains($0.file) }.map { "\($0.file): \($0.message)" })
        return PlanResult(plan: plan, rendered: rendered)
    }

    /// Plan order of Application ids (`namespace/name`): by namespace, then name.
    static func precedes(_ a: String, _ b: String) -> Bool {
        let (x, y) = (a.split(separator: "/"), b.split(separator: "/"))
        return (x.first ?? "", x.last ?? "") < (y.first ?? "", y.last ?? "")
    }

    /// The objects that change from `base` to `head`, and how many stay as they are.
    static func objects(base: [Manifest], head: [Manifest], prunes: Bool) -> ([ObjectPlan], Int) {
        let before = Dictionary(base.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let after = Dictionary(head.map { ($0.key, $0) }, uniquingKeysWith: { _, last in last })
        let diff = ManifestDiff(old: base, new: head)
        var objects: [ObjectPlan] = []
        for object in diff.objects where object.change != .unchanged {
            let (old, new) = (before[object.key], after[object.key])
            let change: ObjectChange =
                switch object.change {
                case .added: .added
                case .changed, .unchanged: .changed
                // Pruned only when its annotations can be read and do not keep it (the sync's own rule).
                case .removed:
                    prunes && (try? SyncAnnotations.policy(of: old!)).map { $0.keepReason(deletingApp: false) == nil } == true ? .pruned : .orphaned
                }
            objects.append(
                ObjectPlan(
                    key: object.key, change: change, diff: object.unified,
                    notes: PlanRules.notes(change, key: object.key, base: old, head: new)
                        + PlanRules.rollout(change, key: object.key, base: old, head: new, render: head),
                    warnings: PlanRules.warnings(change, key: object.key, base: old, head: new)))
        }
        return (objects, diff.count(.unchanged))
    }

    /// The objects with namespaces as a sync sets them: the destination's for namespaced objects
    /// that name none, none for cluster-scoped ones.
    static func namespaced(_ manifests: [Manifest], for app: Application) -> [Manifest] {
        let crds = manifests.filter { $0.definedKind != nil }
        return manifests.map { manifest in
            var object = manifest
            let namespaced = ResourceScope.isNamespaced(group: manifest.group, kind: manifest.kind, crds: crds)
            if namespaced && object.namespace.isEmpty { object.namespace = app.spec.destination.namespace }
            if !namespaced && !object.namespace.isEmpty { object.namespace = "" }
            return object
        }
    }

    /// The objects as YAML documents, Secret values masked.
    static func maskedYAML(_ manifests: [Manifest]) -> String {
        var masker = SecretMasker()
        return YAMLEncoder.encodeDocuments(manifests.map { masker.mask($0).value })
    }
}
