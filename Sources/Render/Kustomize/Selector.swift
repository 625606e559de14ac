import Manifests

/// A Kubernetes label selector string (`a=b,c!=d,e in (x,y),!f,g`).
struct LabelSelector: Sendable {
    enum Operator: Sendable { case equals, notEquals, in_, notIn, exists, notExists }
    struct Requirement: Sendable {
        var key: String
        var op: Operator
        var values: [String]
    }

    var requirements: [Requirement]

    init(_ text: String) throws(RenderError) {
        requirements = []
        var parts: [String] = []
        var depth = 0
        var current = ""
        for character in text {
            if character == "(" { depth += 1 }
            if character == ")" { depth -= 1 }
            if character == "," && depth == 0 {
                parts.append(current)
                current = ""
            } else {
                current.append(character)
            }
        }
        parts.append(current)
        for raw in parts {
            let part = raw.trimmingSpaces
            if part.isEmpty { continue }
            if part.hasPrefix("!") {
                requirements.append(Requirement(key: String(part.dropFirst()).trimmingSpaces, op: .notExists, values: []))
            } else if let range = part.range(of: "!=") {
                requirements.append(Requirement(key: String(part[..<range.lowerBound]).trimmingSpaces, op: .notEquals, values: [String(part[range.upperBound...]).trimmingSpaces]))
            } else if let range = part.range(of: "==") ?? part.range(of: "=") {
                requirements.append(Requirement(key: String(part[..<range.lowerBound]).trimmingSpaces, op: .equals, values: [String(part[range.upperBound...]).trimmingSpaces]))
            } else if let range = part.range(of: " notin ") ?? part.range(of: " in ") {
                let isNot = part[range].contains("notin")
                let list = part[range.upperBound...].trimmingSpaces
                guard list.hasPrefix("("), list.hasSuffix(")") else { throw RenderError(.kustomization, "invalid label selector '\(text)'") }
                let values = list.dropFirst().dropLast().split(separator: ",").map { String($0).trimmingSpaces }
                requirements.append(Requirement(key: String(part[..<range.lowerBound]).trimmingSpaces, op: isNot ? .notIn : .in_, values: values))
            } else {
                requirements.append(Requirement(key: part, op: .exists, values: []))
            }
        }
    }

    func matches(_ labels: JSONObject) -> Bool {
        requirements.allSatisfy { requirement in
            let value = labels[requirement.key]?.stringValue
            switch requirement.op {
            case .equals, .in_: return value.map { requirement.values.contains($0) } ?? false
            case .notEquals, .notIn: return value.map { !requirement.values.contains($0) } ?? true
            case .exists: return value != nil
            case .notExists: return value == nil
            }
        }
    }
}

/// A patch or replacement `target`: group, version, kind, name and namespace as anchored
/// regular expressions, plus label and annotation selectors.
struct ResourceSelector {
    var group: Regex<AnyRegexOutput>?
    var version: Regex<AnyRegexOutput>?
    var kind: Regex<AnyRegexOutput>?
    var name: Regex<AnyRegexOutput>?
    var namespace: Regex<AnyRegexOutput>?
    var labels: LabelSelector?
    var annotations: LabelSelector?

    init(_ object: JSONObject, field: String, in kustomization: Kustomization) throws(RenderError) {
        func regex(_ key: String) throws(RenderError) -> Regex<AnyRegexOutput>? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let text = Kustomization.scalarString(value) else { throw kustomization.error(field, "\(key): expected a string") }
            if text.isEmpty { return nil }
            do { return try Regex("^(?:" + text + ")$") } catch { throw kustomization.error(field, "\(key): invalid regular expression '\(text)'") }
        }
        group = try regex("group")
        version = try regex("version")
        kind = try regex("kind")
        name = try regex("name")
        namespace = try regex("namespace")
        if let text = object["labelSelector"]?.stringValue, !text.isEmpty { labels = try LabelSelector(text) }
        if let text = object["annotationSelector"]?.stringValue, !text.isEmpty { annotations = try LabelSelector(text) }
    }

    static func matches(_ regex: Regex<AnyRegexOutput>?, _ text: String) -> Bool {
        guard let regex else { return true }
        return (try? regex.wholeMatch(in: text)) != nil
    }

    /// Whether `resource` is selected: namespace and name by original or current identity.
    func selects(_ resource: KResource) -> Bool {
        let current = resource.currentId
        let original = resource.originalId
        guard Self.matches(namespace, original.effectiveNamespace) || Self.matches(namespace, current.effectiveNamespace) else { return false }
        guard Self.matches(name, original.name) || Self.matches(name, current.name) else { return false }
        guard Self.matches(group, current.group), Self.matches(version, current.version), Self.matches(kind, current.kind) else { return false }
        return resource.labelsMatch(labels) && resource.annotationsMatch(annotations)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
