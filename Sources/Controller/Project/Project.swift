import Manifests
import Render

/// A `keelson.dev/v1alpha1` `Project`: the fence around a team's Applications — which
/// repositories they may deploy from, where to, which kinds, and from which namespaces
/// Applications may use it. Projects live in the controller's namespace, where tenants cannot
/// write.
///
/// ```yaml
/// apiVersion: keelson.dev/v1alpha1
/// kind: Project
/// metadata: {name: team-b, namespace: keelson}
/// spec:
///   sourceRepos: ["https://git.example.com/team-b/*"]
///   destinations: [{namespace: "team-b-*"}]
///   sourceNamespaces: [team-b]
///   clusterResourceAllowList: []            # no cluster-scoped kinds (the default)
///   namespaceResourceDenyList: [{group: "", kind: ResourceQuota}]
/// ```
public struct Project: Sendable, Hashable {
    public static let apiVersion = "keelson.dev/v1alpha1"
    public static let kind = "Project"
    /// The project every Application names unless it says otherwise.
    public static let defaultName = "default"

    /// `metadata.name`.
    public var name: String
    /// `spec.sourceRepos`: repository URL globs (`!` denies); empty allows none.
    public var sourceRepos: [PatternRule]
    /// `spec.destinations`: cluster and namespace globs (`!` denies); empty allows none.
    public var destinations: [Destination]
    /// `spec.clusterResourceAllowList`: the cluster-scoped kinds allowed; empty allows none.
    public var clusterResourceAllowList: [GroupKindRule]
    /// `spec.namespaceResourceDenyList`: the namespaced kinds refused.
    public var namespaceResourceDenyList: [GroupKindRule]
    /// `spec.sourceNamespaces`: namespaces (globs) whose Applications may use this project,
    /// besides the controller's own.
    public var sourceNamespaces: [PatternRule]

    /// One entry of `spec.destinations`.
    public struct Destination: Sendable, Hashable {
        /// The cluster glob: `in-cluster`, or names of registered clusters.
        public var cluster: PatternRule
        /// The namespace glob.
        public var namespace: PatternRule
    }

    /// The built-in `default` project, used when no `Project/default` exists: everything is
    /// allowed, but only to Applications in the controller's namespace.
    public static let builtInDefault = Project(
        name: defaultName, sourceRepos: [.any], destinations: [Destination(cluster: .any, namespace: .any)],
        clusterResourceAllowList: [GroupKindRule(group: "*", kind: "*")], namespaceResourceDenyList: [], sourceNamespaces: [])
}

/// A glob, or a denial when written with a leading `!`.
public struct PatternRule: Sendable, Hashable, CustomStringConvertible {
    /// Whether a match denies rather than allows.
    public var negated: Bool
    let glob: Glob?

    /// Matches everything.
    public static let any = PatternRule(negated: false, glob: nil)

    init(negated: Bool, glob: Glob?) {
        self.negated = negated
        self.glob = glob
    }

    /// Parses `pattern` (`*` alone matches everything, including `/`).
    public init(_ pattern: String) throws {
        negated = pattern.hasPrefix("!")
        let body = negated ? String(pattern.dropFirst()) : pattern
        glob = body == "*" ? nil : try Glob(body)
    }

    /// Whether `text` matches the glob (ignoring negation).
    func matches(_ text: String) -> Bool {
        guard let glob else { return true }
        // A pattern without `/` must match the whole text, not just its last component.
        return glob.pattern.contains("/") || !text.contains("/") ? glob.matches(text) : false
    }

    public var description: String { (negated ? "!" : "") + (glob?.pattern ?? "*") }

    /// Whether `rules` allow `text`: some positive rule matches and no negated one does.
    static func allows(_ rules: [PatternRule], _ text: String) -> Bool {
        !rules.contains { $0.negated && $0.matches(text) } && rules.contains { !$0.negated && $0.matches(text) }
    }
}

/// A `{group, kind}` rule; either may be `*`.
public struct GroupKindRule: Sendable, Hashable, CustomStringConvertible {
    public var group: String
    public var kind: String

    /// Whether the rule names `key`'s group and kind.
    func matches(group other: String, kind otherKind: String) -> Bool {
        (group == "*" || group == other) && (kind == "*" || kind == otherKind)
    }

    public var description: String { "\(group.isEmpty ? "core" : group)/\(kind)" }
}
