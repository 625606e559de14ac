import Manifests

extension DashboardViewModel {
    /// The delivery verdict of an AppSummary: its badge, and for a roll-back the revision
    /// rolled back and the one serving.
    func delivery(_ value: JSONValue?) -> [String: Any] {
        guard let value, !value.isNull, let state = value["state"]?.stringValue else {
            return ["delivery": "", "deliveryClass": "muted", "deliveryMessage": ""]
        }
        var fields: [String: Any] = [
            "delivery": state, "deliveryClass": StatusStyle.badge(state), "deliveryMessage": value["message"]?.displayText ?? "",
        ]
        if state == "RolledBack" {
            let revision = value["revision"]?.displayText ?? ""
            let serving = value["servingRevision"]?.displayText ?? ""
            fields["rolledBack"] = [
                "revision": revision, "revisionShort": StatusStyle.shortRevision(revision), "serving": serving,
                "servingShort": StatusStyle.shortRevision(serving),
            ]
        }
        return fields
    }

    /// The rollout panels of `GET .../rollouts`: phase, steps with the current one marked,
    /// weights, analysis verdicts with their last measurements, and the actions an operator may take.
    func rollouts(_ answer: JSONValue, canOperate: Bool) -> [[String: Any]] {
        (answer["items"]?.arrayValue ?? []).map { item in
            let phase = item["phase"]?.displayText ?? "Unknown"
            let namespace = item["namespace"]?.displayText ?? ""
            let name = item["name"]?.displayText ?? ""
            let stable = item["stableRevision"]?.displayText ?? ""
            let canary = item["canaryRevision"]?.displayText ?? ""
            return [
                "namespace": namespace, "name": name, "id": "\(namespace)/\(name)", "phase": phase, "phaseClass": StatusStyle.badge(phase),
                "reason": item["reason"]?.displayText ?? "", "message": item["message"]?.displayText ?? "",
                "setWeight": item["setWeight"]?.displayText ?? "0", "actualWeight": item["actualWeight"]?.displayText ?? "0",
                "stableShort": StatusStyle.shortRevision(stable), "stableRevision": stable,
                "canaryShort": StatusStyle.shortRevision(canary), "canaryRevision": canary,
                "steps": (item["steps"]?.arrayValue ?? []).map { step in
                    [
                        "number": step["index"]?.intValue ?? 0, "text": step["text"]?.displayText ?? "",
                        "current": step["current"]?.boolValue ?? false, "done": step["done"]?.boolValue ?? false,
                    ] as [String: Any]
                },
                "analysis": (item["analysis"]?.arrayValue ?? []).map(analysisRun),
                "requested": (item["requested"]?.arrayValue ?? []).map(\.displayText).joined(separator: ", "),
                "canOperate": canOperate,
            ]
        }
    }

    private func analysisRun(_ run: JSONValue) -> [String: Any] {
        let outcome = (run["outcome"]?.displayText ?? "").capitalized
        return [
            "slot": run["slot"]?.displayText ?? "", "outcome": outcome, "outcomeClass": StatusStyle.badge(outcome),
            "templates": (run["templates"]?.arrayValue ?? []).map(\.displayText).joined(separator: ", "),
            "message": run["message"]?.displayText ?? "",
            "metrics": (run["metrics"]?.arrayValue ?? []).map { metric in
                let phase = metric["phase"]?.displayText ?? ""
                return [
                    "name": metric["name"]?.displayText ?? "", "phase": phase, "phaseClass": StatusStyle.badge(phase),
                    "measurements": (metric["measurements"]?.arrayValue ?? []).suffix(10).map { measurement in
                        let phase = measurement["phase"]?.displayText ?? ""
                        return [
                            "phase": phase, "phaseClass": StatusStyle.badge(phase), "value": measurement["value"]?.displayText ?? "",
                            "startedAt": measurement["startedAt"]?.displayText ?? "", "message": measurement["message"]?.displayText ?? "",
                        ] as [String: Any]
                    },
                ] as [String: Any]
            },
        ]
    }
}
