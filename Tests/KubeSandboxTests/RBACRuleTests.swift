import Manifests
import Testing

@testable import KubeSandbox

/// The RBAC rule matcher, request-to-verb mapping and escalation cover check, without a server.
@Suite("RBAC rules as kube-apiserver evaluates them")
struct RBACRuleTests {
    static let configMap = RequestAttributes(verb: "get", group: "", resource: "configmaps", namespace: "ns", name: "x")
    static let deploymentStatus = RequestAttributes(
        verb: "update", group: "apps", resource: "deployments", subresource: "status", namespace: "ns", name: "web")

    /// Each case pins one matching rule of `rbacv1helpers`: verbs, groups, resources, subresources, names, URLs.
    @Test(
        "a rule allows exactly what its verbs, apiGroups, resources and resourceNames name",
        arguments: [
            // The plain match.
            (PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["configmaps"]), configMap, true),
            // Another verb does not match.
            (PolicyRule(verbs: ["list"], apiGroups: [""], resources: ["configmaps"]), configMap, false),
            // `*` matches every verb, group and resource.
            (PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), configMap, true),
            // The core group is "", not "*"-less "v1".
            (PolicyRule(verbs: ["get"], apiGroups: ["apps"], resources: ["configmaps"]), configMap, false),
            // A rule with no apiGroups matches no resource request.
            (PolicyRule(verbs: ["get"], resources: ["configmaps"]), configMap, false),
            // resourceNames limit the rule to those names.
            (PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["x"]), configMap, true),
            (PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["configmaps"], resourceNames: ["y"]), configMap, false),
            // A subresource is matched only as resource/subresource...
            (PolicyRule(verbs: ["update"], apiGroups: ["apps"], resources: ["deployments"]), deploymentStatus, false),
            (PolicyRule(verbs: ["update"], apiGroups: ["apps"], resources: ["deployments/status"]), deploymentStatus, true),
            // ...or as */subresource, or by `*`.
            (PolicyRule(verbs: ["update"], apiGroups: ["apps"], resources: ["*/status"]), deploymentStatus, true),
            (PolicyRule(verbs: ["update"], apiGroups: ["apps"], resources: ["*/scale"]), deploymentStatus, false),
            (PolicyRule(verbs: ["update"], apiGroups: ["apps"], resources: ["*"]), deploymentStatus, true),
            // deployments/status does not reach the main resource.
            (
                PolicyRule(verbs: ["update"], apiGroups: ["apps"], resources: ["deployments/status"]),
                RequestAttributes(verb: "update", group: "apps", resource: "deployments", namespace: "ns", name: "web"), false
            ),
            // Non-resource URLs: exact, prefix*, and never through resource rules.
            (PolicyRule(verbs: ["get"], nonResourceURLs: ["/apis/*"]), RequestAttributes(verb: "get", path: "/apis/apps/v1"), true),
            (PolicyRule(verbs: ["get"], nonResourceURLs: ["/version"]), RequestAttributes(verb: "get", path: "/versions"), false),
            (PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]), RequestAttributes(verb: "get", path: "/version"), false),
        ])
    func ruleMatching(rule: PolicyRule, request: RequestAttributes, allowed: Bool) {
        #expect(rule.allows(request) == allowed)
    }

    /// Each case pins one mapping of kube-apiserver's RequestInfoFactory.
    @Test(
        "requests map to RBAC verbs and attributes as kube-apiserver maps them",
        arguments: [
            ("GET", "/api/v1/namespaces/ns/configmaps/x", "", "get", "configmaps", "ns", "x"),
            ("GET", "/api/v1/namespaces/ns/configmaps", "", "list", "configmaps", "ns", ""),
            ("GET", "/api/v1/configmaps", "", "list", "configmaps", "", ""),
            ("GET", "/api/v1/namespaces/ns/configmaps", "watch=1", "watch", "configmaps", "ns", ""),
            // A list pinned to one name by a field selector is judged with that name (resourceNames).
            ("GET", "/api/v1/namespaces/ns/configmaps", "fieldSelector=metadata.name%3Dx&watch=true", "watch", "configmaps", "ns", "x"),
            ("POST", "/api/v1/namespaces/ns/configmaps", "", "create", "configmaps", "ns", ""),
            ("PUT", "/apis/apps/v1/namespaces/ns/deployments/web/status", "", "update", "deployments", "ns", "web"),
            ("PATCH", "/api/v1/namespaces/ns/configmaps/x", "fieldManager=k", "patch", "configmaps", "ns", "x"),
            ("DELETE", "/api/v1/namespaces/ns/configmaps/x", "", "delete", "configmaps", "ns", "x"),
            ("DELETE", "/api/v1/namespaces/ns/configmaps", "", "deletecollection", "configmaps", "ns", ""),
            // A namespace is judged inside itself.
            ("GET", "/api/v1/namespaces/ns", "", "get", "namespaces", "ns", "ns"),
            ("GET", "/apis/rbac.authorization.k8s.io/v1/clusterroles/x", "", "get", "clusterroles", "", "x"),
        ])
    func verbMapping(method: String, path: String, query: String, verb: String, resource: String, namespace: String, name: String) throws {
        let attributes = RequestAttributes(
            method: method, path: path, parsed: RequestPath(path), query: QueryParameters(query))
        #expect(attributes.isResourceRequest)
        #expect(attributes.verb == verb)
        #expect(attributes.resource == resource)
        #expect(attributes.namespace == namespace)
        #expect(attributes.name == name)
    }

    @Test("refusals are worded as kube-apiserver words them, per scope and for paths")
    func refusalMessages() {
        let user = "system:serviceaccount:ns:sa"
        let patch = RequestAttributes(verb: "patch", group: "", resource: "configmaps", namespace: "ns", name: "x")
        #expect(
            APIError.forbidden(patch, detail: patch.refusal(for: user)).message
                == #"configmaps "x" is forbidden: User "system:serviceaccount:ns:sa" cannot patch resource "configmaps" in API group "" in the namespace "ns""#
        )
        let crb = RequestAttributes(verb: "create", group: "rbac.authorization.k8s.io", resource: "clusterrolebindings")
        #expect(
            APIError.forbidden(crb, detail: crb.refusal(for: user)).message
                == #"clusterrolebindings.rbac.authorization.k8s.io is forbidden: User "system:serviceaccount:ns:sa" cannot create resource "clusterrolebindings" in API group "rbac.authorization.k8s.io" at the cluster scope"#
        )
        let status = RequestAttributes(verb: "update", group: "apps", resource: "deployments", subresource: "status", namespace: "ns", name: "w")
        #expect(
            APIError.forbidden(status, detail: status.refusal(for: user)).message
                == #"deployments.apps "w" is forbidden: User "system:serviceaccount:ns:sa" cannot update resource "deployments/status" in API group "apps" in the namespace "ns""#
        )
        let path = RequestAttributes(verb: "post", path: "/logs")
        #expect(
            APIError.forbidden(path, detail: path.refusal(for: user)).message
                == #"forbidden: User "system:serviceaccount:ns:sa" cannot post path "/logs""#)
    }

    @Test("impersonated users get the groups kube-apiserver gives them")
    func impersonatedGroups() throws {
        let account = try #require(try UserInfo(impersonatedUser: "system:serviceaccount:ns:sa", groups: []))
        #expect(account.groups == ["system:serviceaccounts", "system:serviceaccounts:ns", "system:authenticated"])
        let person = try #require(try UserInfo(impersonatedUser: "jane", groups: ["devs"]))
        #expect(person.groups == ["devs", "system:authenticated"])
        #expect(try UserInfo(impersonatedUser: nil, groups: []) == nil)
        #expect(throws: APIError.self) { try UserInfo(impersonatedUser: nil, groups: ["system:masters"]) }
    }

    @Test("bindings: RoleBindings act only in their namespace, ClusterRoleBindings everywhere; a missing role is the reason")
    func bindingScope() throws {
        func yaml(_ text: String) throws -> JSONObject {
            try #require(try YAMLDecoder().decode(Array(text.utf8), file: "t").first?.value.objectValue)
        }
        let policy = RBACPolicy(
            roles: [try yaml("{metadata: {name: r, namespace: a}, rules: [{apiGroups: [''], resources: [configmaps], verbs: [get]}]}")],
            clusterRoles: [],
            roleBindings: [
                try yaml("{metadata: {name: b, namespace: a}, roleRef: {kind: Role, name: r}, subjects: [{kind: ServiceAccount, name: sa}]}"),
                try yaml(
                    "{metadata: {name: gone, namespace: c}, roleRef: {kind: Role, name: missing}, subjects: [{kind: User, name: 'system:serviceaccount:a:sa'}]}"
                ),
            ],
            clusterRoleBindings: [])
        let user = try #require(try UserInfo(impersonatedUser: "system:serviceaccount:a:sa", groups: []))
        let inA = policy.authorize(user, RequestAttributes(verb: "get", group: "", resource: "configmaps", namespace: "a", name: "x"))
        #expect(inA == .init(allowed: true, reason: #"RBAC: allowed by RoleBinding "b/a" of Role "r" to ServiceAccount "sa/a""#))
        #expect(!policy.authorize(user, RequestAttributes(verb: "get", group: "", resource: "configmaps", namespace: "b", name: "x")).allowed)
        #expect(!policy.authorize(user, RequestAttributes(verb: "list", group: "", resource: "configmaps")).allowed)
        let inC = policy.authorize(user, RequestAttributes(verb: "get", group: "", resource: "configmaps", namespace: "c", name: "x"))
        #expect(inC == .init(allowed: false, reason: #"RBAC: role.rbac.authorization.k8s.io "missing" not found"#))
        // Every authenticated user may discover and review its own access.
        #expect(policy.authorize(user, RequestAttributes(verb: "get", path: "/apis/apps/v1")).allowed)
        #expect(
            policy.authorize(user, RequestAttributes(verb: "create", group: "authorization.k8s.io", resource: "selfsubjectaccessreviews")).allowed)
    }

    /// Each case pins one rule of `ruleCovers`: what a held rule grants onward.
    @Test(
        "escalation: a held rule covers only what it grants",
        arguments: [
            // `*` held covers anything.
            (
                PolicyRule(verbs: ["*"], apiGroups: ["*"], resources: ["*"]),
                PolicyRule(verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"]), true
            ),
            // Granting `*` needs `*`.
            (
                PolicyRule(verbs: ["get"], apiGroups: ["apps"], resources: ["deployments"]),
                PolicyRule(verbs: ["*"], apiGroups: ["apps"], resources: ["deployments"]), false
            ),
            // `*/status` covers every status subresource.
            (
                PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["*/status"]),
                PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods/status"]), true
            ),
            // A name-limited rule does not cover every name; an unlimited one covers any name.
            (
                PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"]),
                PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"]), false
            ),
            (
                PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"]),
                PolicyRule(verbs: ["get"], apiGroups: [""], resources: ["pods"], resourceNames: ["a"]), true
            ),
            // A URL prefix covers the URLs under it.
            (PolicyRule(verbs: ["get"], nonResourceURLs: ["/apis/*"]), PolicyRule(verbs: ["get"], nonResourceURLs: ["/apis/apps"]), true),
        ])
    func covers(held: PolicyRule, granted: PolicyRule, covered: Bool) {
        #expect(RBACPolicy.uncovered([granted], by: [held]).isEmpty == covered)
    }
}
