import Foundation
import Kube
import Manifests

/// One stage of a sync operation: some writes, then (for most) a wait for the cluster.
enum SyncStage: Sendable, Hashable {
    /// Create the namespaces the objects need and the render lacks (`CreateNamespace=true`). No wait.
    case begin
    /// Write the inventory ahead of the applies. No wait.
    case writeAhead
    /// Delete hook `index` of `phase` when it exists and says `BeforeHookCreation`; wait until it is gone.
    case removeHook(HookPhase, Int)
    /// Create hook `index` of `phase`; wait until it finishes, then delete it as its policy says.
    case hook(HookPhase, Int)
    /// Apply plan step `index`. No wait.
    case apply(Int)
    /// Wait until the CRDs of plan step `index` are established.
    case established(Int)
    /// Wait until the objects of the plan steps `steps` are healthy.
    case healthy([Int])
    /// Prune and record the inventory. No wait.
    case finish

    /// The stages of a sync carrying out `plan`: the Namespaces and CRDs the PreSync hooks need,
    /// PreSync hooks, each wave applied and (before the next wave) healthy, Sync hooks, PostSync
    /// hooks once everything is healthy, prune; and with `wait`, a last wait until everything is healthy.
    ///
    /// The inventory is written ahead of the first apply, so a sync cut short never leaves an
    /// object a later sync cannot prune; a CRD step waits until its CRDs are established.
    static func stages(_ plan: SyncPlan, wait: Bool) -> [SyncStage] {
        var stages: [SyncStage] = [.begin]
        func applying(_ index: Int) -> [SyncStage] {
            plan.steps[index].stage == .customResourceDefinitions ? [.apply(index), .established(index)] : [.apply(index)]
        }
        let early = plan.steps.indices.filter { plan.steps[$0].beforeHooks }
        if !early.isEmpty {
            stages.append(.writeAhead)
            stages += early.flatMap(applying)
            stages.append(.healthy(early))
        }
        stages += hookStages(plan, .preSync)
        if early.isEmpty { stages.append(.writeAhead) }
        let waves = plan.steps.indices.filter { !plan.steps[$0].beforeHooks }
        for (position, index) in waves.enumerated() {
            let wave = plan.steps[index].wave
            stages += applying(index)
            if position + 1 < waves.count, plan.steps[waves[position + 1]].wave != wave {
                stages.append(.healthy(waves.filter { plan.steps[$0].wave == wave }))
            }
        }
        stages += hookStages(plan, .sync)
        let all = Array(plan.steps.indices)
        if !(plan.hooks[.postSync] ?? []).isEmpty {
            stages.append(.healthy(all))
            stages += hookStages(plan, .postSync)
        }
        stages.append(.finish)
        if wait { stages.append(.healthy(all)) }
        return stages
    }

    /// The stages run once a sync failed: its SyncFail hooks.
    static func failureStages(_ plan: SyncPlan) -> [SyncStage] { hookStages(plan, .syncFail) }

    private static func hookStages(_ plan: SyncPlan, _ phase: HookPhase) -> [SyncStage] {
        (plan.hooks[phase] ?? []).indices.flatMap { [SyncStage.removeHook(phase, $0), .hook(phase, $0)] }
    }
}

/// Whether a stage may move on.
enum Gate: Sendable, Hashable {
    case ready
    /// Still waiting, for what.
    case waiting(String)
    /// The stage's writes are gone: act again (a hook a dead process ran and deleted).
    case again
}

