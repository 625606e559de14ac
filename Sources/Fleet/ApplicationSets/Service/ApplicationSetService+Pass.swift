import Foundation
import Kube
import Manifests

extension ApplicationSetService {
    /// Runs the generators and the template, then carries out the plan; a failure of either
    /// writes only the set's status.
    func fullPass(_ set: ApplicationSet, object: Manifest, existing: [Manifest], record: ApplicationSetState<C.Instant>.Record) async
        -> ApplicationSetState<C.Instant>.Record
    {
        var record = record
        let desired: [Manifest]
        do {
            let runner = GeneratorRunner(set: set, sources: sources, maximumParameterSets: configuration.maximumApplications)
            let parameters = try await runner.run()
            // An Argo CD template: each Application is translated, destinations by server mapped
            // through the registered clusters.
            var translate: (@Sendable (Manifest) throws -> Manifest)?
            if set.translatesArgoCDTemplate {
                let clusters = await RegisteredClusters.servers(client: client, namespace: configuration.controllerNamespace)
                translate = { manifest in try ArgoCDTranslation.generatedApplication(manifest, clusters: clusters) }
            }
            desired = try ApplicationBuilder(translateArgoApplication: translate).applications(for: set, parameters: parameters)
        } catch {
            let failure = error.about(set.id)
            record.desired = nil
            logger.warning(
                "ApplicationSet not generated; no Application is created, changed or deleted",
                metadata: ["k8s.resource": "ApplicationSet \(set.id)", "error": "\(failure)"])
            await writeStatus(object) { existing, generation in
                Self.failedStatus(failure, existing: existing, generation: generation, now: configuration.now())
            }
            return record
        }
        record.desired = desired
        return await apply(set, object: object, desired: desired, existing: existing, record: record, freshGeneration: true)
    }

    /// Plans from `desired` and the Applications as they are, writes what the plan says, and
    /// records the outcome in the set's status. A write the API refuses as stale (a conflict, an
    /// object created meanwhile) is left for the next pass, which the watch brings. Only a pass
    /// with a `freshGeneration` deletes: a replan the watch brings never does.
    func apply(
        _ set: ApplicationSet, object: Manifest, desired: [Manifest], existing: [Manifest], record: ApplicationSetState<C.Instant>.Record,
        freshGeneration: Bool
    ) async -> ApplicationSetState<C.Instant>.Record {
        var record = record
        var plan = GenerationPlan.plan(set, desired: desired, existing: existing, freshGeneration: freshGeneration, previous: record.rollout)
        let options = WriteOptions(fieldManager: Self.fieldManager)
        var errors: [String] = []
        var written: [String: String] = [:]
        var gone: Set<String> = []
        var notCreated: Set<String> = []
        for application in plan.creates {
            do { _ = try await client.create(application, options: options) } catch  where error.isAlreadyExists {} catch {
                notCreated.insert(application.name)
                errors.append("cannot create Application \(application.name): \(error.status?.message ?? error.message)")
            }
        }
        for application in plan.updates {
            do { written[application.name] = try await client.update(application, options: options).resourceVersion } catch  where error.isConflict {
            } catch {
                errors.append("cannot update Application \(application.name): \(error.status?.message ?? error.message)")
            }
        }
        for application in plan.deletes {
            let delete = DeleteOptions(preconditionResourceVersion: application.resourceVersion)
            do {
                _ = try await client.delete(Self.applicationKind, name: application.name, namespace: application.namespace, options: delete)
                gone.insert(application.name)
            } catch  where error.isNotFound || error.isConflict {} catch {
                errors.append("cannot delete Application \(application.name): \(error.status?.message ?? error.message)")
            }
        }
        if var rollout = plan.rollout {
            for index in rollout.entries.indices {
                if let version = written[rollout.entries[index].application] { rollout.entries[index].writtenVersion = version }
            }
            plan.rollout = rollout
            record.rollout = Dictionary(rollout.entries.map { ($0.application, $0) }, uniquingKeysWith: { first, _ in first })
        }
        if plan.creates.count + plan.updates.count + plan.deletes.count > 0 || !errors.isEmpty {
            logger.info(
                "ApplicationSet applied",
                metadata: [
                    "k8s.resource": "ApplicationSet \(set.id)", "created": "\(plan.creates.count)", "updated": "\(plan.updates.count)",
                    "deleted": "\(gone.count)", "heldBack": "\(plan.heldBackDeletions.count)", "errors": "\(errors.count)",
                ])
        }
        let wanted = Set(desired.map(\.name))
        let owned = existing.filter { wanted.contains($0.name) && ApplicationBuilder.isOwned($0, by: set) }
        let resources = owned + plan.creates.filter { !notCreated.contains($0.name) }
        let finalPlan = plan
        await writeStatus(object) { existing, generation in
            ApplicationSetStatus.status(
                .planned(finalPlan, writeErrors: errors), existing: existing, owned: resources,
                maxDeletionShare: set.syncPolicy.maxDeletionShare, generation: generation,
                now: configuration.now())
        }
        return record
    }

    static func failedStatus(_ failure: ApplicationSetError, existing: JSONValue?, generation: Int64, now: Date) -> JSONValue {
        ApplicationSetStatus.status(.failed(failure), existing: existing, owned: [], maxDeletionShare: .count(0), generation: generation, now: now)
    }

    /// Writes the status `make` builds from the set's current status, when it changed.
    func writeStatus(_ object: Manifest, _ make: (JSONValue?, Int64) -> JSONValue) async {
        let gvk = GroupVersionKind(group: object.group, version: object.version, kind: object.kind)
        for _ in 0..<3 {
            do {
                var current = try await client.get(gvk, name: object.name, namespace: object.namespace)
                let generation = current.metadata["generation"]?.intValue ?? 0
                let status = make(current.object["status"], generation)
                if status == current.object["status"] { return }
                current.object["status"] = status
                _ = try await client.updateStatus(current, options: WriteOptions(fieldManager: Self.fieldManager))
                return
            } catch {
                guard error.isConflict else {
                    if !error.isNotFound {
                        logger.warning(
                            "cannot write ApplicationSet status",
                            metadata: ["k8s.resource": "ApplicationSet \(object.namespace)/\(object.name)", "error": "\(error)"])
                    }
                    return
                }
            }
        }
    }
}
