import Foundation
import Manifests
import Sync

/// Turns the API's JSON answers into Mustache contexts: plain dictionaries of strings, bools
/// and arrays with the derived fields templates need (badge classes, links, ages). Every value
/// stays text for the template to escape.
struct DashboardViewModel {
    /// Who looks at the page.
    var principal: Principal
    /// The time ages are measured from.
    var now: Date

    /// The caller as the header shows them.
    var user: [String: Any] {
        ["name": principal.name, "role": principal.role.rawValue]
    }

    /// Whether the caller may act on `app` (sync, refresh, rollback, suspend, resume): its role,
    /// and its application globs (its projects were applied when the page's data was read).
    func canOperate(_ app: ApplicationReference) -> Bool {
        principal.role >= .operator
            && (principal.applications.isEmpty || principal.applications.contains { $0.matches(namespace: app.namespace, name: app.name) })
    }

    /// One AppSummary as a list row or a page header.
    func summary(_ app: JSONValue) -> [String: Any] {
        let name = app["name"]?.stringValue ?? ""
        let namespace = app["namespace"]?.stringValue ?? ""
        let sync = app["sync"]?["status"]?.stringValue ?? "Unknown"
        let health = app["health"]?["status"]?.stringValue ?? "Unknown"
        let revision = app["sync"]?["revision"]?.stringValue ?? ""
        let latest = app["latestRevision"]?.stringValue ?? ""
        var row: [String: Any] = [
            "name": name, "namespace": namespace, "id": "\(namespace)/\(name)",
            "url": "/applications/\(URLComponent.encode(namespace))/\(URLComponent.encode(name))",
            "repoURL": text(app["repoURL"]), "path": text(app["path"]), "targetRevision": text(app["targetRevision"]),
            "destinationNamespace": text(app["destinationNamespace"]),
            "sync": sync, "syncClass": StatusStyle.badge(sync),
            "health": health, "healthClass": StatusStyle.badge(health), "healthMessage": text(app["health"]?["message"]),
            "revision": revision, "revisionShort": StatusStyle.shortRevision(revision),
            "latestRevision": latest, "latestShort": StatusStyle.shortRevision(latest),
            "behind": !latest.isEmpty && !revision.isEmpty && latest != revision,
            "automated": app["automated"]?.boolValue ?? false, "selfHeal": app["selfHeal"]?.boolValue ?? false,
            "prune": app["prune"]?.boolValue ?? false, "suspended": app["suspended"]?.boolValue ?? false,
            "conditions": (app["conditions"]?.arrayValue ?? []).map(condition),
        ]
        if let pinned = app["pinned"], !pinned.isNull {
            let pinnedRevision = text(pinned["revision"])
            row["pinned"] = [
                "historyID": number(pinned["historyID"]), "revision": pinnedRevision, "revisionShort": StatusStyle.shortRevision(pinnedRevision),
            ]
        }
        row.merge(delivery(app["delivery"])) { $1 }
        if let last = app["lastSync"], !last.isNull {
            let result = text(last["result"])
            row["lastSync"] = [
                "initiator": text(last["initiator"]), "result": result, "resultClass": StatusStyle.badge(result),
                "summary": text(last["summary"]), "message": text(last["message"]),
                "finishedAt": text(last["finishedAt"]), "age": StatusStyle.age(of: text(last["finishedAt"]), now: now),
            ]
        }
        return row
    }

    /// The list page: rows, filter values, and the choices of the filter menus.
    func list(_ answer: JSONValue, filter: ApplicationFilter, clusters: JSONValue? = nil, notifications: JSONValue? = nil) -> [String: Any] {
        let rows = (answer["items"]?.arrayValue ?? []).map(summary)
        return [
            "clusters": (clusters?["items"]?.arrayValue ?? []).map(cluster),
            "alerts": (notifications?["alerts"]?.arrayValue ?? []).map(alert),
            "applications": rows, "count": rows.count, "filtered": filter != ApplicationFilter(), "q": filter.text,
            "syncOptions": options(SyncStatus.allCases.map(\.rawValue), selected: filter.sync),
            "healthOptions": options(["Healthy", "Progressing", "Degraded", "Suspended", "Missing", "Unknown"], selected: filter.health),
            "fragmentURL": "/?" + fragmentQuery(filter),
        ]
    }

    /// The application page: the summary, actions, resource tree, diffs and history.
    func detail(app: JSONValue, resources: JSONValue, diff: JSONValue, history: JSONValue) -> [String: Any] {
        var page = summary(app)
        let reference = ApplicationReference(namespace: page["namespace"] as? String ?? "", name: page["name"] as? String ?? "")
        let operate = canOperate(reference)
        page["canOperate"] = operate
        page["drift"] = (app["drift"]?.arrayValue ?? []).map(text)
        page["fragmentURL"] = (page["url"] as? String ?? "/") + "?fragment=1"
        page["kinds"] = resourceGroups(resources["items"]?.arrayValue ?? [])
        let diffs = (diff["items"]?.arrayValue ?? []).map(diffItem)
        page["diffs"] = diffs
        page["diffCount"] = diffs.count
        let current = page["revision"] as? String ?? ""
        let pinnedID = number(history["pinned"]?["historyID"])
        var liveMarked = false
        page["history"] = (history["items"]?.arrayValue ?? []).reversed().map { entry -> [String: Any] in
            let revision = text(entry["revision"])
            // Only the newest entry of the live revision is the one live.
            let live = !liveMarked && !revision.isEmpty && revision == current
            if live { liveMarked = true }
            let result = text(entry["result"])
            let id = number(entry["id"])
            return [
                "id": id, "revision": revision, "revisionShort": StatusStyle.shortRevision(revision),
                "deployedAt": text(entry["deployedAt"]), "age": StatusStyle.age(of: text(entry["deployedAt"]), now: now),
                "initiator": text(entry["initiator"]), "result": result, "resultClass": StatusStyle.badge(result),
                "message": text(entry["message"]), "live": live,
                "pinned": !id.isEmpty && id == pinnedID, "canRollback": operate,
            ]
        }
        return page
    }

