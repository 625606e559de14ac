import Manifests

/// A patch or replacement `target`: group, version, kind, name and namespace as anchored
/// regular expressions, plus label and annotation selectors.
struct ResourceSelector {
    var group: NamePattern?
    var version: NamePattern?
    var kind: NamePattern?
    var name: NamePattern?
    var namespace: NamePattern?
    var labels: LabelSelector?
    var annotations: LabelSelector?

    init(_ object: JSONObject, field: String, in kustomization: Kustomization) throws(RenderError) {
        func regex(_ key: String) throws(RenderError) -> NamePattern? {
            guard let value = object[key], !value.isNull else { return nil }
            guard let text = Kustomization.scalarString(value) else { throw kustomization.error(field, "\(key): expected a string") }
            if text.isEmpty { return nil }
            guard let pattern = NamePattern(text) else { throw kustomization.error(field, "\(key): invalid regular expression '\(text)'") }
            return pattern
        }
        group = try regex("group")
        version = try regex("version")
        kind = try regex("kind")
        name = try regex("name")
        namespace = try regex("namespace")
        if let text = object["labelSelector"]?.stringValue, !text.isEmpty { labels = try Self.selector(text, field: field, in: kustomization) }
        if let text = object["annotationSelector"]?.stringValue, !text.isEmpty {
            annotations = try Self.selector(text, field: field, in: kustomization)
        }
    }

    /// A label or annotation selector of a target, its errors naming the kustomization field.
    static func selector(_ text: String, field: String, in kustomization: Kustomization) throws(RenderError) -> LabelSelector {
        do { return try LabelSelector(text) } catch { throw kustomization.error(field, error.description) }
    }

    static func matches(_ pattern: NamePattern?, _ text: String) -> Bool {
        pattern?.matches(text) ?? true
    }

    /// Whether `resource` is selected: namespace and name by original or current identity.
    func selects(_ resource: KResource) -> Bool {
        let current = resource.currentId
        // The kind first: most targets name one, and it rules out most objects.
        guard Self.matches(kind, current.kind), Self.matches(group, current.group), Self.matches(version, current.version) else { return false }
        let original = resource.previousIds.first ?? current
        guard Self.matches(namespace, original.effectiveNamespace) || Self.matches(namespace, current.effectiveNamespace) else { return false }
        guard Self.matches(name, original.name) || Self.matches(name, current.name) else { return false }
        return resource.labelsMatch(labels) && resource.annotationsMatch(annotations)
    }
}

extension StringProtocol {
    var trimmingSpaces: String {
        String(drop { $0 == " " || $0 == "\t" }.reversed().drop { $0 == " " || $0 == "\t" }.reversed())
    }
}
