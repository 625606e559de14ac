import Foundation
import Manifests
import Server

/// The tables and detail views of `keelson app`, from the API's JSON.
struct AppFormatter {
    /// The time ages are measured from.
    var now: Date

    /// `keelson app list`.
    func list(_ reply: JSONValue) -> String {
        var table = TextTable(headers: ["NAME", "NAMESPACE", "SYNC", "HEALTH", "DELIVERY", "REVISION", "POLICY", "LAST SYNC"])
        for app in reply["items"]?.arrayValue ?? [] {
            table.rows.append([
                text(app["name"]), text(app["namespace"]), text(app["sync"]?["status"]), text(app["health"]?["status"]),
                app["delivery"]?["state"].map(text) ?? "-",
                StatusStyle.shortRevision(text(app["sync"]?["revision"])), policy(app), lastSync(app["lastSync"]),
            ])
        }
        return table.rows.isEmpty ? "No applications.\n" : table.render()
    }

    /// `keelson app get`: details, conditions, drift and resources.
    func detail(_ app: JSONValue, resources: JSONValue?) -> String {
        var fields: [(String, String)] = [
            ("Name", text(app["name"])), ("Namespace", text(app["namespace"])), ("Repository", text(app["repoURL"])),
            ("Path", text(app["path"])), ("Target", text(app["targetRevision"])), ("Destination", text(app["destinationNamespace"])),
            ("Policy", policy(app)),
            ("Sync", text(app["sync"]?["status"]) + revisionSuffix(text(app["sync"]?["revision"]))),
            ("Health", text(app["health"]?["status"]) + (text(app["health"]?["message"]).isEmpty ? "" : ": " + text(app["health"]?["message"]))),
            ("Latest", text(app["latestRevision"])),
        ]
        if let delivery = app["delivery"], !delivery.isNull {
            fields.append(("Delivery", text(delivery["state"]) + (text(delivery["message"]).isEmpty ? "" : ": " + text(delivery["message"]))))
        }
        if let pinned = app["pinned"], !pinned.isNull {
            fields.append(("Pinned", "history #\(text(pinned["historyID"])) (\(StatusStyle.shortRevision(text(pinned["revision"]))))"))
        }
        fields.append(("Last sync", lastSyncDetail(app["lastSync"])))
        let width = (fields.map(\.0.count).max() ?? 0) + 2
        var out =
            fields.map { ($0.0 + ":").padding(toLength: width, withPad: " ", startingAt: 0) + TextTable.oneLine($0.1) }.joined(separator: "\n") + "\n"
        let conditions = app["conditions"]?.arrayValue ?? []
        if !conditions.isEmpty {
            var table = TextTable(headers: ["TYPE", "STATUS", "REASON", "MESSAGE"])
            table.rows = conditions.map { [text($0["type"]), text($0["status"]), text($0["reason"]), text($0["message"])] }
            out += "\nConditions:\n" + table.render()
        }
        let drift = app["drift"]?.arrayValue ?? []
        if !drift.isEmpty { out += "\nDrift:\n" + drift.map { "  " + text($0) + "\n" }.joined() }
        if let resources {
            let items = resources["items"]?.arrayValue ?? []
            var table = TextTable(headers: ["KIND", "NAMESPACE", "NAME", "SYNC", "HEALTH", "MESSAGE"])
            table.rows = items.map { item in
                [
                    kindName(item), text(item["namespace"]), text(item["name"]), text(item["sync"]),
                    text(item["health"]?["status"]), text(item["health"]?["message"]),
                ]
            }
            out += "\nResources:\n" + (items.isEmpty ? "  none\n" : table.render())
        }
        return out
    }

    /// `keelson app history`: newest last, like `helm history`; `*` marks the pinned entry.
    func history(_ reply: JSONValue, live: String = "") -> String {
        let pinned = reply["pinned"]?["historyID"].map(text) ?? ""
        var table = TextTable(headers: ["ID", "REVISION", "DEPLOYED", "INITIATOR", "RESULT", "MESSAGE"])
        for entry in reply["items"]?.arrayValue ?? [] {
            let id = text(entry["id"])
            let age = StatusStyle.age(of: text(entry["deployedAt"]), now: now)
            table.rows.append([
                id + (id == pinned ? "*" : ""), StatusStyle.shortRevision(text(entry["revision"])),
                age.isEmpty ? text(entry["deployedAt"]) : age + " ago",
                text(entry["initiator"]), text(entry["result"]), text(entry["message"]),
            ])
        }
        if table.rows.isEmpty { return "No history yet.\n" }
        return table.render() + (pinned.isEmpty ? "" : "* pinned: the controller keeps this revision until a newer commit arrives\n")
    }

    /// `keelson app diff`: one section per object, its masked unified diff.
    func diff(_ items: [JSONValue]) -> String {
        items.map { item in
            var section =
                "=== \(kindName(item))/\(text(item["namespace"]).isEmpty ? "" : text(item["namespace"]) + "/")\(text(item["name"])) (\(text(item["sync"])))\n"
            let body = text(item["diff"])
            section += body.isEmpty || body.hasSuffix("\n") ? body : body + "\n"
            return section
        }.joined(separator: "\n")
    }

    /// `keelson app sync --dry-run`: what a sync would do, then each change's diff.
    func plan(_ reply: JSONValue) -> String {
        let items = reply["items"]?.arrayValue ?? []
        if items.isEmpty { return "Nothing to do.\n" }
        var table = TextTable(headers: ["ACTION", "KIND", "NAMESPACE", "NAME", "FIELDS"])
        table.rows = items.map { item in
            [
                text(item["action"]), kindName(item), text(item["namespace"]), text(item["name"]),
                (item["fields"]?.arrayValue ?? []).map(text).joined(separator: ","),
            ]
        }
        let diffs = items.filter { !text($0["diff"]).isEmpty }
        return table.render() + (diffs.isEmpty ? "" : "\n" + diff(diffs))
    }

    // MARK: Parts

    func policy(_ app: JSONValue) -> String {
        var words: [String] = []
        if app["automated"]?.boolValue == true {
            words.append("auto")
            if app["selfHeal"]?.boolValue == true { words.append("self-heal") }
            if app["prune"]?.boolValue == true { words.append("prune") }
        } else {
            words.append("manual")
        }
        if app["suspended"]?.boolValue == true { words.append("suspended") }
        if let pinned = app["pinned"], !pinned.isNull { words.append("pinned#" + text(pinned["historyID"])) }
        return words.joined(separator: ",")
    }

    private func lastSync(_ value: JSONValue?) -> String {
        guard let value, !value.isNull else { return "never" }
        let age = StatusStyle.age(of: text(value["finishedAt"]), now: now)
        return text(value["result"]) + (age.isEmpty ? "" : " " + age + " ago")
    }

    private func lastSyncDetail(_ value: JSONValue?) -> String {
        guard let value, !value.isNull else { return "never" }
        var line = lastSync(value) + " by " + text(value["initiator"]) + " at " + StatusStyle.shortRevision(text(value["revision"]))
        if !text(value["summary"]).isEmpty { line += ": " + text(value["summary"]) }
        if !text(value["message"]).isEmpty { line += " (" + text(value["message"]) + ")" }
        return line
    }

    private func revisionSuffix(_ revision: String) -> String { revision.isEmpty ? "" : " at \(revision)" }

    private func kindName(_ item: JSONValue) -> String {
        let group = text(item["group"])
        return group.isEmpty ? text(item["kind"]) : "\(text(item["kind"])).\(group)"
    }

    private func text(_ value: JSONValue?) -> String { value?.displayText ?? "" }
}
