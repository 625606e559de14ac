import Manifests

/// RBAC's privilege-escalation prevention: a user may write a Role or ClusterRole only with
/// rules it holds itself (or the `escalate` verb on it), and a binding only to a role whose
/// rules it holds (or the `bind` verb on that role), as kube-apiserver's RBAC storage enforces.
extension RBACPolicy {
    /// The RBAC kinds whose writes are checked.
    static let group = "rbac.authorization.k8s.io"

    /// The fields of an RBAC object that grant anything.
    static let grantingFields = ["rules", "aggregationRule", "roleRef", "subjects"]

    /// Refuses writing `object` (a Role, ClusterRole, RoleBinding or ClusterRoleBinding, as it
    /// would be stored over `old`) when it grants `user` more than it holds; other objects pass,
    /// and so does a write that leaves every granting field as it was (a re-apply, a label).
    func checkEscalation(_ object: JSONObject, over old: JSONObject?, type: ResourceType, by user: UserInfo) throws(APIError) {
        guard type.group == Self.group, !user.isPrivileged else { return }
        if let old, Self.grantingFields.allSatisfy({ old[$0] == object[$0] }) { return }
        let namespace = type.namespaced ? object.namespace : ""
        let target = RequestAttributes(verb: "", group: Self.group, resource: type.plural, namespace: namespace, name: object.name)
        let granted: [PolicyRule]
        switch type.kind {
        case "Role", "ClusterRole":
            let escalate = RequestAttributes(verb: "escalate", group: Self.group, resource: type.plural, namespace: namespace, name: object.name)
            if authorize(user, escalate).allowed { return }
            granted = PolicyRule.rules(of: object)
        case "RoleBinding", "ClusterRoleBinding":
            let binding = Binding(object)
            let rolePlural = binding.roleKind == "Role" ? "roles" : "clusterroles"
            let bind = RequestAttributes(verb: "bind", group: Self.group, resource: rolePlural, namespace: namespace, name: binding.roleName)
            if authorize(user, bind).allowed { return }
            switch roleRules(kind: binding.roleKind, name: binding.roleName, namespace: namespace) {
            case .success(let rules): granted = rules
            case .failure(let error): throw APIError.forbidden(target, detail: error.message)
            }
        default:
            return
        }
        let (held, errors) = rules(of: user, in: namespace)
        let missing = Self.uncovered(granted, by: held)
        guard !missing.isEmpty else { return }
        var detail =
            "user \(goQuoted(user.name)) (groups=\(PolicyRule.quoted(user.groups))) is attempting to grant RBAC permissions not currently held:\n"
            + Self.compact(missing).map(\.compactDescription).sorted().joined(separator: "\n")
        if !errors.isEmpty { detail += "; resolution errors: [\(Self.aggregate(errors))]" }
        throw APIError.forbidden(target, detail: detail)
    }

    /// The atomic parts of `rules` (one group, resource, verb and name each) no rule of `held`
    /// covers (`rbac/validation.Covers`).
    static func uncovered(_ rules: [PolicyRule], by held: [PolicyRule]) -> [PolicyRule] {
        rules.flatMap(atoms).filter { atom in !held.contains { covers($0, atom) } }
    }

    /// A rule broken down into single-verb, single-resource, single-name rules (`BreakdownRule`).
    static func atoms(_ rule: PolicyRule) -> [PolicyRule] {
        var result: [PolicyRule] = []
        for group in rule.apiGroups {
            for resource in rule.resources {
                for verb in rule.verbs {
                    if rule.resourceNames.isEmpty {
                        result.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource]))
                    }
                    for name in rule.resourceNames {
                        result.append(PolicyRule(verbs: [verb], apiGroups: [group], resources: [resource], resourceNames: [name]))
                    }
                }
            }
        }
        for url in rule.nonResourceURLs {
            for verb in rule.verbs { result.append(PolicyRule(verbs: [verb], nonResourceURLs: [url])) }
        }
        return result
    }

    /// Whether `owner` grants everything `atom` does (`ruleCovers`).
    static func covers(_ owner: PolicyRule, _ atom: PolicyRule) -> Bool {
        func all(_ set: [String], _ wanted: [String]) -> Bool { set.contains("*") || wanted.allSatisfy(set.contains) }
        let resources =
            owner.resources.contains("*")
            || atom.resources.allSatisfy { resource in
                owner.resources.contains(resource)
                    || (resource.contains("/") && owner.resources.contains("*/" + resource.split(separator: "/", maxSplits: 1)[1]))
            }
        let urls = atom.nonResourceURLs.allSatisfy { url in
            owner.nonResourceURLs.contains { $0 == url || ($0.hasSuffix("*") && url.hasPrefix(String($0.dropLast()))) }
        }
        let names = owner.resourceNames.isEmpty || (!atom.resourceNames.isEmpty && atom.resourceNames.allSatisfy(owner.resourceNames.contains))
        return all(owner.verbs, atom.verbs) && all(owner.apiGroups, atom.apiGroups) && resources && urls && names
    }

    /// Atoms that differ only in their verb merged into one rule, as `CompactRules` merges them.
    static func compact(_ atoms: [PolicyRule]) -> [PolicyRule] {
        var merged: [PolicyRule] = []
        for atom in atoms {
            if let index = merged.firstIndex(where: {
                $0.apiGroups == atom.apiGroups && $0.resources == atom.resources && $0.resourceNames == atom.resourceNames
                    && $0.nonResourceURLs == atom.nonResourceURLs && !$0.resources.isEmpty
            }) {
                for verb in atom.verbs where !merged[index].verbs.contains(verb) { merged[index].verbs.append(verb) }
            } else {
                merged.append(atom)
            }
        }
        return merged
    }
}
