import Manifests

/// A snapshot of the cluster's Roles, ClusterRoles and their bindings, and the RBAC decisions
/// taken from it, as kube-apiserver's RBAC authorizer takes them.
struct RBACPolicy: Sendable {
    /// A RoleBinding or ClusterRoleBinding.
    struct Binding: Sendable, Hashable {
        /// One `subjects[i]`.
        struct Subject: Sendable, Hashable {
            var kind: String
            var name: String
            var namespace: String
        }

        var name: String
        /// `""` for a ClusterRoleBinding.
        var namespace: String
        /// `Role` or `ClusterRole`.
        var roleKind: String
        var roleName: String
        var subjects: [Subject]

        /// Reads a binding object.
        init(_ object: JSONObject) {
            name = object.name
            namespace = object.namespace
            roleKind = object["roleRef"]?["kind"]?.stringValue ?? ""
            roleName = object["roleRef"]?["name"]?.stringValue ?? ""
            subjects = (object["subjects"]?.arrayValue ?? []).map { subject in
                Subject(
                    kind: subject["kind"]?.stringValue ?? "", name: subject["name"]?.stringValue ?? "",
                    namespace: subject["namespace"]?.stringValue ?? "")
            }
        }

        init(name: String, namespace: String = "", roleKind: String, roleName: String, subjects: [Subject]) {
            self.name = name
            self.namespace = namespace
            self.roleKind = roleKind
            self.roleName = roleName
            self.subjects = subjects
        }

        /// The first subject that is `user`; a ServiceAccount without a namespace is in the binding's.
        func subject(matching user: UserInfo) -> Subject? {
            subjects.first { subject in
                switch subject.kind {
                case "User": return subject.name == user.name
                case "Group": return user.groups.contains(subject.name)
                case "ServiceAccount":
                    let namespace = subject.namespace.isEmpty ? self.namespace : subject.namespace
                    return !namespace.isEmpty && user.name == "\(UserInfo.serviceAccountPrefix)\(namespace):\(subject.name)"
                default: return false
                }
            }
        }

        /// `ClusterRoleBinding "b" of ClusterRole "r" to User "u"`, as allow reasons name it.
        func describe(_ subject: Subject) -> String {
            let who: String
            if subject.kind == "ServiceAccount" {
                who = "\(subject.name)/\(subject.namespace.isEmpty ? namespace : subject.namespace)"
            } else {
                who = subject.name
            }
            let binding = namespace.isEmpty ? "ClusterRoleBinding \(goQuoted(name))" : "RoleBinding \(goQuoted("\(name)/\(namespace)"))"
            return "\(binding) of \(roleKind) \(goQuoted(roleName)) to \(subject.kind) \(goQuoted(who))"
        }
    }

    /// The outcome of one authorization.
    struct Decision: Sendable, Hashable {
        var allowed: Bool
        /// `RBAC: allowed by …` when allowed; the evaluation errors (roles not found) when not.
        var reason: String
    }

    /// Roles by namespace and name.
    var roles: [String: [String: [PolicyRule]]] = [:]
    /// ClusterRoles by name.
    var clusterRoles: [String: [PolicyRule]] = [:]
    /// RoleBindings by namespace.
    var roleBindings: [String: [Binding]] = [:]
    var clusterRoleBindings: [Binding] = []

