/// The identity of a Kubernetes object: group, kind, namespace and name.
///
/// The version is not part of identity: `apps/v1` and `apps/v1beta1` Deployments with the same
/// name are the same object. Printed `Kind/namespace/name`, or `Kind/name` when cluster-scoped.
public struct ResourceKey: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// The API group; empty for the core group.
    public var group: String
    /// The kind, e.g. `Deployment`.
    public var kind: String
    /// The namespace; empty for cluster-scoped objects or when not set.
    public var namespace: String
    /// The name.
    public var name: String

    /// Creates a key.
    public init(group: String, kind: String, namespace: String = "", name: String) {
        self.group = group
        self.kind = kind
        self.namespace = namespace
        self.name = name
    }

    /// The group of an `apiVersion` (`apps/v1` → `apps`, `v1` → empty).
    public static func group(ofAPIVersion apiVersion: String) -> String {
        guard let slash = apiVersion.lastIndex(of: "/") else { return "" }
        return String(apiVersion[..<slash])
    }

    /// `Kind/namespace/name`, or `Kind/name` without a namespace.
    public var description: String {
        namespace.isEmpty ? "\(kind)/\(name)" : "\(kind)/\(namespace)/\(name)"
    }

    /// `group/Kind` (just `Kind` for the core group).
    public var groupKind: String { group.isEmpty ? kind : "\(group)/\(kind)" }

    public static func < (lhs: ResourceKey, rhs: ResourceKey) -> Bool {
        (lhs.group, lhs.kind, lhs.namespace, lhs.name) < (rhs.group, rhs.kind, rhs.namespace, rhs.name)
    }
}
