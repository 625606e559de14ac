import Foundation
import Manifests

/// One field a write gets wrong, as the API server's `field.Error` words it.
struct FieldError: Sendable, Hashable {
    enum Kind: Sendable, Hashable {
        /// A value the field cannot take; `value` is shown as Go shows it.
        case invalid(value: String)
        /// A value outside an enumeration.
        case notSupported(value: String, supported: [String])
        /// A missing required field.
        case required
        /// A change the field does not allow; no value is shown.
        case forbidden
    }

    var field: String
    var kind: Kind
    /// The explanation after the value (`spec.replicas in body should be greater than or equal to 1`).
    var detail: String = ""

    /// `Status.details.causes[].reason`.
    var reason: String {
        switch kind {
        case .invalid: "FieldValueInvalid"
        case .notSupported: "FieldValueNotSupported"
        case .required: "FieldValueRequired"
        case .forbidden: "FieldValueForbidden"
        }
    }

    /// The text after the field path.
    var message: String {
        switch kind {
        case .invalid(let value): "Invalid value: \(value)" + (detail.isEmpty ? "" : ": \(detail)")
        case .notSupported(let value, let supported):
            "Unsupported value: \(value): supported values: " + supported.joined(separator: ", ")
        case .required: "Required value" + (detail.isEmpty ? "" : ": \(detail)")
        case .forbidden: "Forbidden" + (detail.isEmpty ? "" : ": \(detail)")
        }
    }

    /// A value as the API server prints it in a message: strings quoted, numbers and booleans bare.
    static func show(_ value: JSONValue) -> String {
        switch value {
        case .string(let text): "\"\(text)\""
        default: JSONWriter.compact(value)
        }
    }
}

extension APIError {
    /// `422 Invalid` for `errors` in an object of `type` named `name`, worded as the API server
    /// aggregates them: one error plainly, several in brackets. (An Invalid status names the kind
    /// in `details.kind`, where other errors name the resource.)
    static func invalid(_ type: ResourceType, _ name: String, _ errors: [FieldError]) -> APIError {
        let texts = errors.map { "\($0.field): \($0.message)" }
        let aggregate = texts.count == 1 ? texts[0] : "[" + texts.joined(separator: ", ") + "]"
        return APIError(
            .invalid, "\(type.qualifiedKind) \"\(name)\" is invalid: \(aggregate)", group: type.group, plural: type.kind, name: name,
            causes: errors.map { Cause(reason: $0.reason, message: $0.message, field: $0.field) })
    }
}

/// A CRD version's `openAPIV3Schema`, applied to a write as the API server applies it: fields the
/// schema does not declare are pruned (and reported, for `fieldValidation`), `default`s fill
/// absent fields, then every constraint is checked.
///
/// The keywords of structural schemas are honoured: `type`, `properties`, `additionalProperties`,
/// `items`, `required`, `enum`, `minimum`/`maximum` (and their exclusive forms), `minLength`,
/// `maxLength`, `pattern`, `minItems`, `maxItems`, `nullable`, `default`,
/// `x-kubernetes-preserve-unknown-fields`, `x-kubernetes-int-or-string` and
/// `x-kubernetes-embedded-resource`. `apiVersion`, `kind` and `metadata` at the root are the
/// server's, never pruned nor checked here.
struct StructuralSchema: Sendable, Hashable {
    let root: JSONObject

    /// What a write's object became and what was wrong with it.
    struct Outcome {
        /// Paths of the fields pruned because the schema does not declare them (`spec.foo`).
        var unknownFields: [String] = []
        var errors: [FieldError] = []
    }

    /// Prunes, defaults and validates `object` in place.
    func admit(_ object: inout JSONObject) -> Outcome {
        var outcome = Outcome()
        var value = JSONValue.object(object)
        visit(&value, schema: root, path: "", isRoot: true, into: &outcome)
        if case .object(let result) = value { object = result }
        return outcome
    }

    private func visit(_ value: inout JSONValue, schema: JSONObject, path: String, isRoot: Bool, into outcome: inout Outcome) {
        if case .null = value {
            if schema["nullable"]?.boolValue != true && !path.isEmpty {
                outcome.errors.append(
                    FieldError(
                        field: path, kind: .invalid(value: "\"null\""),
                        detail: "\(path) in body must be of type \(schema["type"]?.stringValue ?? "object"): \"null\""))
            }
            return
        }
        guard typeMatches(value, schema: schema, path: path, into: &outcome) else { return }
        switch value {
        case .object(var object):
            visitObject(&object, schema: schema, path: path, isRoot: isRoot, into: &outcome)
            value = .object(object)
        case .array(var items):
            if let itemSchema = schema["items"]?.objectValue {
                for index in items.indices {
                    visit(&items[index], schema: itemSchema, path: "\(path)[\(index)]", isRoot: false, into: &outcome)
                }
                value = .array(items)
            }
            check(count: items.count, schema: schema, path: path, into: &outcome)
        default:
            checkScalar(value, schema: schema, path: path, into: &outcome)
        }
        if let allowed = schema["enum"]?.arrayValue, !allowed.contains(value) {
            outcome.errors.append(
                FieldError(field: path, kind: .notSupported(value: FieldError.show(value), supported: allowed.map(FieldError.show))))
        }
    }

