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
    /// The functions templates may call, each within `TemplateBounds`.
    static let functions: [String: GoFunction] = {
        var map = HelmFunctions.sprig()
        map.merge(HelmSerialization.functions) { first, _ in first }
        return TemplateBounds.bounded(map)
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
        let total =
            rendered.data.reduce(0) { $0 + $1.key.utf8.count + $1.value.count }
            + (rendered.labels.merging(rendered.annotations) { first, _ in first }).reduce(0) { $0 + $1.key.utf8.count + $1.value.utf8.count }
        guard total <= TemplateBounds.maximumBytes else {
            throw SecretRenderError(field: "spec.target.template", message: "the rendered Secret exceeds \(TemplateBounds.maximumBytes) bytes")
        }
        return rendered
    }

    static func execute(_ text: String, field: String, data: Value, values: [String: [UInt8]]) throws(SecretRenderError) -> String {
        let limits = ExecutionLimits(maxDepth: 1000, deadline: .now + .seconds(5), maxOutputBytes: TemplateBounds.maximumBytes)
        var set = TemplateSet(name: field, functions: functions, limits: limits)
        do {
            try set.parse(name: field, text: text)
            return try set.execute(name: field, data: data, missingKey: .error)
        } catch let error as TemplateParseError {
            // A parse error quotes the template's text, never a value; masked all the same.
            throw SecretRenderError(field: field, message: Redaction.redact("line \(error.line): \(error.message)", values: values))
        } catch let error as TemplateExecError {
            throw SecretRenderError(field: field, message: Redaction.redact(describe(error), values: values))
        } catch {
            throw SecretRenderError(field: field, message: "the template failed")
        }
    }

    /// Where an execution failed and in which function, without the function's own error text:
    /// a function's error can quote its argument transformed (`upper`, `b64enc`, a host name
    /// lookup) past any masking of the values. Only Keelson's own texts (a bound, a missing key,
    /// the time limit) are passed on.
    static func describe(_ error: TemplateExecError) -> String {
        let place = [error.location, error.context.map { "at <\($0)>" }].compactMap { $0 }.joined(separator: " ")
        let prefix = place.isEmpty ? "" : place + ": "
        if let refusal = error.underlying as? TemplateBounds.Refusal { return prefix + refusal.message }
        let message = error.message
        if message.hasPrefix("error calling ") {
            let function = message.dropFirst("error calling ".count).prefix { $0 != ":" }
            return prefix + "calling \(function) failed (its error is withheld: it could quote a secret value)"
        }
        let ownTexts = ["map has no entry for key", "template execution exceeded", "template output exceeds", "nil data", "no such template"]
        if ownTexts.contains(where: message.hasPrefix) { return prefix + message }
        return prefix + "execution failed (details withheld: they could quote a secret value)"
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
