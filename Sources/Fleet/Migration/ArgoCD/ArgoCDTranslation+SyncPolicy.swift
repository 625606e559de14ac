import KeelsonFoundation
import Manifests

extension ArgoCDTranslation {
    /// What becomes of each Argo CD sync option (`Name=value`) in Keelson.
    enum SyncOptionFate: Equatable {
        /// Written to `spec.syncPolicy.syncOptions` as is.
        case carried
        /// What Keelson always does: nothing to write.
        case implied
        /// Reported, with the reason.
        case reported(String)
    }

    /// Policy as data: the options Keelson implements or always does.
    static let syncOptionFates: [String: SyncOptionFate] = [
        "CreateNamespace=true": .carried,
        "CreateNamespace=false": .implied,
        "ServerSideApply=true": .implied,
        "ServerSideApply=false": .reported("Keelson always applies server-side"),
        "FailOnSharedResource=true": .implied,
        "FailOnSharedResource=false": .implied,
        "Validate=true": .implied,
        "Prune=true": .implied,
    ]

    /// The fate of one sync option.
    static func fate(ofSyncOption option: String) -> SyncOptionFate {
        syncOptionFates[option]
            ?? .reported(
                "not an Application-wide option Keelson implements (per object, the annotation keelson.dev/sync-options takes Prune, Replace, Force and CreateOnly)"
            )
    }

    static func syncPolicy(_ value: JSONValue?, object: inout ObjectTranslation) throws(TranslationFailure) -> JSONObject {
        var fields = try object.fields(value, "spec.syncPolicy")
        var result: JSONObject = [:]
        if let automated = fields.take("automated") {
            var auto = try object.fields(automated, "spec.syncPolicy.automated")
            if try object.bool(auto.take("enabled"), auto.path("enabled")) ?? true {
                var keelson: JSONObject = [:]
                for key in ["prune", "selfHeal", "allowEmpty"] where try object.bool(auto.take(key), auto.path(key)) == true { keelson[key] = true }
                result["automated"] = .object(keelson)
            }
            object.reportLeftovers(auto)
        }
        var options: [JSONValue] = []
        for (index, option) in try object.strings(fields.take("syncOptions"), "spec.syncPolicy.syncOptions").enumerated() {
            switch fate(ofSyncOption: option) {
            case .carried: options.append(.string(option))
            case .implied: continue
            case .reported(let reason): object.report("spec.syncPolicy.syncOptions[\(index)]", "\(option): \(reason)")
            }
        }
        if !options.isEmpty { result["syncOptions"] = .array(options) }
        // Without `retry`, Argo CD does not try a failed sync again; Keelson would, five times.
        result["retry"] = .object(try retry(fields.take("retry"), object: &object))
        if fields.has("managedNamespaceMetadata") {
            object.report("spec.syncPolicy.managedNamespaceMetadata", "Keelson creates the namespace without extra labels or annotations")
        }
        object.reportLeftovers(fields)
        return result
    }

    private static func retry(_ value: JSONValue?, object: inout ObjectTranslation) throws(TranslationFailure) -> JSONObject {
        var fields = try object.fields(value, "spec.syncPolicy.retry")
        var limit = try object.int(fields.take("limit"), fields.path("limit")) ?? 0
        if limit < 0 || limit > 100 {
            object.report(fields.path("limit"), "\(limit < 0 ? "unlimited retries" : "\(limit)") is beyond Keelson's limit: 100 retries were written")
            limit = 100
        }
        var result: JSONObject = ["limit": .number(JSONNumber(Int64(limit)))]
        var backoff = try object.fields(fields.take("backoff"), fields.path("backoff"))
        var keelson: JSONObject = [:]
        for key in ["duration", "maxDuration"] {
            guard var text = try object.string(backoff.take(key), backoff.path(key)), !text.isEmpty else { continue }
            // Argo CD reads a bare number as seconds.
            if Int(text) != nil { text += "s" }
            guard GoDuration.parse(text) != nil else { throw object.failure(backoff.path(key), "\(text) is not a duration") }
            keelson[key] = .string(text)
        }
        if let factor = try object.int(backoff.take("factor"), backoff.path("factor")) {
            keelson["factor"] = .number(JSONNumber(Int64(min(max(factor, 1), 10))))
            if factor < 1 || factor > 10 {
                object.report(backoff.path("factor"), "Keelson's factor is from 1 to 10: \(min(max(factor, 1), 10)) was written")
            }
        }
        if !keelson.isEmpty { result["backoff"] = .object(keelson) }
        object.reportLeftovers(backoff)
        object.reportLeftovers(fields)
        return result
    }

    static func ignoreDifferences(_ value: JSONValue?, object: inout ObjectTranslation) throws(TranslationFailure) -> [JSONValue] {
        var result: [JSONValue] = []
        for (index, item) in try object.array(value, "spec.ignoreDifferences").enumerated() {
            var fields = try object.fields(item, "spec.ignoreDifferences[\(index)]")
            var entry: JSONObject = [:]
            for key in ["group", "kind", "name", "namespace"] {
                if let text = try object.string(fields.take(key), fields.path(key)), !text.isEmpty { entry[key] = .string(text) }
            }
            let pointers = try object.strings(fields.take("jsonPointers"), fields.path("jsonPointers"))
            for key in ["jqPathExpressions", "managedFieldsManagers"] where fields.has(key) {
                _ = fields.take(key)
                object.report(fields.path(key), "Keelson ignores differences by JSON pointer only")
            }
            object.reportLeftovers(fields)
            guard !pointers.isEmpty else { continue }
            guard entry["kind"] != nil, entry["kind"] != "*" else {
                object.report(fields.path("kind"), "Keelson ignores differences of one kind per entry: the entry was left out")
                continue
            }
            entry["jsonPointers"] = .array(pointers.map { .string($0) })
            result.append(.object(entry))
        }
        return result
    }
}
