import Manifests

/// One rule of a Role or ClusterRole (rbac.authorization.k8s.io/v1), matched the way
/// kube-apiserver's RBAC authorizer matches it.
struct PolicyRule: Sendable, Hashable {
    /// Verbs, or `*`.
    var verbs: [String]
    /// API groups (`""` is the core group), or `*`.
    var apiGroups: [String] = []
    /// Resources, `resource/subresource`, `*/subresource`, or `*`.
    var resources: [String] = []
    /// Object names the rule is limited to; empty means every name.
    var resourceNames: [String] = []
    /// Non-resource paths (`/healthz`, `/apis/*`), or `*`.
    var nonResourceURLs: [String] = []

    /// Reads `rules[i]` of a role; `nil` when it is not an object.
    init?(_ value: JSONValue) {
        guard value.objectValue != nil else { return nil }
        func strings(_ field: String) -> [String] { value[field]?.arrayValue?.compactMap(\.stringValue) ?? [] }
        self.init(
            verbs: strings("verbs"), apiGroups: strings("apiGroups"), resources: strings("resources"),
            resourceNames: strings("resourceNames"), nonResourceURLs: strings("nonResourceURLs"))
    }

    /// Creates a rule.
    init(verbs: [String], apiGroups: [String] = [], resources: [String] = [], resourceNames: [String] = [], nonResourceURLs: [String] = []) {
        self.verbs = verbs
        self.apiGroups = apiGroups
        self.resources = resources
        self.resourceNames = resourceNames
        self.nonResourceURLs = nonResourceURLs
    }

    /// The rules of a Role or ClusterRole object.
    static func rules(of role: JSONObject) -> [PolicyRule] {
        (role["rules"]?.arrayValue ?? []).compactMap(PolicyRule.init)
    }

    /// Whether the rule allows the request.
    func allows(_ request: RequestAttributes) -> Bool {
        guard matchesVerb(request.verb) else { return false }
        guard request.isResourceRequest else { return matchesNonResourceURL(request.path) }
        return (apiGroups.contains("*") || apiGroups.contains(request.group))
            && matchesResource(request.resource, subresource: request.subresource)
            && (resourceNames.isEmpty || resourceNames.contains(request.name))
    }

    private func matchesVerb(_ verb: String) -> Bool { verbs.contains("*") || verbs.contains(verb) }

    /// `*`, the exact `resource[/subresource]`, or `*/subresource` for a subresource.
    private func matchesResource(_ resource: String, subresource: String) -> Bool {
        let combined = subresource.isEmpty ? resource : "\(resource)/\(subresource)"
        return resources.contains { candidate in
            candidate == "*" || candidate == combined || (!subresource.isEmpty && candidate == "*/\(subresource)")
        }
    }

    /// `*`, the exact path, or a prefix ending in `*`.
    private func matchesNonResourceURL(_ path: String) -> Bool {
        nonResourceURLs.contains { url in
            url == "*" || url == path || (url.hasSuffix("*") && path.hasPrefix(String(url.dropLast())))
        }
    }

    /// The rule as kube-apiserver prints it in escalation errors (`rbacv1helpers.CompactString`):
    /// `{APIGroups:["apps"], Resources:["deployments"], Verbs:["get"]}`.
    var compactDescription: String {
        var parts: [String] = []
        if !apiGroups.isEmpty { parts.append("APIGroups:\(Self.quoted(apiGroups))") }
        if !resources.isEmpty { parts.append("Resources:\(Self.quoted(resources))") }
        if !nonResourceURLs.isEmpty { parts.append("NonResourceURLs:\(Self.quoted(nonResourceURLs))") }
        if !resourceNames.isEmpty { parts.append("ResourceNames:\(Self.quoted(resourceNames))") }
        if !verbs.isEmpty { parts.append("Verbs:\(Self.quoted(verbs))") }
        return "{" + parts.joined(separator: ", ") + "}"
    }

    /// A list of strings as Go's `%q` prints a `[]string`: `["a" "b"]`.
    static func quoted(_ values: [String]) -> String {
        "[" + values.map { goQuoted($0) }.joined(separator: " ") + "]"
    }
}

/// A string as Go's `%q` prints it (the names RBAC deals in need only `"` and `\` escaped).
func goQuoted(_ text: String) -> String {
    "\"" + text.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"") + "\""
}
