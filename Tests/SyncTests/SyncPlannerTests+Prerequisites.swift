import Manifests
import Testing

@testable import Sync

/// Namespaces and CRDs first: what an earlier wave needs is applied before it.
extension SyncPlannerTests {
    func crd(_ kind: String, group: String = "example.com", annotations: [String: String] = [:]) throws -> Manifest {
        let plural = kind.lowercased() + "s"
        var crd = try object("CustomResourceDefinition", "\(plural).\(group)", group: "apiextensions.k8s.io", namespace: "", annotations: annotations)
        crd.object["spec"] = ["group": .string(group), "scope": "Namespaced", "names": ["kind": .string(kind), "plural": .string(plural)]]
        return crd
    }

    /// Each step as `[pre ]wave:stage:names`.
    func layout(_ plan: SyncPlan) -> [String] {
        plan.steps.map { step in
            (step.beforeHooks ? "pre " : "") + "\(step.wave):\(step.stage):" + step.objects.map(\.manifest.name).joined(separator: ",")
        }
    }

    // Pins the render under both spellings of the wave annotation: Namespace/demo (wave 0)
    // is applied in wave -1, ahead of the ConfigMap in it.
    @Test(arguments: SyncAnnotations.syncWave)
    func aNamespaceMovesToTheEarliestWaveThatNeedsIt(_ annotation: String) throws {
        let plan = try SyncPlanner.plan(
            input([
                try object("Namespace", "demo", namespace: ""),
                try object("ConfigMap", "early", namespace: "demo", annotations: [annotation: "-1"]),
                try object("Deployment", "web", group: "apps", namespace: "demo"),
            ]))
        #expect(layout(plan) == ["-1:namespaces:demo", "-1:resources:early", "0:resources:web"])
    }

    // Pins: a CRD goes to the wave of its earliest custom resource, as a CRD step, so the stages
    // wait for it to be established before that wave's custom resources are applied.
    @Test func aCRDMovesToItsEarliestCustomResourceAndIsEstablishedFirst() throws {
        let plan = try SyncPlanner.plan(
            input([
                try crd("Widget"),
                try object("Widget", "w", group: "example.com", annotations: ["keelson.dev/sync-wave": "-2"]),
                try object("Widget", "later", group: "example.com", annotations: ["keelson.dev/sync-wave": "3"]),
                try object("ConfigMap", "config"),
            ]))
        #expect(layout(plan) == ["-2:customResourceDefinitions:widgets.example.com", "-2:resources:w", "0:resources:config", "3:resources:later"])
        let stages = SyncStage.stages(plan, wait: false)
        let established = try #require(stages.firstIndex(of: .established(0)))
        #expect(stages[established - 1] == .apply(0))
        #expect(stages.firstIndex(of: .apply(1))! > established)
    }

