import Foundation
import Kube
import Manifests

extension SyncRun {
    /// Waits until every CustomResourceDefinition in `objects` is established.
    func waitEstablished(_ objects: [PlannedObject]) async throws {
        for object in objects {
            let gvk = GroupVersionKind(object.manifest)
            while true {
                let live = try? await client.get(gvk, name: object.manifest.name, namespace: nil)
                let health = HealthAssessor.assess(live)
                if health.status == .healthy { break }
                if health.status == .degraded {
                    throw SyncError(.apply, app: app, object: object.manifest.key, "CRD not established: \(health.message)")
                }
                try await pause(object.manifest.key, "waiting for the CRD to be established")
            }
        }
    }

    /// Waits until every object is healthy (or suspended); returns the application's health.
    /// A degraded object ends the wait at once with an error naming it.
    @discardableResult
    func waitHealthy(_ objects: [Manifest], reason: String, failOnDegraded: Bool = true) async throws -> HealthStatus {
        while true {
            let (healths, worst) = try await assess(objects)
            if failOnDegraded, let degraded = healths.first(where: { $0.1.status == .degraded }) {
                throw SyncError(.timeout, app: app, object: degraded.0, "Degraded: \(degraded.1.message)")
            }
            let waiting = healths.filter { $0.1.status != .healthy && $0.1.status != .suspended }
            if waiting.isEmpty { return worst }
            guard ContinuousClock.now + options.pollInterval < deadline else {
                let names = waiting.prefix(5).map { "\($0.0) (\($0.1.message))" }.joined(separator: ", ")
                throw SyncError(.timeout, app: app, "timed out waiting for \(reason): still progressing: \(names)")
            }
            try await Task.sleep(for: options.pollInterval)
        }
    }

    /// Each object's health now (an unreadable object counts as missing), and the worst of them.
    func assess(_ objects: [Manifest]) async throws -> (healths: [(ResourceKey, ObjectHealth)], worst: HealthStatus) {
        let healths = try await concurrently(objects) { object -> (ResourceKey, ObjectHealth) in
            let namespace = object.namespace.isEmpty ? nil : object.namespace
            let live = try? await client.get(GroupVersionKind(object), name: object.name, namespace: namespace)
            return (object.key, HealthAssessor.assess(live))
        }
        return (healths, HealthStatus.worst(healths.map(\.1.status)))
    }

    /// Runs the hooks of one phase in wave order: each is recreated, awaited, and deleted as
    /// its delete policy says. A failed hook fails the sync.
    func runHooks(_ hooks: [PlannedObject], phase: HookPhase, into changes: inout ChangeSet) async throws {
        for hook in hooks {
            var change = change(for: hook, wave: hook.policy.wave, phase: phase)
            change.action = .hook
            let started = ContinuousClock.now
            let entry = InventoryEntry(hook.manifest)
            var failure: String?
            do {
                if hook.live != nil && hook.policy.hookDeletePolicies.contains(.beforeHookCreation) {
                    try await delete(entry, waitUntilGone: true)
                }
                try await applyOne(hook.manifest, policy: ObjectSyncPolicy(), live: nil)
                failure = try await waitForHook(hook.manifest)
            } catch let error as SyncError {
                failure = error.message
            }
            let succeeded = failure == nil
            if (succeeded && hook.policy.hookDeletePolicies.contains(.hookSucceeded))
                || (!succeeded && hook.policy.hookDeletePolicies.contains(.hookFailed))
            {
                try? await delete(entry, waitUntilGone: false)
            }
            change.error = failure
            change.seconds = Self.seconds(ContinuousClock.now - started)
            change.finishedAt = Date()
            changes.objects.append(change)
            if let failure { throw SyncError(.hook, app: app, object: hook.manifest.key, "\(phase.rawValue) hook failed: \(failure)") }
        }
    }

    /// Waits for a hook to finish; returns why it failed, or `nil` on success.
    func waitForHook(_ manifest: Manifest) async throws -> String? {
        let gvk = GroupVersionKind(manifest)
        let namespace = manifest.namespace.isEmpty ? nil : manifest.namespace
        while true {
            let live = try? await client.get(gvk, name: manifest.name, namespace: namespace)
            if let live {
                switch (manifest.group, manifest.kind) {
                case ("", "Pod"):
                    switch live.value[path: ["status", "phase"]]?.stringValue {
                    case "Succeeded": return nil
                    case "Failed": return "Pod failed"
                    default: break
                    }
                case ("batch", "Job"):
                    let health = HealthAssessor.assess(live)
                    if health.status == .degraded { return health.message }
                    if live.value[path: ["status", "conditions"]]?.arrayValue?.contains(where: {
                        $0["type"] == "Complete" && $0["status"] == "True"
                    }) == true {
                        return nil
                    }
                default:
                    return nil  // other kinds are done once applied
                }
            }
            try await pause(manifest.key, "waiting for the hook to finish")
        }
    }
}
