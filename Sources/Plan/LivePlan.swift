import Manifests

/// The head compared with a live cluster: what a sync would do now, with each changing object
/// tried by a server-side dry run. Not deterministic (the cluster moves), so it is kept apart
/// from the base-vs-head plan.
public struct LivePlan: Sendable, Hashable {
    /// One entry per Application rendered at the head, in plan order.
    public var applications: [LiveApplication]

    /// Whether a dry run refused an object or an Application could not be compared.
    public var fails: Bool { applications.contains { $0.error != nil || $0.objects.contains { $0.willFail != nil } } }
}

/// One Application's live comparison.
public struct LiveApplication: Sendable, Hashable {
    public var namespace: String
    public var name: String
    /// The objects a sync would create, update or prune now.
    public var objects: [LiveObject]
    /// Why the comparison could not be made.
    public var error: String?
    /// Why it was not made (another cluster), which is no failure.
    public var note: String? = nil

    public var id: String { "\(namespace)/\(name)" }
}

/// One object a sync of the head would touch.
public struct LiveObject: Sendable, Hashable {
    /// What a sync would do.
    public enum Action: String, Sendable, Hashable { case create, update, prune }

    public var key: ResourceKey
    public var action: Action
    /// Whether this change is the pull request's (the object differs between base and head).
    public var fromChange: Bool
    /// Fields where the cluster already differs from the base: drift, not from this change.
    public var drift: [String]
    /// Managers that last wrote the drifted fields (from `managedFields`).
    public var driftManagers: [String]
    /// The API server's refusal of a dry-run apply.
    public var willFail: String?
    /// A unified diff of the live object against the head, Secret values masked.
    public var diff: String

    /// `/spec/replicas` as `spec.replicas`.
    static func dotted(_ pointer: String) -> String {
        pointer.split(separator: "/").map { $0.replacing("~1", with: "/").replacing("~0", with: "~") }.joined(separator: ".")
    }

    /// `will change`, `drift (not from this change)`, `will fail: …`, as the plan prints them.
    public var labels: [String] {
        var labels: [String] = []
        if fromChange { labels.append("will \(action == .prune ? "prune" : action == .create ? "create" : "change")") }
        if !drift.isEmpty {
            let by = driftManagers.isEmpty ? "" : " by " + driftManagers.joined(separator: ", ")
            labels.append("drift (not from this PR): \(drift.joined(separator: ", "))\(by)")
        }
        if !fromChange && drift.isEmpty { labels.append("will \(action.rawValue) (not from this PR)") }
        if let willFail { labels.append("will fail: \(willFail)") }
        return labels
    }
}

extension LivePlan {
    /// The live section of the Markdown body: one row per object a sync would touch.
    var markdown: String {
        var out = "#### Live: the head against the cluster (not deterministic: the cluster moves)\n\n"
        let rows = applications.flatMap { app in app.objects.map { (app, $0) } }
        if rows.isEmpty && !applications.contains(where: { $0.error != nil || $0.note != nil }) {
            return out + "A sync of the head would change nothing.\n\n"
        }
        if !rows.isEmpty {
            out += "| application | object | |\n|---|---|---|\n"
            for (app, object) in rows {
                let label = Plan.inline(object.labels.joined(separator: " · ")).replacing("|", with: "\\|")
                out += "| \(Plan.inline(app.id)) | \(Plan.inline("\(object.key.kind) \(PlanRules.name(object.key))")) | \(label) |\n"
            }
            out += "\n"
        }
        for app in applications where app.error != nil {
            out += "- ❌ **\(Plan.inline(app.id)) · live comparison failed: \(Plan.inline(app.error!))**\n"
        }
        for app in applications where app.note != nil { out += "- \(Plan.inline(app.id)) · not compared live: \(Plan.inline(app.note!))\n" }
        return out + "\n"
    }

    /// The live section of the text output.
    var text: String {
        var out = "Live (the head against the cluster):\n"
        for app in applications {
            if let error = app.error { out += "✗ \(app.id): \(error)\n" }
            if let note = app.note { out += "  \(app.id): not compared live: \(note)\n" }
            for object in app.objects { out += "  \(app.id) ► \(object.key): \(object.labels.joined(separator: "; "))\n" }
        }
        return out
    }

    var json: JSONValue {
        .object([
            "applications": .array(
                applications.map { app in
                    .object([
                        "namespace": .string(app.namespace), "name": .string(app.name), "error": app.error.map(JSONValue.string) ?? .null,
                        "note": app.note.map(JSONValue.string) ?? .null,
                        "objects": .array(
                            app.objects.map { object in
                                .object([
                                    "key": .string(object.key.description), "action": .string(object.action.rawValue),
                                    "fromChange": .bool(object.fromChange), "drift": .array(object.drift.map(JSONValue.string)),
                                    "driftManagers": .array(object.driftManagers.map(JSONValue.string)),
                                    "willFail": object.willFail.map(JSONValue.string) ?? .null, "labels": .array(object.labels.map(JSONValue.string)),
                                    "diff": .string(object.diff),
                                ])
                            }),
                    ])
                })
        ])
    }
}
