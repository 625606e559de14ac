import Manifests

/// An invalid `ImagePolicy`, `ImageRepository` or `ImageUpdateAutomation`, naming the object
/// and the field.
public struct ImageResourceError: Error, Sendable, Hashable, CustomStringConvertible {
    /// `Kind namespace/name` (or the file, when the object has no name).
    public var object: String
    /// The field, e.g. `spec.policy.semver.range`.
    public var field: String
    /// What is wrong.
    public var message: String

    /// Creates an error.
    public init(object: String, field: String, message: String) {
        self.object = object
        self.field = field
        self.message = message
    }

    public var description: String { "\(object): \(field): \(message)" }
}

/// Strict reads of one object's fields: unknown fields and wrong types fail naming the field.
struct ResourceReader {
    let object: String

    /// Starts reading `manifest`, whose namespace defaults to `defaultNamespace`.
    init(_ manifest: Manifest, defaultNamespace: String) {
        let namespace = manifest.namespace.isEmpty ? defaultNamespace : manifest.namespace
        object =
            manifest.name.isEmpty
            ? "\(manifest.kind) in \(manifest.source?.description ?? "<unnamed>")" : "\(manifest.kind) \(namespace)/\(manifest.name)"
    }

    func error(_ field: String, _ message: String) -> ImageResourceError {
        ImageResourceError(object: object, field: field, message: message)
    }

    /// The object at `field` (empty when absent), refusing keys outside `allowed`.
    func object(_ value: JSONValue?, _ field: String, allowed: Set<String>) throws(ImageResourceError) -> JSONObject {
        guard case .object(let fields) = value ?? .object([:]) else { throw error(field, "must be an object") }
        for key in fields.keys where !allowed.contains(key) {
            throw error(field + "." + key, "unknown field (known: \(allowed.sorted().joined(separator: ", ")))")
        }
        return fields
    }

    /// A string at most `limit` bytes long, or `nil` when absent.
    func string(_ value: JSONValue?, _ field: String, limit: Int = 1024) throws(ImageResourceError) -> String? {
        switch value {
        case nil, .null: return nil
        case .string(let text):
            guard text.utf8.count <= limit else { throw error(field, "is longer than \(limit) bytes") }
            return text
        default: throw error(field, "must be a string")
        }
    }

    /// A non-empty string.
    func required(_ value: JSONValue?, _ field: String, limit: Int = 1024) throws(ImageResourceError) -> String {
        guard let text = try string(value, field, limit: limit), !text.isEmpty else { throw error(field, "is required") }
        return text
    }

    func bool(_ value: JSONValue?, _ field: String) throws(ImageResourceError) -> Bool? {
        switch value {
        case nil, .null: return nil
        case .bool(let flag): return flag
        default: throw error(field, "must be true or false")
        }
    }

    /// `{name: X}` references, as Kubernetes writes `secretRef`.
    func nameReference(_ value: JSONValue?, _ field: String, allowNamespace: Bool = false) throws(ImageResourceError) -> (
        name: String, namespace: String?
    )? {
        guard let value, value != .null else { return nil }
        let fields = try object(value, field, allowed: allowNamespace ? ["name", "namespace"] : ["name"])
        return (try required(fields["name"], field + ".name", limit: 253), try string(fields["namespace"], field + ".namespace", limit: 63))
    }

    /// A duration such as `30s`, `5m` or `1h30m`, at least one second.
    func interval(_ value: JSONValue?, _ field: String) throws(ImageResourceError) -> Duration? {
        guard let text = try string(value, field, limit: 64) else { return nil }
        guard let duration = Interval.parse(text) else { throw error(field, "\"\(text)\" is not a duration such as 30s, 5m or 1h30m") }
        guard duration >= .seconds(1) else { throw error(field, "must be at least 1s") }
        return duration
    }
}

/// Kubernetes-style durations: a sequence of number-unit pairs (`1h30m`, `90s`, `1.5h`, `500ms`).
enum Interval {
    private static let seconds: [Substring: Double] = ["ms": 0.001, "s": 1, "m": 60, "h": 3600]

    static func parse(_ text: String) -> Duration? {
        guard let regex = try? Regex(#"([0-9]+(?:\.[0-9]+)?)(ms|s|m|h)"#) else { return nil }
        var total = 0.0
        var covered = 0
        for match in text.matches(of: regex) {
            guard match.range.lowerBound == text.index(text.startIndex, offsetBy: covered),
                let number = match.output[1].substring.flatMap({ Double($0) }), let unit = match.output[2].substring.flatMap({ seconds[$0] })
            else { return nil }
            total += number * unit
            covered += text[match.range].count
        }
        guard covered > 0, covered == text.count, total < 1e9 else { return nil }
        return .milliseconds(Int64((total * 1000).rounded()))
    }
}