    // MARK: Parts

    /// A registered cluster: whether it answered its last check (unknown before the first).
    private func cluster(_ item: JSONValue) -> [String: Any] {
        let reachable = item["reachable"]?.boolValue
        return [
            "name": text(item["name"]), "server": text(item["server"]), "message": text(item["message"]),
            "applications": number(item["applications"]),
            "reachable": reachable.map { $0 ? "Reachable" : "Unreachable" } ?? "Unknown",
            "reachableClass": reachable.map { $0 ? "ok" : "bad" } ?? "muted",
        ]
    }

    /// A notification Alert: its Provider, whether it delivers, and its last delivery.
    private func alert(_ item: JSONValue) -> [String: Any] {
        let ready = item["ready"]?["status"]?.stringValue
        let last = item["lastDelivery"]
        return [
            "name": text(item["namespace"]) + "/" + text(item["name"]), "provider": text(item["provider"]),
            "ready": ready == "True" ? "Delivering" : ready == "False" ? text(item["ready"]?["reason"]) : "Waiting",
            "readyClass": ready == "True" ? "ok" : ready == "False" ? "bad" : "muted", "message": text(item["ready"]?["message"]),
            "last": last.map { "\(text($0["event"])) \(text($0["application"])) \(text($0["result"]))" } ?? "",
            "lastTime": text(last?["time"]),
        ]
    }

    private func resourceGroups(_ items: [JSONValue]) -> [[String: Any]] {
        var order: [String] = []
        var groups: [String: [[String: Any]]] = [:]
        for item in items {
            let kind = text(item["kind"])
            let health = item["health"]?["status"]?.stringValue ?? ""
            let sync = text(item["sync"])
            if groups[kind] == nil { order.append(kind) }
            groups[kind, default: []].append([
                "name": text(item["name"]), "namespace": text(item["namespace"]), "group": text(item["group"]),
                "version": text(item["version"]), "health": health, "healthClass": StatusStyle.badge(health),
                "healthMessage": text(item["health"]?["message"]), "sync": sync, "syncClass": StatusStyle.badge(sync),
                "fields": (item["fields"]?.arrayValue ?? []).map(text),
            ])
        }
        return order.sorted().map { kind in ["kind": kind, "count": groups[kind]?.count ?? 0, "items": groups[kind] ?? []] }
    }

    private func diffItem(_ item: JSONValue) -> [String: Any] {
        let namespace = text(item["namespace"])
        let title = text(item["kind"]) + "/" + (namespace.isEmpty ? "" : namespace + "/") + text(item["name"])
        let sync = text(item["sync"])
        let lines = text(item["diff"]).split(separator: "\n", omittingEmptySubsequences: false).map { line -> [String: Any] in
            let kind: String
            if line.hasPrefix("+++") || line.hasPrefix("---") {
                kind = "file"
            } else if line.hasPrefix("@@") {
                kind = "hunk"
            } else if line.hasPrefix("+") {
                kind = "add"
            } else if line.hasPrefix("-") {
                kind = "del"
            } else {
                kind = "ctx"
            }
            return ["text": String(line), "kind": kind]
        }
        return ["title": title, "sync": sync, "syncClass": StatusStyle.badge(sync), "lines": lines]
    }

    private func condition(_ value: JSONValue) -> [String: Any] {
        let status = text(value["status"])
        let type = text(value["type"])
        // A condition naming a problem (SyncError, ...) is bad when true; others are neutral.
        let problem = ["Error", "Failed", "Stalled", "Invalid"].contains { type.contains($0) }
        return [
            "type": type, "status": status, "statusClass": status == "True" && problem ? "bad" : "muted",
            "reason": text(value["reason"]), "message": text(value["message"]),
        ]
    }

    private func options(_ values: [String], selected: String) -> [[String: Any]] {
        values.map { ["value": $0, "selected": $0 == selected] }
    }

    private func fragmentQuery(_ filter: ApplicationFilter) -> String {
        [("sync", filter.sync), ("health", filter.health), ("q", filter.text)]
            .filter { !$0.1.isEmpty }
            .map { "\($0.0)=\(URLComponent.encode($0.1))&" }
            .joined() + "fragment=1"
    }

    private func text(_ value: JSONValue?) -> String { value?.displayText ?? "" }

    private func number(_ value: JSONValue?) -> String {
        if case .number(let n)? = value { return n.description }
        return text(value)
    }
}
