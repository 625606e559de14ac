/// Where a controller watches: across the cluster, or in some namespaces only, one watch each (a
/// namespaced install, whose RBAC reaches no further, as Argo CD's namespace install and Flux's
/// `--watch-all-namespaces=false`).
public enum WatchScope: Sendable, Hashable {
    /// One watch across every namespace.
    case cluster
    /// One watch in each of these namespaces; cluster-scoped kinds are not watched.
    case namespaces([String])

    /// The namespaces watched one by one, or `nil` across the cluster.
    public var namespaces: [String]? {
        if case .namespaces(let names) = self { return names }
        return nil
    }

    /// Whether an object in `namespace` (`""`: cluster-scoped) is inside the scope.
    public func contains(namespace: String) -> Bool {
        guard let names = namespaces else { return true }
        return names.contains(namespace)
    }
}