    private func visitObject(_ object: inout JSONObject, schema: JSONObject, path: String, isRoot: Bool, into outcome: inout Outcome) {
        let properties = schema["properties"]?.objectValue ?? [:]
        let preserve = schema["x-kubernetes-preserve-unknown-fields"]?.boolValue == true
        let embedded = isRoot || schema["x-kubernetes-embedded-resource"]?.boolValue == true
        let additional = schema["additionalProperties"]
        // Defaults first, so that a defaulted field is validated like a written one.
        for (name, property) in properties {
            guard let defaultValue = property["default"], object[name] == nil else { continue }
            object[name] = defaultValue
        }
        for key in Array(object.keys) {
            let child = path.isEmpty ? key : "\(path).\(key)"
            if embedded && ["apiVersion", "kind", "metadata"].contains(key) { continue }
            if let property = properties[key]?.objectValue {
                visit(&object.entries[key, default: .null], schema: property, path: child, isRoot: false, into: &outcome)
            } else if let additionalSchema = additional?.objectValue {
                visit(&object.entries[key, default: .null], schema: additionalSchema, path: child, isRoot: false, into: &outcome)
            } else if !preserve && additional?.boolValue != true {
                object.entries.removeValue(forKey: key)
                outcome.unknownFields.append(child)
            }
        }
        for name in schema["required"]?.arrayValue?.compactMap(\.stringValue) ?? [] where object[name] == nil {
            outcome.errors.append(FieldError(field: path.isEmpty ? name : "\(path).\(name)", kind: .required))
        }
    }

    /// Whether `value` has the schema's `type`; a mismatch is recorded.
    private func typeMatches(_ value: JSONValue, schema: JSONObject, path: String, into outcome: inout Outcome) -> Bool {
        let actual = Self.typeName(value)
        if schema["x-kubernetes-int-or-string"]?.boolValue == true {
            if actual == "integer" || actual == "string" { return true }
            outcome.errors.append(
                FieldError(
                    field: path, kind: .invalid(value: "\"\(actual)\""), detail: "\(path) in body must be of type integer,string: \"\(actual)\""))
            return false
        }
        guard let expected = schema["type"]?.stringValue else { return true }
        if expected == actual || (expected == "number" && actual == "integer") { return true }
        outcome.errors.append(
            FieldError(field: path, kind: .invalid(value: "\"\(actual)\""), detail: "\(path) in body must be of type \(expected): \"\(actual)\""))
        return false
    }

    /// Bounds, lengths and patterns of a scalar.
    private func checkScalar(_ value: JSONValue, schema: JSONObject, path: String, into outcome: inout Outcome) {
        func invalid(_ detail: String) {
            outcome.errors.append(FieldError(field: path, kind: .invalid(value: FieldError.show(value)), detail: "\(path) in body \(detail)"))
        }
        if let number = value.doubleValue {
            if let minimum = schema["minimum"]?.doubleValue {
                let exclusive = schema["exclusiveMinimum"]?.boolValue == true
                if exclusive ? number <= minimum : number < minimum {
                    invalid("should be greater than \(exclusive ? "" : "or equal to ")\(Self.number(schema["minimum"]))")
                }
            }
            if let maximum = schema["maximum"]?.doubleValue {
                let exclusive = schema["exclusiveMaximum"]?.boolValue == true
                if exclusive ? number >= maximum : number > maximum {
                    invalid("should be less than \(exclusive ? "" : "or equal to ")\(Self.number(schema["maximum"]))")
                }
            }
        }
        if let text = value.stringValue {
            let length = text.count
            if let minimum = schema["minLength"]?.intValue, length < minimum { invalid("should be at least \(minimum) chars long") }
            if let maximum = schema["maxLength"]?.intValue, length > maximum { invalid("should be at most \(maximum) chars long") }
            if let pattern = schema["pattern"]?.stringValue, let regex = try? NSRegularExpression(pattern: pattern),
                regex.firstMatch(in: text, range: NSRange(text.startIndex..., in: text)) == nil
            {
                invalid("should match '\(pattern)'")
            }
        }
    }

    /// `minItems` and `maxItems`.
    private func check(count: Int, schema: JSONObject, path: String, into outcome: inout Outcome) {
        if let minimum = schema["minItems"]?.intValue, count < minimum {
            outcome.errors.append(
                FieldError(field: path, kind: .invalid(value: String(count)), detail: "\(path) in body should have at least \(minimum) items"))
        }
        if let maximum = schema["maxItems"]?.intValue, count > maximum {
            outcome.errors.append(
                FieldError(field: path, kind: .invalid(value: String(count)), detail: "\(path) in body should have at most \(maximum) items"))
        }
    }

    /// The OpenAPI type name of a JSON value.
    static func typeName(_ value: JSONValue) -> String {
        switch value {
        case .null: "null"
        case .bool: "boolean"
        case .number: value.intValue != nil && value.doubleValue?.rounded() == value.doubleValue ? "integer" : "number"
        case .string: "string"
        case .array: "array"
        case .object: "object"
        }
    }

    /// A bound as the schema wrote it (`1`, not `1.0`).
    private static func number(_ value: JSONValue?) -> String {
        guard let value else { return "" }
        if let integer = value.intValue { return String(integer) }
        return JSONWriter.compact(value)
    }
}