    // Pins: only what is needed moves, only earlier, and the earliest need wins. An explicit
    // earlier wave stays; an explicit later wave yields to the object that needs it (honouring it
    // could only fail on a fresh cluster); a Namespace nothing earlier needs keeps its wave; kind
    // order within a wave is unchanged.
    @Test func onlyWhatIsNeededMovesAndOnlyEarlier() throws {
        let plan = try SyncPlanner.plan(
            input([
                try object("Namespace", "early", namespace: "", annotations: ["keelson.dev/sync-wave": "-5"]),
                try object("Namespace", "late", namespace: "", annotations: ["keelson.dev/sync-wave": "5"]),
                try object("Namespace", "idle", namespace: "", annotations: ["keelson.dev/sync-wave": "2"]),
                try object("ConfigMap", "a", namespace: "early"),
                try object("ConfigMap", "b", namespace: "late", annotations: ["keelson.dev/sync-wave": "-1"]),
                try object("Service", "c", namespace: "late", annotations: ["keelson.dev/sync-wave": "-4"]),
                try object("ServiceAccount", "d", annotations: ["keelson.dev/sync-wave": "-4"]),
                try object("ConfigMap", "e", namespace: "idle", annotations: ["keelson.dev/sync-wave": "4"]),
            ]))
        #expect(
            layout(plan) == [
                "-5:namespaces:early", "-4:namespaces:late", "-4:resources:d,c", "-1:resources:b", "0:resources:a", "2:namespaces:idle",
                "4:resources:e",
            ])
        #expect(plan.steps.allSatisfy { !$0.beforeHooks })
    }

    // Pins: what the render lacks, and what only Sync or PostSync hooks need (they run after every
    // wave), moves nothing.
    @Test func hooksAfterTheWavesAndForeignNamespacesMoveNothing() throws {
        let plan = try SyncPlanner.plan(
            input([
                try object("Namespace", "demo", namespace: "", annotations: ["keelson.dev/sync-wave": "1"]),
                try object("Job", "smoke", group: "batch", namespace: "demo", annotations: ["keelson.dev/hook": "PostSync"]),
                try object("Job", "during", group: "batch", namespace: "demo", annotations: ["keelson.dev/hook": "Sync"]),
                try object("ConfigMap", "elsewhere", namespace: "other", annotations: ["keelson.dev/sync-wave": "-1"]),
            ]))
        #expect(layout(plan) == ["-1:resources:elsewhere", "1:namespaces:demo"])
    }

    // Pins: a PreSync hook's Namespace and CRD are applied (the CRD established, both healthy)
    // before the PreSync hooks, after the inventory is written ahead; the waves follow as before.
    @Test func whatAPreSyncHookNeedsComesBeforeTheHooks() throws {
        let plan = try SyncPlanner.plan(
            input([
                try object("Namespace", "demo", namespace: ""),
                try crd("Migration"),
                try object("Migration", "m", group: "example.com", namespace: "demo", annotations: ["keelson.dev/hook": "PreSync"]),
                try object("Deployment", "web", group: "apps", namespace: "demo"),
                try object("ConfigMap", "late", namespace: "demo", annotations: ["keelson.dev/sync-wave": "1"]),
            ]))
        #expect(
            layout(plan) == [
                "pre 0:customResourceDefinitions:migrations.example.com", "pre 0:namespaces:demo", "0:resources:web", "1:resources:late",
            ])
        #expect(
            SyncStage.stages(plan, wait: false) == [
                .begin, .writeAhead, .apply(0), .established(0), .apply(1), .healthy([0, 1]), .removeHook(.preSync, 0), .hook(.preSync, 0),
                .apply(2), .healthy([2]), .apply(3), .finish,
            ])
    }

    // Pins: without a PreSync hook's needs the stages are as before: hooks, then the inventory
    // written ahead, then the waves.
    @Test func withoutEarlyStepsTheStagesAreUnchanged() throws {
        let plan = try SyncPlanner.plan(
            input([
                try object("Job", "migrate", group: "batch", annotations: ["keelson.dev/hook": "PreSync"]),
                try object("ConfigMap", "early", annotations: ["keelson.dev/sync-wave": "-1"]),
                try object("ConfigMap", "app"),
            ]))
        #expect(
            SyncStage.stages(plan, wait: true) == [
                .begin, .removeHook(.preSync, 0), .hook(.preSync, 0), .writeAhead, .apply(0), .healthy([0]), .apply(1), .finish, .healthy([0, 1]),
            ])
    }

    // Pins: the move reads the render only. Once the Namespace exists the plan keeps the same
    // steps, so a persisted operation's stage index means the same stage at its next step.
    @Test func theLayoutDoesNotDependOnTheLiveState() throws {
        let namespace = try object("Namespace", "demo", namespace: "")
        let desired = [namespace, try object("ConfigMap", "early", namespace: "demo", annotations: ["keelson.dev/sync-wave": "-1"])]
        let fresh = try SyncPlanner.plan(input(desired))
        let later = try SyncPlanner.plan(input(desired, live: [namespace]))
        #expect(layout(fresh) == layout(later))
        #expect(SyncStage.stages(fresh, wait: false) == SyncStage.stages(later, wait: false))
    }
}
