import Manifests

extension ClusterStore {
    /// The RBAC policy the stored Roles, ClusterRoles and bindings make now.
    func rbacPolicy() -> RBACPolicy {
        func stored(_ plural: String) -> [JSONObject] {
            (objects["\(RBACPolicy.group)/\(plural)"] ?? [:]).sorted { $0.key < $1.key }.map(\.value)
        }
        return RBACPolicy(
            roles: stored("roles"), clusterRoles: stored("clusterroles"), roleBindings: stored("rolebindings"),
            clusterRoleBindings: stored("clusterrolebindings"))
    }
}
