import Foundation
import Kube
import Manifests

extension SyncRun {
    /// Runs `body` for each element with at most `options.concurrency` in flight; results in input order.
    func concurrently<Element: Sendable, Result: Sendable>(
        _ elements: [Element], _ body: @escaping @Sendable (Element) async throws -> Result
    ) async throws -> [Result] {
        try await withThrowingTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: elements.count)
            var next = 0
            let limit = max(1, options.concurrency)
            while next < min(limit, elements.count) {
                let index = next
                group.addTask { (index, try await body(elements[index])) }
                next += 1
            }
            while let (index, result) = try await group.next() {
                results[index] = result
                if next < elements.count {
                    let index = next
                    group.addTask { (index, try await body(elements[index])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }

    /// Applies the objects of one step that are not already in their desired state.
    func apply(_ step: PlannedStep, into changes: inout ChangeSet) async throws {
        let outcomes = try await concurrently(step.objects) { object -> ObjectChange in
            var change = self.change(for: object, wave: step.wave)
            guard object.action != .unchanged else { return change }
            let started = ContinuousClock.now
            do {
                _ = try await self.applyOne(object.manifest, policy: object.policy, live: object.live)
            } catch let error as SyncError {
                change.error = error.message
            }
            change.seconds = Self.seconds(ContinuousClock.now - started)
            change.finishedAt = Date()
            return change
        }
        changes.objects += outcomes
        if let failed = outcomes.first(where: { $0.error != nil }) {
            throw SyncError(.apply, app: app, object: failed.key, failed.error ?? "apply failed")
        }
    }

    /// Server-side apply (or replace) of one object; `Force=true` recreates it when a field is immutable.
    @discardableResult
    func applyOne(_ manifest: Manifest, policy: ObjectSyncPolicy, live: Manifest?) async throws -> Manifest {
        do {
            if policy.replace {
                if let live {
                    var replacement = manifest
                    replacement.setMetadata("resourceVersion", live.metadata["resourceVersion"])
                    return try await client.update(replacement, options: WriteOptions(fieldManager: Tracking.fieldManager))
                }
                return try await client.create(manifest, options: WriteOptions(fieldManager: Tracking.fieldManager))
            }
            return try await client.apply(manifest, options: applyOptions)
        } catch {
            if policy.force, error.isInvalid || error.isConflict, live != nil {
                try await delete(InventoryEntry(manifest), waitUntilGone: true)
                do {
                    return try await client.apply(manifest, options: applyOptions)
                } catch {
                    throw SyncError(.apply, app: app, object: manifest.key, "recreate failed: \(error.message)")
                }
            }
            throw SyncError(.apply, app: app, object: manifest.key, error.message)
        }
    }

    /// Deletes one object, optionally waiting until the server no longer has it.
    func delete(_ entry: InventoryEntry, waitUntilGone: Bool) async throws {
        let namespace = entry.key.namespace.isEmpty ? nil : entry.key.namespace
        do {
            _ = try await client.delete(entry.groupVersionKind, name: entry.key.name, namespace: namespace, options: DeleteOptions(propagationPolicy: .background))
        } catch {
            if !error.isNotFound { throw SyncError(.prune, app: app, object: entry.key, error.message) }
        }
        guard waitUntilGone else { return }
        while true {
            do {
                _ = try await client.get(entry.groupVersionKind, name: entry.key.name, namespace: namespace)
            } catch {
                if error.isNotFound { return }
                throw SyncError(.prune, app: app, object: entry.key, error.message)
            }
            try await pause(entry.key, "waiting for the object to be deleted")
        }
    }

    /// Prunes in plan order; returns the entries that could not be deleted.
    func prune(_ plan: SyncPlan, into changes: inout ChangeSet) async -> Set<InventoryEntry> {
        var failed = Set<InventoryEntry>()
        for entry in plan.prune {
            var change = ObjectChange(key: entry.key, apiVersion: entry.apiVersion, action: .prune)
            let started = ContinuousClock.now
            do {
                try await delete(entry, waitUntilGone: false)
            } catch let error as SyncError {
                change.error = error.message
                failed.insert(entry)
            } catch {
                change.error = "\(error)"
                failed.insert(entry)
            }
            change.seconds = Self.seconds(ContinuousClock.now - started)
            change.finishedAt = Date()
            changes.objects.append(change)
        }
        return failed
    }

    /// Sleeps one poll interval, or fails when the sync's time is up.
    func pause(_ object: ResourceKey?, _ what: String) async throws {
        guard ContinuousClock.now + options.pollInterval < deadline else {
            throw SyncError(.timeout, app: app, object: object, "timed out \(what)")
        }
        try await Task.sleep(for: options.pollInterval)
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
