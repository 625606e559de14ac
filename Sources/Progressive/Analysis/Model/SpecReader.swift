import KeelsonFoundation
import Manifests

/// Typed reads of one JSON object of a spec, each refusal naming the field's path.
struct SpecReader {
    /// The object read.
    let object: JSONObject
    /// Its path, e.g. `spec.metrics[0]`.
    let path: String

    /// Reads `value` at `path` as an object.
    init(_ value: JSONValue?, path: String) throws(AnalysisSpecError) {
        guard let object = value?.objectValue else {
            throw AnalysisSpecError(.invalidField, path: path, "must be an object, not \(value?.typeName ?? "missing")")
        }
        self.object = object
        self.path = path
    }

    /// The path of member `key`.
    func at(_ key: String) -> String { path.isEmpty ? key : "\(path).\(key)" }

    /// Refuses members other than `known`, so a misspelt or foreign field (Argo's
    /// `successCondition`) is not silently ignored.
    func refuseUnknown(_ known: Set<String>) throws(AnalysisSpecError) {
        if let key = object.keys.first(where: { !known.contains($0) }) {
            throw AnalysisSpecError(.invalidField, path: at(key), "is not a field here (known: \(known.sorted().joined(separator: ", ")))")
        }
    }

    /// Whether member `key` is present and not null.
    func has(_ key: String) -> Bool { object[key].map { !$0.isNull } ?? false }

    /// Member `key` as a string; nil when absent.
    func string(_ key: String) throws(AnalysisSpecError) -> String? {
        guard has(key) else { return nil }
        guard let text = object[key]?.stringValue else { throw typeError(key, "a string") }
        return text
    }

    /// Member `key` as a non-empty string, required.
    func requiredString(_ key: String) throws(AnalysisSpecError) -> String {
        guard let text = try string(key), !text.isEmpty else {
            throw AnalysisSpecError(.invalidField, path: at(key), "is required")
        }
        return text
    }

    /// Member `key` as a whole number of at least `minimum`; nil when absent.
    func int(_ key: String, minimum: Int = 0) throws(AnalysisSpecError) -> Int? {
        guard has(key) else { return nil }
        guard let value = object[key]?.intValue, let int = Int(exactly: value) else { throw typeError(key, "a whole number") }
        guard int >= minimum else { throw AnalysisSpecError(.invalidField, path: at(key), "must be at least \(minimum), not \(int)") }
        return int
    }

    /// Member `key` as a number; nil when absent.
    func double(_ key: String) throws(AnalysisSpecError) -> Double? {
        guard has(key) else { return nil }
        guard let value = object[key]?.doubleValue else { throw typeError(key, "a number") }
        return value
    }

    /// Member `key` as a positive Go duration (`30s`, `1m30s`); nil when absent.
    func duration(_ key: String, allowZero: Bool = false) throws(AnalysisSpecError) -> Duration? {
        guard let text = try string(key) else { return nil }
        guard let duration = GoDuration.parse(text) else {
            throw AnalysisSpecError(.invalidField, path: at(key), "\"\(text)\" is not a duration (write it as Go does: 30s, 5m, 1h30m)")
        }
        guard duration > .zero || (allowZero && duration == .zero) else {
            throw AnalysisSpecError(.invalidField, path: at(key), "must be longer than 0s")
        }
        return duration
    }

    /// Member `key` as a map of strings; empty when absent.
    func stringMap(_ key: String) throws(AnalysisSpecError) -> [String: String] {
        guard has(key) else { return [:] }
        let map = try SpecReader(object[key], path: at(key))
        var result: [String: String] = [:]
        for (name, value) in map.object {
            guard let text = value.stringValue else { throw map.typeError(name, "a string") }
            result[name] = text
        }
        return result
    }

    /// Member `key` as an array; empty when absent.
    func array(_ key: String) throws(AnalysisSpecError) -> [JSONValue] {
        guard has(key) else { return [] }
        guard let items = object[key]?.arrayValue else { throw typeError(key, "an array") }
        return items
    }

    /// Parses member `key` as a text with tags of `vocabulary`; nil when absent.
    func text(_ key: String, vocabulary: TagTemplate.Vocabulary) throws(AnalysisSpecError) -> AnalysisText? {
        guard let text = try string(key) else { return nil }
        return try AnalysisText(text, path: at(key), vocabulary: vocabulary)
    }

    /// The error for member `key` having the wrong type.
    func typeError(_ key: String, _ expected: String) -> AnalysisSpecError {
        AnalysisSpecError(.invalidField, path: at(key), "must be \(expected), not \(object[key]?.typeName ?? "missing")")
    }
}
