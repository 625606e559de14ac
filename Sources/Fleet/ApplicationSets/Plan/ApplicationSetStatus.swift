import Foundation
import Manifests

/// A set's status as Argo CD reports it: `conditions` (`ErrorOccurred`, `ParametersGenerated`,
/// `ResourcesUpToDate`, and `RolloutProgressing` with a strategy), `resources` (each generated
/// Application with its sync and health) and, with RollingSync, `applicationStatus`.
public struct ApplicationSetStatus: Sendable {
    /// The outcome of one pass.
    public enum Outcome: Sendable {
        /// The generators or the template failed: nothing was changed.
        case failed(ApplicationSetError)
        /// The plan was carried out; `writeErrors` lists writes the API refused.
        case planned(GenerationPlan, writeErrors: [String])
    }

    /// The status object after a pass, merged into `existing` so transition times move only on change.
    public static func status(
        _ outcome: Outcome, existing: JSONValue?, owned: [Manifest], maxDeletionShare: Share, generation: Int64, now: Date
    ) -> JSONValue {
        var status = existing?.objectValue ?? [:]
        var conditions = status["conditions"]
        func put(_ type: String, _ isTrue: Bool, _ reason: String, _ message: String) {
            conditions = StatusCondition(type: type, isTrue: isTrue, reason: reason, message: message).merged(
                into: conditions, generation: generation, now: now)
        }
        switch outcome {
        case .failed(let error):
            let message = "\(error.field.isEmpty ? "" : error.field + ": ")\(error.message); no Application was created, changed or deleted"
            put("ErrorOccurred", true, error.reason, message)
            if error.code == .generator || error.code == .invalidSpec { put("ParametersGenerated", false, error.reason, message) }
            put("ResourcesUpToDate", false, error.reason, message)
        case .planned(let plan, let writeErrors):
            put("ParametersGenerated", true, "ParametersGenerated", "Successfully generated parameters for all Applications")
            if !writeErrors.isEmpty {
                let message = writeErrors.prefix(5).joined(separator: "; ")
                put("ErrorOccurred", true, "UpdateApplicationError", message)
                put("ResourcesUpToDate", false, "UpdateApplicationError", message)
            } else if !plan.notOwned.isEmpty {
                let names = plan.notOwned.prefix(10).joined(separator: ", ")
                let message = "Application \(names) already exists and is not owned by this ApplicationSet; it is left as it is"
                put("ErrorOccurred", true, "ApplicationNotOwned", message)
                put("ResourcesUpToDate", false, "ApplicationNotOwned", message)
            } else {
                put("ErrorOccurred", false, "ApplicationSetUpToDate", "Successfully generated parameters for all Applications")
                if !plan.heldBackDeletions.isEmpty {
                    let message =
                        "\(plan.deletes.count) Application(s) deleted, \(plan.heldBackDeletions.count) held back by maxDeletionShare "
                        + "\(maxDeletionShare) (the most one generation deletes) until the next generation: "
                        + plan.heldBackDeletions.prefix(10).joined(separator: ", ")
                    put("ResourcesUpToDate", false, "DeletionsHeldBack", message)
                } else if !plan.waitingUpdates.isEmpty {
                    put("ResourcesUpToDate", false, "RollingSyncInProgress", "\(plan.waitingUpdates.count) Application(s) wait for their step")
                } else {
                    put("ResourcesUpToDate", true, "ApplicationSetUpToDate", "All applications have been generated successfully")
                }
            }
            if let rollout = plan.rollout {
                if let step = rollout.activeStep {
                    put("RolloutProgressing", true, "ApplicationSetModified", "ApplicationSet is performing a rollout of step \(step)")
                } else {
                    put("RolloutProgressing", false, "ApplicationSetRolloutComplete", "ApplicationSet rollout is complete")
                }
                let previous = Dictionary(
                    (status["applicationStatus"]?.arrayValue ?? []).compactMap { entry in
                        entry["application"]?.stringValue.map { ($0, entry) }
                    }, uniquingKeysWith: { first, _ in first })
                status["applicationStatus"] = .array(
                    rollout.entries.map { entry in
                        let before = previous[entry.application]
                        let since = before?["status"]?.stringValue == entry.state.rawValue ? before?["lastTransitionTime"] : nil
                        var object: JSONObject = [
                            "application": .string(entry.application), "step": .string(String(entry.step)),
                            "status": .string(entry.state.rawValue), "message": .string(entry.message),
                            "lastTransitionTime": since ?? .string(StatusCondition.timestamp(now)),
                        ]
                        if let written = entry.writtenVersion { object["writtenVersion"] = .string(written) }
                        return .object(object)
                    })
            } else {
                status["applicationStatus"] = nil
            }
            status["resources"] = .array(
                owned.sorted { $0.name < $1.name }.map { application in
                    let appStatus = application.object["status"]
                    return [
                        "group": "keelson.dev", "version": "v1alpha1", "kind": "Application", "namespace": .string(application.namespace),
                        "name": .string(application.name), "status": .string(appStatus?["sync"]?["status"]?.stringValue ?? "Unknown"),
                        "health": ["status": .string(appStatus?["health"]?["status"]?.stringValue ?? "Unknown")],
                    ]
                })
        }
        status["conditions"] = conditions
        return .object(status)
    }

    /// The RollingSync entries a stored status holds (after a restart).
    public static func rolloutEntries(_ status: JSONValue?) -> [String: RollingSync.Entry] {
        var entries: [String: RollingSync.Entry] = [:]
        for item in status?["applicationStatus"]?.arrayValue ?? [] {
            guard let name = item["application"]?.stringValue, let state = item["status"]?.stringValue.flatMap(RollingSync.State.init) else {
                continue
            }
            entries[name] = RollingSync.Entry(
                application: name, step: Int(item["step"]?.stringValue ?? "") ?? 0, state: state, message: item["message"]?.stringValue ?? "",
                writtenVersion: item["writtenVersion"]?.stringValue)
        }
        return entries
    }
}
