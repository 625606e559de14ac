import Controller
import GitSource
import Manifests
import Sync

/// The API's JSON views of an application, built from what the controller last saw.
enum ApplicationJSON {
    /// AppSummary: identity, source, policy, sync, health, pin, conditions, the last sync and `spec.info`.
    static func summary(_ view: ApplicationView) -> JSONObject {
        let status = view.status
        let spec = view.object.object["spec"] ?? .null
        let source = spec["source"] ?? .null
        let automated = spec[path: ["syncPolicy", "automated"]]
        var pinned: JSONValue = .null
        if let pin = status["pinned"], let id = pin["historyID"], let revision = pin["revision"] {
            pinned = ["historyID": id, "revision": revision]
        }
        var lastSync: JSONValue = .null
        if let operation = status["operation"], operation.objectValue != nil {
            var entry = JSONObject()
            for key in ["initiator", "revision", "result", "summary", "message", "finishedAt"] {
                entry[key] = .string(operation[key]?.stringValue ?? "")
            }
            lastSync = .object(entry)
        }
        let conditions: [JSONValue] = (status["conditions"]?.arrayValue ?? []).map { condition in
            [
                "type": string(condition["type"]), "status": string(condition["status"]), "reason": string(condition["reason"]),
                "message": string(condition["message"]),
            ]
        }
        return [
            "name": .string(view.name),
            "namespace": .string(view.namespace),
            "repoURL": .string(URLRedaction.redact(source["repoURL"]?.stringValue ?? "")),
            "path": string(source["path"]),
            "targetRevision": .string(view.application?.spec.source.revision ?? source["revision"]?.stringValue ?? ""),
            "destinationNamespace": .string(
                view.application?.spec.destination.namespace ?? spec[path: ["destination", "namespace"]]?.stringValue ?? ""),
            "automated": .bool(automated != nil && automated?.isNull == false),
            "selfHeal": .bool(automated?["selfHeal"]?.boolValue ?? false),
            "prune": .bool(automated?["prune"]?.boolValue ?? false),
            "suspended": .bool(spec["suspend"]?.boolValue ?? false),
            "deleting": .bool(view.isDeleting),
            "sync": [
                "status": .string(status[path: ["sync", "status"]]?.stringValue ?? "Unknown"),
                "revision": string(status[path: ["sync", "revision"]]),
            ],
            "health": [
                "status": .string(status[path: ["health", "status"]]?.stringValue ?? "Unknown"),
                "message": string(status[path: ["health", "message"]]),
            ],
            "latestRevision": string(status["latestRevision"]),
            "pinned": pinned,
            "conditions": .array(conditions),
            "lastSync": lastSync,
            "delivery": status["delivery"] ?? .null,
            "rollouts": .array(status["rollouts"]?.arrayValue ?? []),
            "info": .array(
                (view.application?.spec.info ?? []).map { ["name": .string($0.name), "value": .string($0.value)] }),
        ]
    }

    /// AppSummary plus drift, inventory and history.
    static func detail(_ view: ApplicationView) -> JSONObject {
        var object = summary(view)
        object["drift"] = .array((view.status["drift"]?.arrayValue ?? []).map { string($0) })
        object["inventory"] = .array((view.status["inventory"]?.arrayValue ?? []).map { string($0) })
        object["history"] = .array(history(view))
        return object
    }

    /// The history entries, oldest first.
    static func history(_ view: ApplicationView) -> [JSONValue] {
        (view.status["history"]?.arrayValue ?? []).map { entry in
            [
                "id": .number(JSONNumber(entry["id"]?.intValue ?? 0)), "revision": string(entry["revision"]),
                "deployedAt": string(entry["deployedAt"]),
                "initiator": string(entry["initiator"]), "result": string(entry["result"]), "digest": string(entry["digest"]),
                "message": string(entry["message"]),
            ]
        }
    }

    /// `{historyID, revision}` of the rollback pin, or `null`.
    static func pinned(_ view: ApplicationView) -> JSONValue { summary(view)["pinned"] ?? .null }

    static func string(_ value: JSONValue?) -> JSONValue { .string(value?.stringValue ?? "") }

    /// One event as the event stream's `data`.
    static func event(_ event: ApplicationEvent) -> JSONValue {
        var object: JSONObject = [
            "sequence": .number(JSONNumber(Int64(event.sequence))), "kind": .string(event.kind.rawValue), "application": .string(event.application),
            "time": .string(ChangeSet.timestamp(event.time)),
            "sync": .string(event.sync), "health": .string(event.health), "revision": .string(event.revision), "message": .string(event.message),
        ]
        if event.kind == .rollout { object["rollouts"] = event.rollouts }
        return .object(object)
    }
}
