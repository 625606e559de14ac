import Foundation
import Manifests

/// What the API server does to objects before storing them: system metadata and per-kind defaults.
enum Admission {
    /// The first address handed to Services, as `10.96.0.0/12` clusters do.
    static let serviceNetworkPrefix = "10.96"

    /// Fills system metadata and kind defaults of a new object.
    static func prepareCreate(_ object: inout JSONObject, type: ResourceType, now: Date) {
        var meta = object.metadata
        for field in ["resourceVersion", "deletionTimestamp", "deletionGracePeriodSeconds", "selfLink"] {
            meta.entries.removeValue(forKey: field)
        }
        meta["uid"] = .string(UUID().uuidString.lowercased())
        meta["creationTimestamp"] = .string(Timestamp.string(now))
        if type.tracksGeneration { meta["generation"] = .int(1) } else { meta.entries.removeValue(forKey: "generation") }
        object.metadata = meta
        if type.hasStatus { object.entries.removeValue(forKey: "status") }
        switch (type.group, type.kind) {
        case ("", "Namespace"):
            var labels = object.metadata["labels"]?.objectValue ?? [:]
            labels["kubernetes.io/metadata.name"] = .string(object.name)
            object.setMeta("labels", .object(labels))
            if object["spec"]?["finalizers"] == nil { object["spec"] = ["finalizers": ["kubernetes"]] }
            object["status"] = ["phase": "Active"]
        case ("", "Secret"):
            if (object["type"]?.stringValue ?? "").isEmpty { object["type"] = "Opaque" }
        default:
            break
        }
    }

    /// Whether an update changes anything that bumps `metadata.generation` (all but metadata and status).
    static func specChanged(old: JSONObject, new: JSONObject) -> Bool {
        var lhs = old
        var rhs = new
        for field in ["metadata", "status", "apiVersion", "kind"] {
            lhs.entries.removeValue(forKey: field)
            rhs.entries.removeValue(forKey: field)
        }
        return lhs != rhs
    }

    /// Validates a name the way the API server validates DNS subdomain names.
    static func validateName(_ name: String, type: ResourceType) throws(APIError) {
        let allowed = name.allSatisfy { ($0.isLetter && $0.isLowercase && $0.isASCII) || $0.isNumber || $0 == "-" || $0 == "." }
        let edges = name.first.map { $0.isLetter || $0.isNumber } == true && name.last.map { $0.isLetter || $0.isNumber } == true
        guard allowed, edges, name.count <= 253 else {
            throw .invalid(
                type, name, field: "metadata.name",
                "Invalid value: \"\(name)\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric "
                    + "characters, '-' or '.', and must start and end with an alphanumeric character")
        }
    }
}
