import Manifests

/// The plan as JSON, as `docs/plan.schema.json` describes it.
extension Plan {
    public var json: JSONValue {
        var object = JSONObject()
        object["base"] = .string(base)
        object["head"] = .string(head)
        object["applications"] = .array(applications.map(\.json))
        object["notAffected"] = .array(notAffected.map(JSONValue.string))
        object["errors"] = .array(errors.map(JSONValue.string))
        if let live { object["live"] = live.json }
        let summary = self.summary
        object["summary"] = .object([
            "changed": .number(JSONNumber(Int64(summary.changed))), "added": .number(JSONNumber(Int64(summary.added))),
            "removed": .number(JSONNumber(Int64(summary.removed))), "unchanged": .number(JSONNumber(Int64(summary.unchanged))),
            "errors": .number(JSONNumber(Int64(summary.errors))),
        ])
        return .object(object)
    }
}

extension ApplicationPlan {
    var json: JSONValue {
        var object = JSONObject()
        object["namespace"] = .string(namespace)
        object["name"] = .string(name)
        object["change"] = .string(change.rawValue)
        object["objects"] = .array(objects.map(\.json))
        object["unchangedObjects"] = .number(JSONNumber(Int64(unchangedObjects)))
        object["warnings"] = .array(warnings.map(\.json))
        object["error"] = error.map(JSONValue.string) ?? .null
        return .object(object)
    }
}

extension ObjectPlan {
    var json: JSONValue {
        var object = JSONObject()
        object["key"] = .string(key.description)
        object["group"] = .string(key.group)
        object["kind"] = .string(key.kind)
        object["namespace"] = .string(key.namespace)
        object["name"] = .string(key.name)
        object["change"] = .string(change.rawValue)
        object["diff"] = .string(diff)
        object["notes"] = .array(notes.map(JSONValue.string))
        object["warnings"] = .array(warnings.map(\.json))
        return .object(object)
    }
}

extension PlanWarning {
    var json: JSONValue {
        .object(["kind": .string(kind.rawValue), "message": .string(message), "failsSync": .bool(failsSync)])
    }
}
