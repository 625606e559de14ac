import GitSource
import Kube
import Manifests
import Render

/// A rule of a Project (or of tenancy itself) that an Application or one of its objects breaks.
public struct ProjectViolation: Error, Sendable, Hashable, CustomStringConvertible {
    /// Which rule.
    public enum Rule: String, Sendable, Hashable {
        case unknownProject = "UnknownProject"
        case sourceNamespace = "SourceNamespaceNotPermitted"
        case sourceRepository = "SourceRepositoryNotPermitted"
        case fileSource = "FileSourceNotPermitted"
        case destination = "DestinationNotPermitted"
        case clusterResource = "ClusterResourceNotPermitted"
        case namespaceResource = "NamespaceResourceDenied"
        case controllerNamespace = "ControllerNamespaceNotPermitted"
        case watchScope = "OutsideWatchedNamespaces"
    }

    /// Which rule is broken; also the condition's reason.
    public var rule: Rule
    /// The project.
    public var project: String
    /// The object that breaks it, when an object does.
    public var object: ResourceKey?
    /// What is wrong, in a line.
    public var message: String

    public var description: String {
        "project \(project): " + (object.map { "\($0): " } ?? "") + message
    }
}

/// The Projects of the controller's namespace: those that parse, by name, and the names of those that do not.
public struct ProjectSet: Sendable, ExpressibleByDictionaryLiteral {
    public var valid: [String: Project]
    public var invalid: Set<String>

    /// An empty set.
    public init() { self.init(valid: [:], invalid: []) }

    /// Creates a set.
    public init(valid: [String: Project], invalid: Set<String>) {
        self.valid = valid
        self.invalid = invalid
    }

    public init(dictionaryLiteral elements: (String, Project)...) {
        self.init(valid: Dictionary(elements, uniquingKeysWith: { a, _ in a }), invalid: [])
    }
}

/// Where Applications may live and what they may do: the controller's namespace, the other
/// namespaces opted in with `--application-namespaces`, and each Project's rules. Pure, so every
/// rule is tested without a cluster.
public struct TenancyRules: Sendable {
    /// The controller's own namespace: its Applications may use any project; no other may write here.
    public var controllerNamespace: String
    /// The other namespaces whose Applications are reconciled (globs).
    public var applicationNamespaces: [PatternRule]
    /// The ServiceAccount (in the destination namespace) that Applications outside the
    /// controller's namespace act as when they name none (Flux's `--default-service-account`).
    public var defaultServiceAccount: String?
    /// Where the controller watches in its own cluster: a namespaced install (`--watch-namespaces`)
    /// neither reads nor writes outside its namespaces, so an Application may not deploy there.
    public var watchScope: WatchScope = .cluster

    /// Creates the rules.
    public init(
        controllerNamespace: String = Application.defaultNamespace, applicationNamespaces: [PatternRule] = [], defaultServiceAccount: String? = nil
    ) {
        self.controllerNamespace = controllerNamespace
        self.applicationNamespaces = applicationNamespaces
        self.defaultServiceAccount = defaultServiceAccount
    }

    /// The ServiceAccount `app` acts as, if any: its own, or the default one for tenants.
    public func serviceAccount(of app: Application) -> String? {
        app.spec.serviceAccountName ?? (app.namespace == controllerNamespace ? nil : defaultServiceAccount)
    }

    /// Parses `--application-namespaces GLOB[,GLOB...]`.
    public static func namespacePatterns(_ text: String) throws -> [PatternRule] {
        try text.split(separator: ",").map { try PatternRule($0.trimmingCharacters(in: .whitespaces)) }
    }

    /// Whether Applications in `namespace` are reconciled at all.
    public func reconciles(namespace: String) -> Bool {
        namespace == controllerNamespace || PatternRule.allows(applicationNamespaces, namespace)
    }

    /// The project `app` names, checked against where the app lives and what its spec asks for.
    /// `projects` holds the Project objects of the controller's namespace by name.
    /// A Project that exists but does not parse allows nothing (an invalid `default` is not
    /// replaced by the built-in one).
    public func project(for app: Application, in projects: ProjectSet) throws(ProjectViolation) -> Project {
        let name = app.spec.project
        if projects.invalid.contains(name) {
            throw ProjectViolation(
                rule: .unknownProject, project: name, message: "Project \(controllerNamespace)/\(name) is invalid; it allows nothing")
        }
        guard let project = projects.valid[name] ?? (name == Project.defaultName ? Project.builtInDefault : nil) else {
            throw ProjectViolation(rule: .unknownProject, project: name, message: "no Project \(controllerNamespace)/\(name) exists")
        }
        let inside = app.namespace == controllerNamespace
        if !inside && (project == Project.builtInDefault || !PatternRule.allows(project.sourceNamespaces, app.namespace)) {
            throw ProjectViolation(
                rule: .sourceNamespace, project: name,
                message: "Applications in namespace \(app.namespace) may not use it (spec.sourceNamespaces)")
        }
        // A URL git would refuse is refused here too; others are compared in one spelling.
        // An OCI chart repository is matched as the registry's https:// address.
        let repoURL = app.spec.source.repoURL.hasPrefix("oci://") ? "https://" + app.spec.source.repoURL.dropFirst(6) : app.spec.source.repoURL
        guard let url = try? GitURL(repoURL), PatternRule.allows(project.sourceRepos, url.matchKey) else {
            let shown = (try? GitURL(repoURL))?.description ?? "the repository"
            throw ProjectViolation(rule: .sourceRepository, project: name, message: "repository \(shown) is not in spec.sourceRepos")
        }
        if !inside, url.transport == .file {
            throw ProjectViolation(
                rule: .fileSource, project: name,
                message: "file:// sources are only for Applications in the controller's namespace \(controllerNamespace)")
        }
        try checkNamespace(app.spec.destination.namespace, app: app, project: project, object: nil)
        return project
    }

