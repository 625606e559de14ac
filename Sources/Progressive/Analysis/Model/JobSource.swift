import KeelsonFoundation
import Manifests

/// A Kubernetes Job run per measurement: `job: {template: {metadata?, spec}}`, the Job's own
/// metadata and spec, as a CronJob's `jobTemplate`. Complete is Successful, Failed is Failed.
public struct JobSource: Sendable, Hashable {
    /// The Job's `metadata` (labels and annotations only) and `spec`, strings with tags.
    public var template: JSONObject

    /// Reads `job` at `path`, checking every string of the template against `vocabulary`.
    init(_ value: JSONValue?, path: String, vocabulary: TagTemplate.Vocabulary) throws(AnalysisSpecError) {
        let reader = try SpecReader(value, path: path)
        try reader.refuseUnknown(["template"])
        let body = try SpecReader(reader.object["template"], path: reader.at("template"))
        try body.refuseUnknown(["metadata", "spec"])
        if body.has("metadata") {
            try SpecReader(body.object["metadata"], path: body.at("metadata")).refuseUnknown(["labels", "annotations"])
        }
        let spec = try SpecReader(body.object["spec"], path: body.at("spec"))
        _ = try SpecReader(spec.object["template"], path: spec.at("template"))
        try Self.checkTags(.object(body.object), path: body.path, vocabulary: vocabulary)
        template = body.object
    }

    /// Parses every string under `value` as a template, so an unknown tag is refused now.
    private static func checkTags(_ value: JSONValue, path: String, vocabulary: TagTemplate.Vocabulary) throws(AnalysisSpecError) {
        switch value {
        case .string(let text) where text.contains("{{"):
            _ = try AnalysisText(text, path: path, vocabulary: vocabulary)
        case .array(let items):
            for (index, item) in items.enumerated() { try checkTags(item, path: "\(path)[\(index)]", vocabulary: vocabulary) }
        case .object(let object):
            for (key, item) in object { try checkTags(item, path: "\(path).\(key)", vocabulary: vocabulary) }
        default: break
        }
    }

    /// The tags every string of `value` uses.
    static func tags(in value: JSONValue) -> Set<String> {
        switch value {
        case .string(let text): AnalysisText.tags(in: text)
        case .array(let items): items.reduce(into: []) { $0.formUnion(tags(in: $1)) }
        case .object(let object): object.reduce(into: []) { $0.formUnion(tags(in: $1.value)) }
        default: []
        }
    }

    /// The template with every string's tags filled from `values`.
    func rendered(_ values: [String: String], vocabulary: TagTemplate.Vocabulary) -> JSONObject {
        Self.render(.object(template), values, vocabulary: vocabulary).objectValue ?? [:]
    }

    private static func render(_ value: JSONValue, _ values: [String: String], vocabulary: TagTemplate.Vocabulary) -> JSONValue {
        switch value {
        case .string(let text) where text.contains("{{"):
            // Checked when read, so this parses; a failure leaves the text as written.
            return .string((try? TagTemplate(text, vocabulary: vocabulary))?.render(values) ?? text)
        case .array(let items): return .array(items.map { render($0, values, vocabulary: vocabulary) })
        case .object(var object):
            for key in object.keys { object[key] = render(object[key] ?? .null, values, vocabulary: vocabulary) }
            return .object(object)
        default: return value
        }
    }
}
