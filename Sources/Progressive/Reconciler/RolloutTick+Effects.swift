import Foundation
import Kube
import Manifests

extension RolloutTick {
    /// Carries out one effect of the machine.
    func carry(
        _ effect: RolloutEffect, status: inout RolloutStatus, before: RolloutState, render: [Manifest], now: Date,
        outcome: inout RolloutEngine.Outcome
    ) async {
        let canaryHash = status.state.canaryHash ?? before.canaryHash ?? ""
        switch effect {
        case .startAnalysis(let slot, let reference):
            let fresh = AnalysisSlot(templates: reference.templates, args: reference.args, run: nil, outcome: "running", message: "")
            if let analyst = engine.analyst {
                status.analysis[slot.rawValue] = await analyst.start(fresh, spec: spec, canaryHash: canaryHash, render: render, now: now)
            } else {
                var waiting = fresh
                waiting.message = "no analysis runner is configured"
                status.analysis[slot.rawValue] = waiting
            }
        case .stopAnalysis(let slot):
            guard var run = status.analysis[slot.rawValue] else { return }
            if let analyst = engine.analyst, run.outcome == "running" {
                run = await analyst.stop(run, spec: spec, canaryHash: canaryHash, render: render, now: now)
            }
            status.analysis[slot.rawValue] = run
        case .emit(let event):
            logger.info("\(event.kind.rawValue): \(event.message)", metadata: ["keelson.rollout": "\(spec.namespace)/\(spec.name)"])
        case .completeHistory(let hash, let result):
            let revision = hash == before.canaryHash ? before.canaryRevision : hash == status.state.canaryHash ? status.state.canaryRevision : nil
            guard let revision else { return }
            outcome.completions.append(.init(revision: revision, result: result, message: status.state.message ?? ""))
        }
    }

    /// Advances one running analysis.
    func advance(_ slot: AnalysisSlot, canaryHash: String, render: [Manifest], now: Date) async -> AnalysisSlot {
        guard let analyst = engine.analyst else { return slot }
        return await analyst.advance(slot, spec: spec, canaryHash: canaryHash, render: render, now: now)
    }

    /// Writes the objects the overlay changed, the generated objects, and deletes what must go.
    func write(_ overlay: RolloutOverlay.Result, over render: [Manifest]) async throws {
        let options = ApplyOptions(fieldManager: engine.fieldManager, force: true)
        for (index, object) in overlay.manifests.enumerated()
        where index < render.count && (object != render[index] || overlay.touched.contains(object.key)) {
            _ = try await client.apply(object, options: options)
        }
        for object in overlay.generated {
            // Never take over an object someone else made under the name the rollout generates.
            if let existing = try await existing(object.key), !generatedHere(existing) {
                throw GeneratedNameTaken(key: object.key, rollout: spec.name)
            }
            _ = try await client.apply(object, options: options)
        }
        for key in overlay.removed { try await deleteIfPresent(key) }
    }

    /// The live object at `key`, if any. Every kind a rollout generates is served as `v1`.
    func existing(_ key: ResourceKey) async throws -> Manifest? {
        do {
            return try await client.get(GroupVersionKind(group: key.group, version: "v1", kind: key.kind), name: key.name, namespace: key.namespace)
        } catch {
            guard error.isNotFound else { throw error }
            return nil
        }
    }

    /// Whether `object` is one this Rollout generated.
    func generatedHere(_ object: Manifest) -> Bool { object.labels[RolloutAPI.generatedByLabel] == "rollout." + spec.name }

    /// Deletes an object this Rollout generated; one already gone, or not its own, is left alone.
    func deleteIfPresent(_ key: ResourceKey) async throws {
        guard let object = try await existing(key), generatedHere(object) else { return }
        let gvk = GroupVersionKind(group: key.group, version: "v1", kind: key.kind)
        do {
            _ = try await client.delete(gvk, name: key.name, namespace: key.namespace, options: DeleteOptions(propagationPolicy: .background))
        } catch {
            guard error.isNotFound else { throw error }
        }
    }

    /// Writes the status, then clears the action annotation it handled; false when someone
    /// wrote the Rollout meanwhile (the next tick does this once more).
    func persist(_ status: RolloutStatus, on live: Manifest, clearing action: RequestedAction?) async throws -> Bool {
        var updated = live
        updated.object["status"] = status.json
        if updated != live {
            do {
                _ = try await client.updateStatus(updated, options: WriteOptions(fieldManager: engine.fieldManager))
            } catch {
                guard error.isConflict else { throw error }
                // Someone wrote the Rollout meanwhile: the next tick reads it again and does this once more.
                logger.debug("rollout status conflict; the next tick writes it")
                return false
            }
        }
        if let action {
            let patch: JSONValue = .object(["metadata": .object(["annotations": .object([action.annotation: .null])])])
            _ = try await client.mergePatch(
                RolloutEngine.rolloutKind, name: spec.name, namespace: spec.namespace, patch: patch,
                options: WriteOptions(fieldManager: engine.fieldManager))
        }
        return true
    }
}

/// An action asked for through an annotation on the Rollout (`keelson.dev/promote: "true"`),
/// as kubectl users, the API and the CLI ask.
struct RequestedAction {
    var action: RolloutAction
    var annotation: String

    init?(_ rollout: Manifest) {
        let annotations = rollout.annotations
        // The strongest action wins when several are set.
        for action in [RolloutAction.abort, .retry, .promoteFull, .promote, .pause, .resume] {
            let key = action.annotation
            if let value = annotations[key], !value.isEmpty, value != "false" {
                self.action = action
                annotation = key
                return
            }
        }
        return nil
    }
}

/// A name the rollout generates is already used by an object it did not generate.
struct GeneratedNameTaken: Error, CustomStringConvertible {
    var key: ResourceKey
    var rollout: String
    var description: String {
        "\(key.kind) \(key.namespace)/\(key.name) exists and was not generated by Rollout \(rollout); the rollout does not take it over"
    }
}
