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

    /// Applies the objects of one step that are not already in their desired state; the API
    /// server's answers are kept as the freshest live state.
    func apply(_ step: PlannedStep, session: inout SyncSession) async throws {
        let outcomes = try await concurrently(step.objects) { object -> (ObjectChange, Manifest?) in
            var change = self.change(for: object, wave: step.wave)
            guard object.action != .unchanged else { return (change, nil) }
            let started = ContinuousClock.now
            var written: Manifest?
            do {
                written = try await self.applyOne(object.manifest, policy: object.policy, live: object.live)
            } catch let error as SyncError {
                change.error = error.message
            }
            change.seconds = Self.seconds(ContinuousClock.now - started)
            change.finishedAt = Date()
            return (change, written)
        }
        session.changes.objects += outcomes.map(\.0)
        for case let (_, written?) in outcomes { session.written[written.key] = written }
        if let failed = outcomes.map(\.0).first(where: { $0.error != nil }) {
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
                try await delete(InventoryEntry(manifest))
                try await waitUntilGone(InventoryEntry(manifest))
                do {
                    return try await client.apply(manifest, options: applyOptions)
                } catch {
                    throw SyncError(.apply, app: app, object: manifest.key, "recreate failed: \(error.message)")
                }
            }
            throw SyncError(.apply, app: app, object: manifest.key, error.message)
        }
    }

    /// Deletes one object (in the background: dependents go after it).
    func delete(_ entry: InventoryEntry) async throws {
        let namespace = entry.key.namespace.isEmpty ? nil : entry.key.namespace
        do {
            _ = try await client.delete(
                entry.groupVersionKind, name: entry.key.name, namespace: namespace, options: DeleteOptions(propagationPolicy: .background))
        } catch {
            if !error.isNotFound { throw SyncError(.prune, app: app, object: entry.key, error.message) }
        }
    }

    /// Waits until the API server no longer has the object: the one wait inside a step, for
    /// `Force=true`'s delete-and-recreate of an object whose immutable field changed (rare, and
    /// over as soon as the server finishes the delete).
    func waitUntilGone(_ entry: InventoryEntry) async throws {
        let limit = ContinuousClock.now + options.timeout
        while try await Self.getLive(client, entry) != nil {
            guard ContinuousClock.now < limit else {
                throw SyncError(.timeout, app: app, object: entry.key, "timed out waiting for the object to be deleted")
            }
            try await engine.clock.sleep(for: options.pollInterval)
        }
    }

    /// Prunes in plan order; returns the entries that could not be deleted.
    func prune(_ plan: SyncPlan, into changes: inout ChangeSet) async -> Set<InventoryEntry> {
        var failed = Set<InventoryEntry>()
        for entry in plan.prune {
            var change = ObjectChange(key: entry.key, apiVersion: entry.apiVersion, action: .prune)
            let started = ContinuousClock.now
            do {
                try await delete(entry)
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

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
