/// The user a request acts as. The sandbox authenticates nobody: a request is judged by RBAC
/// only when it impersonates someone (`Impersonate-User`, as `kubectl --as` and
/// `KubeClient.impersonating` send); without those headers the caller is all-powerful.
struct UserInfo: Sendable, Hashable {
    /// The user name, e.g. `system:serviceaccount:team-a:deployer`.
    var name: String
    /// The groups, `system:authenticated` included.
    var groups: [String]

    /// The prefix of every ServiceAccount's user name.
    static let serviceAccountPrefix = "system:serviceaccount:"
    /// The group kube-apiserver gives every authenticated user.
    static let authenticatedGroup = "system:authenticated"
    /// The group whose members may do anything, RBAC or not.
    static let mastersGroup = "system:masters"

    /// Creates a user.
    init(name: String, groups: [String]) {
        self.name = name
        self.groups = groups
    }

    /// The impersonated user of a request (its `Impersonate-User` and `Impersonate-Group`
    /// headers), with the groups kube-apiserver adds: a ServiceAccount named without groups gets
    /// `system:serviceaccounts` and `system:serviceaccounts:NS`, and every user
    /// `system:authenticated`. `nil` when the request impersonates nobody.
    init?(impersonatedUser: String?, groups: [String]) throws(APIError) {
        guard let name = impersonatedUser, !name.isEmpty else {
            // kube-apiserver refuses groups without a user rather than ignoring them.
            if let group = groups.first { throw APIError(.badRequest, "requested group \(goQuoted(group)) without impersonating a user") }
            return nil
        }
        var all = groups
        if groups.isEmpty, let namespace = Self.serviceAccountNamespace(of: name) {
            all = ["system:serviceaccounts", "system:serviceaccounts:\(namespace)"]
        }
        if name != "system:anonymous", !all.contains(Self.authenticatedGroup) { all.append(Self.authenticatedGroup) }
        self.init(name: name, groups: all)
    }

    /// The namespace of a ServiceAccount user name (`system:serviceaccount:NS:NAME`), else `nil`.
    static func serviceAccountNamespace(of user: String) -> String? {
        guard user.hasPrefix(serviceAccountPrefix) else { return nil }
        let parts = user.dropFirst(serviceAccountPrefix.count).split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, !parts[0].isEmpty, !parts[1].isEmpty else { return nil }
        return String(parts[0])
    }

    /// Whether RBAC is bypassed for this user (`system:masters`).
    var isPrivileged: Bool { groups.contains(Self.mastersGroup) }
}
