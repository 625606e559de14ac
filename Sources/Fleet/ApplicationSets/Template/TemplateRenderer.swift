import Foundation
import GoTemplate
import Helm
import Manifests

/// Fills a template (every string, keys included) with one parameter set: `{{path.basename}}`
/// tags in fasttemplate mode (an unknown tag stays as it is, as Argo CD leaves it), Go templates
/// with Sprig's functions as Helm registers them (`env` and `expandenv` removed, every function
/// bounded as tenants' templates are) when `goTemplate` is set.
public struct TemplateRenderer: Sendable {
    /// Go templates instead of fasttemplate tags.
    public var goTemplate: Bool
    /// `missingkey=error`.
    public var missingKeyIsError: Bool
    /// The largest rendered string.
    public static let maximumStringBytes = 256 * 1024

    /// Creates a renderer.
    public init(goTemplate: Bool, missingKeyIsError: Bool = false) {
        self.goTemplate = goTemplate
        self.missingKeyIsError = missingKeyIsError
    }

    static let functions: [String: GoFunction] = {
        var map = HelmFunctions.sprig()
        map.merge(HelmSerialization.functions) { first, _ in first }
        return TemplateBounds.bounded(map)
    }()

    /// `value` with every string and key rendered with `parameters`; `field` names where the
    /// value sits, for errors.
    public func render(_ value: JSONValue, _ parameters: Parameters, field: String) throws(ApplicationSetError) -> JSONValue {
        let data = goTemplate ? Self.goValue(.object(parameters)) : .null
        return try render(value, parameters, data: data, field: field)
    }

    private func render(_ value: JSONValue, _ parameters: Parameters, data: Value, field: String) throws(ApplicationSetError) -> JSONValue {
        switch value {
        case .string(let text): return .string(try string(text, parameters, data: data, field: field))
        case .array(let items):
            var out: [JSONValue] = []
            for (index, item) in items.enumerated() { out.append(try render(item, parameters, data: data, field: "\(field)[\(index)]")) }
            return .array(out)
        case .object(let object):
            var out = JSONObject()
            for (key, item) in object {
                let renderedKey = try string(key, parameters, data: data, field: field + "." + key)
                out[renderedKey] = try render(item, parameters, data: data, field: field + "." + key)
            }
            return .object(out)
        default: return value
        }
    }

    /// One string rendered.
    public func string(_ text: String, _ parameters: Parameters, field: String) throws(ApplicationSetError) -> String {
        try string(text, parameters, data: goTemplate ? Self.goValue(.object(parameters)) : .null, field: field)
    }

    private func string(_ text: String, _ parameters: Parameters, data: Value, field: String) throws(ApplicationSetError) -> String {
        guard text.contains("{{") else { return text }
        let out = goTemplate ? try go(text, data: data, field: field) : fast(text, parameters)
        guard out.utf8.count <= Self.maximumStringBytes else {
            throw ApplicationSetError(.template, field: field, "renders to more than \(Self.maximumStringBytes) bytes")
        }
        return out
    }

    /// fasttemplate: `{{ key }}` replaced by the parameter's text; unknown keys left in place.
    func fast(_ text: String, _ parameters: Parameters) -> String {
        var out = ""
        var rest = Substring(text)
        while let open = rest.range(of: "{{") {
            out += rest[..<open.lowerBound]
            let after = rest[open.upperBound...]
            guard let close = after.range(of: "}}") else {
                out += rest[open.lowerBound...]
                return out
            }
            let tag = after[..<close.lowerBound]
            let key = tag.trimmingCharacters(in: .whitespaces)
            if !key.isEmpty, let value = parameters[key] {
                out += ParameterText.text(value)
            } else {
                out += "{{" + tag + "}}"
            }
            rest = after[close.upperBound...]
        }
        return out + rest
    }

    func go(_ text: String, data: Value, field: String) throws(ApplicationSetError) -> String {
        let limits = ExecutionLimits(maxDepth: 1000, deadline: .now + .seconds(5), maxOutputBytes: Self.maximumStringBytes)
        var set = TemplateSet(name: field, functions: Self.functions, limits: limits)
        do {
            try set.parse(name: field, text: text)
            return try set.execute(name: field, data: data, missingKey: missingKeyIsError ? .error : .invalid)
        } catch let error as TemplateParseError {
            throw ApplicationSetError(.template, field: field, "line \(error.line): \(error.message)")
        } catch let error as TemplateExecError {
            let place = [error.location, error.context.map { "at <\($0)>" }].compactMap { $0 }.joined(separator: " ")
            let refusal = (error.underlying as? TemplateBounds.Refusal)?.message
            throw ApplicationSetError(.template, field: field, (place.isEmpty ? "" : place + ": ") + (refusal ?? error.message))
        } catch {
            throw ApplicationSetError(.template, field: field, "the template failed")
        }
    }

    /// A JSON value as a Go template sees the parameters Argo CD decodes from JSON.
    static func goValue(_ value: JSONValue) -> Value {
        switch value {
        case .null: return .null
        case .bool(let flag): return .bool(flag)
        case .string(let text): return .string(text)
        case .number:
            if let integer = value.intValue { return .int(integer, .int) }
            return .float(value.doubleValue ?? 0)
        case .array(let items): return .list(items.map(goValue))
        case .object(let object):
            var entries: [String: Value] = [:]
            for (key, item) in object { entries[key] = goValue(item) }
            return .map(GoMap(entries))
        }
    }
}