    /// The ClusterRoles every sandbox has without storing them, as a real cluster's bootstrap
    /// policy has them: `cluster-admin`, and what every authenticated user may do (discovery,
    /// `/openapi`, health, and reviewing its own access).
    static let bootstrapClusterRoles: [String: [PolicyRule]] = [
        "cluster-admin": [
            PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), PolicyRule(verbs: ["*"], nonResourceURLs: ["*"]),
        ],
        "system:discovery": [
            PolicyRule(
                verbs: ["get"],
                nonResourceURLs: [
                    "/api", "/api/*", "/apis", "/apis/*", "/openapi", "/openapi/*", "/version", "/version/", "/healthz", "/livez", "/readyz",
                ])
        ],
        "system:basic-user": [
            PolicyRule(verbs: ["create"], apiGroups: ["authorization.k8s.io"], resources: ["selfsubjectaccessreviews", "selfsubjectrulesreviews"])
        ],
    ]

    /// The bindings of the bootstrap roles to every authenticated user.
    static let bootstrapBindings: [Binding] = ["system:discovery", "system:basic-user"].map {
        Binding(name: $0, roleKind: "ClusterRole", roleName: $0, subjects: [.init(kind: "Group", name: UserInfo.authenticatedGroup, namespace: "")])
    }

    /// A snapshot of the stored RBAC objects, over the bootstrap policy.
    init(roles: [JSONObject], clusterRoles: [JSONObject], roleBindings: [JSONObject], clusterRoleBindings: [JSONObject]) {
        self.clusterRoles = Self.bootstrapClusterRoles
        for role in roles { self.roles[role.namespace, default: [:]][role.name] = PolicyRule.rules(of: role) }
        for role in clusterRoles { self.clusterRoles[role.name] = PolicyRule.rules(of: role) }
        for binding in roleBindings { self.roleBindings[binding.namespace, default: []].append(Binding(binding)) }
        self.clusterRoleBindings = Self.bootstrapBindings + clusterRoleBindings.map(Binding.init)
    }

    /// Visits every rule granted to `user` in `namespace` (ClusterRoleBindings first, then the
    /// namespace's RoleBindings) with what granted it, until `visit` returns `false`; returns the
    /// errors met (bindings naming missing roles).
    @discardableResult
    func visitRules(of user: UserInfo, in namespace: String, _ visit: (PolicyRule, String) -> Bool) -> [String] {
        var errors: [String] = []
        var bindings = clusterRoleBindings
        if !namespace.isEmpty { bindings += roleBindings[namespace] ?? [] }
        for binding in bindings {
            guard let subject = binding.subject(matching: user) else { continue }
            let rules: [PolicyRule]
            switch roleRules(kind: binding.roleKind, name: binding.roleName, namespace: binding.namespace) {
            case .success(let found): rules = found
            case .failure(let error):
                errors.append(error.message)
                continue
            }
            let source = binding.describe(subject)
            for rule in rules where !visit(rule, source) { return errors }
        }
        return errors
    }

    /// The rules a role reference grants, or the API server's not-found error for it.
    func roleRules(kind: String, name: String, namespace: String) -> Result<[PolicyRule], APIError> {
        switch kind {
        case "Role":
            guard let rules = roles[namespace]?[name] else {
                return .failure(APIError(.notFound, "role.rbac.authorization.k8s.io \(goQuoted(name)) not found"))
            }
            return .success(rules)
        case "ClusterRole":
            guard let rules = clusterRoles[name] else {
                return .failure(APIError(.notFound, "clusterrole.rbac.authorization.k8s.io \(goQuoted(name)) not found"))
            }
            return .success(rules)
        default:
            return .failure(APIError(.notFound, "unsupported role reference kind: \(goQuoted(kind))"))
        }
    }

    /// Whether `user` may do `request`.
    func authorize(_ user: UserInfo, _ request: RequestAttributes) -> Decision {
        if user.isPrivileged { return Decision(allowed: true, reason: "") }
        var reason: String?
        let errors = visitRules(of: user, in: request.namespace) { rule, source in
            guard rule.allows(request) else { return true }
            reason = "RBAC: allowed by \(source)"
            return false
        }
        if let reason { return Decision(allowed: true, reason: reason) }
        return Decision(allowed: false, reason: errors.isEmpty ? "" : "RBAC: \(Self.aggregate(errors))")
    }

    /// Every rule `user` holds in `namespace`, and the errors met collecting them.
    func rules(of user: UserInfo, in namespace: String) -> (rules: [PolicyRule], errors: [String]) {
        var rules: [PolicyRule] = []
        let errors = visitRules(of: user, in: namespace) { rule, _ in
            rules.append(rule)
            return true
        }
        return (rules, errors)
    }

    /// Errors joined as Go's `utilerrors.Aggregate` prints them: one alone, several in brackets.
    static func aggregate(_ errors: [String]) -> String {
        errors.count == 1 ? errors[0] : "[" + errors.joined(separator: ", ") + "]"
    }
}