    /// A namespaced install watches, and holds Roles in, its namespaces only: an object elsewhere
    /// (or cluster-scoped, `""`) of the controller's own cluster would be applied blind.
    private func checkWatched(_ namespace: String, app: Application, project: Project, object: ResourceKey?) throws(ProjectViolation) {
        guard app.spec.destination.cluster == ApplicationSpec.Destination.inCluster, !watchScope.contains(namespace: namespace) else { return }
        let what = namespace.isEmpty ? "a cluster-scoped object" : "namespace \(namespace)"
        throw ProjectViolation(
            rule: .watchScope, project: project.name, object: object,
            message: "\(what) is outside --watch-namespaces: a namespaced install neither watches nor may write it")
    }

    /// Checks the render's objects, prepared as a sync applies them (a namespaced object names
    /// its namespace, a cluster-scoped one none).
    public func check(_ objects: [Manifest], of app: Application, project: Project) throws(ProjectViolation) {
        if app.syncOptions.createNamespace {
            let declared = Set(objects.filter { $0.group.isEmpty && $0.kind == "Namespace" }.map(\.name))
            for namespace in Set(objects.map(\.namespace)).subtracting(declared).subtracting([""]).sorted() {
                let key = ResourceKey(group: "", kind: "Namespace", name: namespace)
                try checkWatched("", app: app, project: project, object: key)
                guard project.clusterResourceAllowList.contains(where: { $0.matches(group: "", kind: "Namespace") }) else {
                    throw ProjectViolation(
                        rule: .clusterResource, project: project.name, object: key,
                        message: "CreateNamespace=true creates a Namespace, which is not in spec.clusterResourceAllowList")
                }
            }
        }
        for object in objects {
            let key = object.key
            try checkWatched(key.namespace, app: app, project: project, object: key)
            if key.namespace.isEmpty {
                guard project.clusterResourceAllowList.contains(where: { $0.matches(group: key.group, kind: key.kind) }) else {
                    throw ProjectViolation(
                        rule: .clusterResource, project: project.name, object: key,
                        message: "cluster-scoped \(key.groupKind) is not in spec.clusterResourceAllowList")
                }
                if key.group.isEmpty, key.kind == "Namespace" { try checkNamespace(key.name, app: app, project: project, object: key) }
            } else {
                try checkNamespace(key.namespace, app: app, project: project, object: key)
                if project.namespaceResourceDenyList.contains(where: { $0.matches(group: key.group, kind: key.kind) }) {
                    throw ProjectViolation(
                        rule: .namespaceResource, project: project.name, object: key, message: "\(key.groupKind) is in spec.namespaceResourceDenyList"
                    )
                }
            }
        }
    }

    private func checkNamespace(_ namespace: String, app: Application, project: Project, object: ResourceKey?) throws(ProjectViolation) {
        try checkWatched(namespace, app: app, project: project, object: object)
        if namespace == controllerNamespace && app.namespace != controllerNamespace {
            throw ProjectViolation(
                rule: .controllerNamespace, project: project.name, object: object,
                message: "only Applications in the controller's namespace \(controllerNamespace) may deploy into it")
        }
        let cluster = app.spec.destination.cluster
        let allowed =
            project.destinations.contains { $0.negated == false && $0.allows(namespace, in: cluster) }
            && !project.destinations.contains { $0.negated && $0.denies(namespace, in: cluster) }
        if !allowed {
            throw ProjectViolation(
                rule: .destination, project: project.name, object: object,
                message: "namespace \(namespace) of cluster \(cluster) is not in spec.destinations")
        }
    }
}

extension Project.Destination {
    var negated: Bool { cluster.negated || namespace.negated }

    func allows(_ target: String, in clusterName: String) -> Bool { cluster.matches(clusterName) && namespace.matches(target) }

    /// A negated destination (`!` on either glob) denies what both its globs match.
    func denies(_ target: String, in clusterName: String) -> Bool { allows(target, in: clusterName) }
}
