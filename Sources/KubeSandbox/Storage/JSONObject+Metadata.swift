import Foundation
import Manifests

extension JSONObject {
    /// `metadata`, or an empty object.
    var metadata: JSONObject {
        get { self["metadata"]?.objectValue ?? [:] }
        set { self["metadata"] = .object(newValue) }
    }

    /// A string field of `metadata`.
    func meta(_ field: String) -> String? { metadata[field]?.stringValue }

    /// Sets or removes a field of `metadata`.
    mutating func setMeta(_ field: String, _ value: JSONValue?) {
        var meta = metadata
        meta[field] = value
        metadata = meta
    }

    /// `metadata.name`, or `""`.
    var name: String { meta("name") ?? "" }
    /// `metadata.namespace`, or `""`.
    var namespace: String { meta("namespace") ?? "" }
    /// `metadata.labels` as strings.
    var labels: [String: String] {
        var result: [String: String] = [:]
        for (key, value) in metadata["labels"]?.objectValue ?? [:] { result[key] = value.stringValue ?? "" }
        return result
    }
    /// `metadata.annotations` as strings.
    var annotations: [String: String] {
        var result: [String: String] = [:]
        for (key, value) in metadata["annotations"]?.objectValue ?? [:] { result[key] = value.stringValue ?? "" }
        return result
    }

    /// Sets one annotation, creating the map if needed.
    mutating func setAnnotation(_ key: String, _ value: String) {
        var annotations = metadata["annotations"]?.objectValue ?? [:]
        annotations[key] = .string(value)
        setMeta("annotations", .object(annotations))
    }

    /// `metadata.finalizers`.
    var finalizers: [String] { metadata["finalizers"]?.arrayValue?.compactMap(\.stringValue) ?? [] }
    /// `metadata.resourceVersion` as a number.
    var resourceVersion: Int64? { meta("resourceVersion").flatMap { Int64($0) } }
    /// Whether `metadata.deletionTimestamp` is set.
    var isTerminating: Bool { metadata["deletionTimestamp"] != nil }
}

extension JSONValue {
    /// An integer JSON value.
    static func int(_ value: Int64) -> JSONValue { .number(JSONNumber(value)) }
    /// An integer JSON value.
    static func int(_ value: Int) -> JSONValue { .number(JSONNumber(Int64(value))) }
}

/// Kubernetes timestamps: RFC 3339 in UTC with second precision.
enum Timestamp {
    /// `date` as the API server writes it.
    static func string(_ date: Date) -> String { date.formatted(.iso8601) }
    /// Parses a timestamp written by `string(_:)`.
    static func date(_ text: String) -> Date? { try? Date(text, strategy: .iso8601) }
}
