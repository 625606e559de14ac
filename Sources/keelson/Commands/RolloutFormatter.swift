import Foundation
import Manifests
import Server

/// The table and detail view of `keelson rollout`, from the API's JSON.
struct RolloutFormatter {
    /// `keelson rollout list`: items are `status.rollouts[]` reports with their `application`;
    /// STEP is the current step's index (from 0) over the number of steps, as Argo Rollouts shows it.
    func list(_ items: [JSONValue]) -> String {
        var table = TextTable(headers: ["NAMESPACE", "NAME", "APPLICATION", "PHASE", "STEP", "SET", "ACTUAL", "CANARY", "STABLE", "MESSAGE"])
        for item in items {
            let step = item["step"]?.intValue.map { "\($0)/\(item["steps"]?.intValue ?? 0)" } ?? "-"
            table.rows.append([
                text(item["namespace"]), text(item["name"]), text(item["application"]), text(item["phase"]), step, percent(item["setWeight"]),
                percent(item["actualWeight"]), revision(item["canaryRevision"]), revision(item["stableRevision"]), text(item["message"]),
            ])
        }
        return table.rows.isEmpty ? "No rollouts.\n" : table.render()
    }

    /// `keelson rollout get`: facts, steps (numbered from 0, as `status.state.currentStep` and
    /// the controller's messages count them) with the current one marked, and the analysis runs
    /// with each metric's last measurements.
    func detail(_ rollout: JSONValue) -> String {
        var phase = text(rollout["phase"])
        if !text(rollout["reason"]).isEmpty { phase += " (\(text(rollout["reason"])))" }
        if !text(rollout["message"]).isEmpty { phase += ": " + text(rollout["message"]) }
        var fields: [(String, String)] = [
            ("Name", "\(text(rollout["namespace"]))/\(text(rollout["name"]))"), ("Application", text(rollout["application"])),
            ("Strategy", text(rollout["strategy"])), ("Phase", phase),
            ("Weight", "set \(percent(rollout["setWeight"])), actual \(percent(rollout["actualWeight"]))"),
            ("Stable", revisionAndHash(rollout["stableRevision"], rollout["stableHash"])),
            ("Canary", revisionAndHash(rollout["canaryRevision"], rollout["canaryHash"])),
        ]
        if let delivery = rollout["delivery"], !delivery.isNull {
            fields.append(("Delivery", text(delivery["state"]) + (text(delivery["message"]).isEmpty ? "" : ": " + text(delivery["message"]))))
        }
        let requested = (rollout["requested"]?.arrayValue ?? []).map(text)
        if !requested.isEmpty { fields.append(("Requested", requested.joined(separator: ", ") + " (not handled yet)")) }
        let width = (fields.map(\.0.count).max() ?? 0) + 2
        var out =
            fields.map { ($0.0 + ":").padding(toLength: width, withPad: " ", startingAt: 0) + TextTable.oneLine($0.1) }.joined(separator: "\n") + "\n"
        let steps = rollout["steps"]?.arrayValue ?? []
        if !steps.isEmpty {
            var table = TextTable(headers: ["", "STEP", "ACTION"])
            table.rows = steps.map { step in
                let mark = step["current"]?.boolValue == true ? "→" : step["done"]?.boolValue == true ? "✓" : ""
                return [mark, text(step["index"]), text(step["text"])]
            }
            out += "\nSteps:\n" + table.render()
        }
        for run in rollout["analysis"]?.arrayValue ?? [] {
            let templates = (run["templates"]?.arrayValue ?? []).map(text).joined(separator: ", ")
            out += "\nAnalysis \(text(run["slot"])) (\(templates)): \(text(run["outcome"]))"
            out += (text(run["message"]).isEmpty ? "" : " — " + text(run["message"])) + "\n"
            for metric in run["metrics"]?.arrayValue ?? [] {
                out += "  \(text(metric["name"])): \(text(metric["phase"])), \(text(metric["successful"])) successful, "
                out += "\(text(metric["failed"])) failed, \(text(metric["inconclusive"])) inconclusive, \(text(metric["error"])) error\n"
                let measurements = (metric["measurements"]?.arrayValue ?? []).suffix(10)
                guard !measurements.isEmpty else { continue }
                var table = TextTable(headers: ["  STARTED", "PHASE", "VALUE", "MESSAGE"])
                table.rows = measurements.map { ["  " + text($0["startedAt"]), text($0["phase"]), text($0["value"]), text($0["message"])] }
                out += table.render()
            }
        }
        return out
    }

    private func percent(_ value: JSONValue?) -> String { value?.intValue.map { "\($0)%" } ?? "-" }

    private func revision(_ value: JSONValue?) -> String {
        let revision = text(value)
        return revision.isEmpty ? "-" : StatusStyle.shortRevision(revision)
    }

    private func revisionAndHash(_ revision: JSONValue?, _ hash: JSONValue?) -> String {
        guard !text(revision).isEmpty || !text(hash).isEmpty else { return "-" }
        return "\(self.revision(revision)) (template \(text(hash).isEmpty ? "-" : text(hash)))"
    }

    private func text(_ value: JSONValue?) -> String { value?.displayText ?? "" }
}