extension SyncRun {
    /// The wait of `stage`, judged from the live state now; throws when the stage failed.
    func gate(_ stage: SyncStage, _ context: Context, session: inout SyncSession) async throws -> Gate {
        switch stage {
        case .begin, .writeAhead, .apply, .finish:
            return .ready
        case .removeHook(let phase, let index):
            let hook = context.plan.hooks[phase]![index]
            guard hook.live != nil && hook.policy.hookDeletePolicies.contains(.beforeHookCreation) else { return .ready }
            return try await live(hook.manifest, session: session) == nil ? .ready : .waiting("for \(hook.manifest.key) to be deleted")
        case .hook(let phase, let index):
            let hook = context.plan.hooks[phase]![index]
            let running = try await live(hook.manifest, session: session)
            // A resumed operation whose hook is gone: the process that created it died after its
            // delete policy removed it, before recording the outcome. Run it again (hooks must bear
            // re-running, as a retried sync runs them again too).
            if running == nil && session.written[hook.manifest.key] == nil { return .again }
            guard let result = Self.hookResult(running, of: hook.manifest) else {
                return .waiting("for the \(phase.rawValue) hook \(hook.manifest.key) to finish")
            }
            var change = change(for: hook, wave: hook.policy.wave, phase: phase)
            change.action = .hook
            change.error = result.failure
            change.finishedAt = Date()
            session.changes.objects.append(change)
            let succeeded = result == .succeeded
            if (succeeded && hook.policy.hookDeletePolicies.contains(.hookSucceeded))
                || (!succeeded && hook.policy.hookDeletePolicies.contains(.hookFailed))
            {
                try? await delete(InventoryEntry(hook.manifest))
            }
            if case .failed(let failure) = result {
                throw SyncError(.hook, app: app, object: hook.manifest.key, "\(phase.rawValue) hook failed: \(failure)")
            }
            return .ready
        case .established(let index):
            for object in context.plan.steps[index].objects {
                let health = HealthAssessor.assess(try await live(object.manifest, session: session))
                if health.status == .degraded {
                    throw SyncError(.apply, app: app, object: object.manifest.key, "CRD not established: \(health.message)")
                }
                if health.status != .healthy { return .waiting("for the CRD \(object.manifest.name) to be established") }
            }
            return .ready
        case .healthy(let steps):
            let objects = steps.flatMap { context.plan.steps[$0].objects.map(\.manifest) }
            let (healths, worst) = try await assess(objects, session: session)
            if options.wait { session.changes.health = worst }
            if let degraded = healths.first(where: { $0.1.status == .degraded }) {
                throw SyncError(.timeout, app: app, object: degraded.0, "Degraded: \(degraded.1.message)")
            }
            let waiting = healths.filter { $0.1.status != .healthy && $0.1.status != .suspended }
            guard waiting.isEmpty else {
                let names = waiting.prefix(5).map { "\($0.0) (\($0.1.message))" }.joined(separator: ", ")
                let first = steps.first.map { context.plan.steps[$0] }
                let what =
                    steps.count == context.plan.steps.count
                    ? "every object" : first?.beforeHooks == true ? "what the PreSync hooks need" : "wave \(first?.wave ?? 0)"
                return .waiting("for \(what) to be healthy: still progressing: \(names)")
            }
            return .ready
        }
    }

    /// The live object: the newer of what the reads hold and what this session's write returned;
    /// `nil` when it does not exist.
    func live(_ manifest: Manifest, session: SyncSession) async throws -> Manifest? {
        let read: Manifest?
        do { read = try await Self.getLive(reads, InventoryEntry(manifest)) } catch {
            throw SyncError(.apply, app: app, object: manifest.key, "cannot read the live object: \(error.message)")
        }
        guard let written = session.written[manifest.key] else { return read }
        return await freshest(written: written, read: read)
    }

    /// Each object's health now (a missing object is missing), and the worst of them.
    func assess(_ objects: [Manifest], session: SyncSession) async throws -> (healths: [(ResourceKey, ObjectHealth)], worst: HealthStatus) {
        var healths: [(ResourceKey, ObjectHealth)] = []
        for object in objects { healths.append((object.key, HealthAssessor.assess(try await live(object, session: session)))) }
        return (healths, HealthStatus.worst(healths.map(\.1.status)))
    }

    /// How a hook ended.
    enum HookResult: Hashable {
        case succeeded
        case failed(String)

        var failure: String? {
            if case .failed(let message) = self { return message }
            return nil
        }
    }

    /// How a hook ended; `nil` while it runs (or before it shows).
    static func hookResult(_ live: Manifest?, of manifest: Manifest) -> HookResult? {
        guard let live else { return nil }
        switch (manifest.group, manifest.kind) {
        case ("", "Pod"):
            switch live.value[path: ["status", "phase"]]?.stringValue {
            case "Succeeded": return .succeeded
            case "Failed": return .failed("Pod failed")
            default: return nil
            }
        case ("batch", "Job"):
            let health = HealthAssessor.assess(live)
            if health.status == .degraded { return .failed(health.message) }
            let complete = live.value[path: ["status", "conditions"]]?.arrayValue?.contains { $0["type"] == "Complete" && $0["status"] == "True" }
            return complete == true ? .succeeded : nil
        default:
            return .succeeded  // other kinds are done once applied
        }
    }
}
