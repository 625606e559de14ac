/// The identity a client acts as through the API server's impersonation headers
/// (`Impersonate-User`, one `Impersonate-Group` per group), so Kubernetes RBAC judges each
/// request as that user's.
///
/// ```swift
/// let tenant = client.impersonating(.serviceAccount(namespace: "team-a", name: "deployer"))
/// _ = try await tenant.apply(object, options: ApplyOptions(fieldManager: "keelson"))
/// ```
public struct Impersonation: Sendable, Hashable, CustomStringConvertible {
    /// The user name sent as `Impersonate-User`.
    public var user: String
    /// The groups, each sent as one `Impersonate-Group` header.
    public var groups: [String]

    /// Creates an identity.
    public init(user: String, groups: [String] = []) {
        self.user = user
        self.groups = groups
    }

    /// A ServiceAccount with the user name and groups kube-apiserver gives it:
    /// `system:serviceaccount:NS:NAME` in `system:serviceaccounts`, `system:serviceaccounts:NS`
    /// and `system:authenticated`.
    public static func serviceAccount(namespace: String, name: String) -> Impersonation {
        Impersonation(
            user: "\(serviceAccountUserPrefix)\(namespace):\(name)",
            groups: ["system:serviceaccounts", "system:serviceaccounts:\(namespace)", "system:authenticated"])
    }

    /// The prefix of every ServiceAccount's user name.
    public static let serviceAccountUserPrefix = "system:serviceaccount:"

    /// The user name.
    public var description: String { user }
}
