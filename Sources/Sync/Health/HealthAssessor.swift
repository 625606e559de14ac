import Manifests

/// Assesses object health with kstatus' rules (sigs.k8s.io/cli-utils/pkg/kstatus): generic
/// checks first (deletion, observed generation, `Reconciling`/`Stalled` conditions), then a rule
/// per built-in kind, else the object is current. Keelson adds `Ready`-condition handling for
/// custom resources and reports paused and suspended workloads as Suspended.
public enum HealthAssessor {
    /// The health of `live`; `nil` means the object does not exist.
    public static func assess(_ live: Manifest?) -> ObjectHealth {
        guard let live else { return ObjectHealth(.notFound, .missing, "Resource not found") }
        let view = ObjectView(live)
        if let generic = genericHealth(view) { return generic }
        if let rule = KindRules.rules[live.group.isEmpty ? live.kind : "\(live.group)/\(live.kind)"] {
            return rule(view)
        }
        return ObjectHealth(.current, .healthy, "Resource is current")
    }

    static func genericHealth(_ view: ObjectView) -> ObjectHealth? {
        if let deletion = view.string("metadata", "deletionTimestamp"), !deletion.isEmpty {
            return ObjectHealth(.terminating, .progressing, "Resource scheduled for deletion")
        }
        if let generation = view.int("metadata", "generation"), let observed = view.int("status", "observedGeneration"),
            generation != observed
        {
            return inProgress("\(view.kind) generation is \(generation), but latest observed generation is \(observed)")
        }
        for condition in view.conditions {
            if condition.type == "Reconciling" && condition.status == "True" {
                return inProgress(condition.message.isEmpty ? "Reconciling" : condition.message)
            }
            if condition.type == "Stalled" && condition.status == "True" {
                return failed(condition.message.isEmpty ? "Stalled" : condition.message)
            }
        }
        // Custom resources that report a `Ready` condition (Flux, Crossplane, cert-manager...).
        if KindRules.rules[view.manifest.group.isEmpty ? view.kind : "\(view.manifest.group)/\(view.kind)"] == nil,
            let ready = view.conditions.first(where: { $0.type == "Ready" })
        {
            switch ready.status {
            case "True": return ObjectHealth(.current, .healthy, ready.message.isEmpty ? "Ready" : ready.message)
            case "False": return inProgress(ready.message.isEmpty ? "Not ready" : ready.message)
            default: return ObjectHealth(.unknown, .unknown, "Ready condition is \(ready.status)")
            }
        }
        return nil
    }

    static func inProgress(_ message: String) -> ObjectHealth { ObjectHealth(.inProgress, .progressing, message) }
    static func failed(_ message: String) -> ObjectHealth { ObjectHealth(.failed, .degraded, message) }
    static func current(_ message: String) -> ObjectHealth { ObjectHealth(.current, .healthy, message) }
}

/// Read-only typed access to the fields health rules look at.
struct ObjectView {
    let manifest: Manifest
    init(_ manifest: Manifest) { self.manifest = manifest }

    var kind: String { manifest.kind }

    func value(_ path: [String]) -> JSONValue? { manifest.value[path: path] }
    func string(_ path: String...) -> String? { value(path)?.stringValue }
    func int(_ path: String...) -> Int64? { value(path)?.intValue }
    func int(_ path: String..., default fallback: Int64) -> Int64 { value(path)?.intValue ?? fallback }
    func bool(_ path: String...) -> Bool { value(path)?.boolValue ?? false }

    struct Condition {
        var type: String
        var status: String
        var reason: String
        var message: String
    }

    var conditions: [Condition] {
        (value(["status", "conditions"])?.arrayValue ?? []).map {
            Condition(
                type: $0["type"]?.stringValue ?? "", status: $0["status"]?.stringValue ?? "",
                reason: $0["reason"]?.stringValue ?? "", message: $0["message"]?.stringValue ?? "")
        }
    }

    func condition(_ type: String) -> Condition? { conditions.first { $0.type == type } }
}
