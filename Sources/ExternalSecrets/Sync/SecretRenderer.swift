import Foundation
import GoTemplate
import Helm

/// What the target Secret should hold: its type, metadata and data.
public struct RenderedSecret: Sendable, Hashable {
    /// The Secret's `type` (`Opaque` unless the template says otherwise).
    public var type = "Opaque"
    /// Labels from the template.
    public var labels: [String: String] = [:]
    /// Annotations from the template.
    public var annotations: [String: String] = [:]
    /// The data.
    public var data: [String: [UInt8]] = [:]

    /// Creates a rendering.
    public init(type: String = "Opaque", labels: [String: String] = [:], annotations: [String: String] = [:], data: [String: [UInt8]] = [:]) {
        self.type = type
        self.labels = labels
        self.annotations = annotations
        self.data = data
    }
}

/// `target.template` with ESO's engine v2: Go templates over the fetched values (each a string
/// under its key, `{{ .password }}`), with Sprig's functions as Helm has them (`env` and
/// `expandenv` removed) and `toYaml`, `fromYaml`, `toJson`, `fromJson`. A missing key is an error,
/// as ESO sets `missingkey=error`.
public enum SecretRenderer {
    /// The functions templates may call.
    static let functions: [String: GoFunction] = {
        var map = HelmFunctions.sprig()
        map.merge(HelmSerialization.functions) { first, _ in first }
        return map
    }()

    /// The Secret `externalSecret` asks for, from `values`. Errors never hold a value.
    public static func render(_ externalSecret: ExternalSecret, values: [String: [UInt8]]) throws(SecretRenderError) -> RenderedSecret {
        guard let template = externalSecret.target.template else { return RenderedSecret(data: values) }
        var rendered = RenderedSecret(type: template.type ?? "Opaque")
        if template.data.isEmpty || template.mergePolicy == .merge { rendered.data = values }
        var dot: [String: Value] = [:]
        for (key, value) in values { dot[key] = .string(GoString.decode(value)) }
        let data = Value.map(dot)
        for (key, text) in template.data {
            rendered.data[key] = GoString.bytes(try execute(text, field: "spec.target.template.data.\(key)", data: data, values: values))
        }
        for (key, text) in template.labels {
            rendered.labels[key] = try execute(text, field: "spec.target.template.metadata.labels.\(key)", data: data, values: values)
        }
        for (key, text) in template.annotations {
            rendered.annotations[key] = try execute(text, field: "spec.target.template.metadata.annotations.\(key)", data: data, values: values)
        }
        return rendered
    }

    static func execute(_ text: String, field: String, data: Value, values: [String: [UInt8]]) throws(SecretRenderError) -> String {
        var set = TemplateSet(name: field, functions: functions, limits: ExecutionLimits(maxDepth: 1000, deadline: .now + .seconds(5)))
        do {
            try set.parse(name: field, text: text)
            return try set.execute(name: field, data: data, missingKey: .error)
        } catch let error as TemplateParseError {
            throw SecretRenderError(field: field, message: Redaction.redact("\(error)", values: values))
        } catch {
            // A function's error can quote its argument (`strconv.Atoi: parsing "…"`): values are masked.
            throw SecretRenderError(field: field, message: Redaction.redact("\(error)", values: values))
        }
    }
}

/// A template that cannot be rendered, naming the field; values it might quote are masked.
public struct SecretRenderError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The template's field, e.g. `spec.target.template.data.url`.
    public var field: String
    /// What went wrong.
    public var message: String
    public var description: String { "\(field): \(message)" }
}

/// Masks secret values in text bound for a status, an event or a log line.
public enum Redaction {
    /// `text` with every occurrence of a value (of at least 3 bytes, and its lines) replaced by `***`.
    public static func redact(_ text: String, values: [String: [UInt8]]) -> String {
        var out = text
        var needles: Set<String> = []
        for value in values.values {
            let string = String(decoding: value, as: UTF8.self)
            needles.insert(string)
            for line in string.split(whereSeparator: \.isNewline) { needles.insert(String(line)) }
        }
        for needle in needles.sorted(by: { $0.utf8.count > $1.utf8.count }) where needle.utf8.count >= 3 {
            out = out.replacingOccurrences(of: needle, with: "***")
        }
        return out
    }
}
