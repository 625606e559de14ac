import Controller
import GitSource
import KeelsonFoundation
import Kube
import Manifests
import Secrets

/// What to plan.
public struct PlanOptions: Sendable {
    /// A local repository (a work tree) or a Git URL.
    public var repository: String
    /// The revision the change is merged into (a branch, tag or commit).
    public var base: String
    /// The revision of the change.
    public var head: String
    /// Where Applications are looked for (relative to the repository); empty for everywhere.
    public var applicationDirectories: [String] = []
    /// URLs that name the repository under review, beside its `origin` (or its own URL).
    public var repositoryURLs: [String] = []
    /// Age identities to decrypt SOPS files with; without them, encrypted files are compared sealed.
    public var identities: [AgeIdentity] = []
    /// Limits of each render.
    public var limits = SecureRoot.Limits()
    /// Scratch space the caller owns and removes.
    public var scratch: String
    /// Read the repository through this remote and shared Git cache (the controller's) instead
    /// of `repository`.
    public var remote: PlanRemote?
    /// Applications followed from elsewhere (a controller's), rendered at both revisions beside
    /// those the repository defines; one the repository defines under the same id wins.
    public var applications: [Application] = []

    /// Plans `repository` (a local work tree or a Git URL) from `base` to `head`, with scratch space in `scratch`.
    public init(repository: String, base: String, head: String, scratch: String) {
        self.repository = repository
        self.base = base
        self.head = head
        self.scratch = scratch
    }
}

/// A repository read through a shared Git cache with the credentials of its remote.
public struct PlanRemote: Sendable {
    /// The repository and its credentials.
    public var remote: GitRemote
    /// The cache that fetches it.
    public var cache: GitCache

    /// Creates a remote read through `cache`.
    public init(remote: GitRemote, cache: GitCache) {
        self.remote = remote
        self.cache = cache
    }
}

/// A plan and the rendered objects it compared.
public struct PlanResult: Sendable {
    public var plan: Plan
    /// Each Application's objects (Secret values masked) at base and head, as YAML, by `namespace/name`.
    public var rendered: [String: (base: String?, head: String?)]
}

/// Renders every Application of a repository at two revisions with the controller's renderers
/// and compares them (`keelson plan`).
public struct Planner: Sendable {
    public var options: PlanOptions

    public init(options: PlanOptions) { self.options = options }

    /// One revision's Applications, rendered.
    struct Side: Sendable {
        var applications: [String: Rendered] = [:]
        var notAffected: [String] = []
        var failures: [ApplicationDiscovery.Failure] = []
        /// The `--apps` directories this revision has.
        var directories: Set<String> = []
        /// The file each Application is defined in.
        var files: [String: String] = [:]
        /// Whether `--apps` named the directories (then every unreadable file is reported).
        var explicit = false
    }

    /// An Application and what it rendered to, or why it did not.
    struct Rendered: Sendable {
        var application: Application
        var objects: Result<[Manifest], RenderFailure>
    }

    /// A render that failed, in words.
    struct RenderFailure: Error, Sendable {
        var message: String
    }

    /// Makes the plan; with `live`, also compares the head with that cluster.
    public func plan(live client: (any KubernetesAPI)? = nil) async throws -> PlanResult {
        let trees = try RevisionTrees(options)
        let base = try await trees.resolve(options.base)
        let head = try await trees.resolve(options.head)
        let identities = Set(options.repositoryURLs.map(RepositoryURL.normalize)).union(await trees.identities())
        let before = try await trees.withTree(base) { try await side($0, identities: identities) }
        let after = try await trees.withTree(head) { try await side($0, identities: identities) }
        for directory in options.applicationDirectories where !before.directories.contains(directory) && !after.directories.contains(directory) {
            throw PlanError(.usage, "--apps \(directory): no such directory at either revision")
        }
        var result = PlanComparison(base: before, head: after).result(base: base, head: head)
        if let client { result.plan.live = await Self.live(head: after, base: before, client: client) }
        return result
    }

    /// The commit the head names, for reporting a plan that could not be made.
    public func resolveHead() async throws -> String {
        try await RevisionTrees(options).resolve(options.head)
    }

    /// The Applications of the tree at `directory` that deploy from this repository, rendered.
    func side(_ directory: String, identities: Set<String>) async throws -> Side {
        var limits = options.limits
        limits.maximumTotalBytes = Int.max
        let discovery = ApplicationDiscovery(directories: options.applicationDirectories)
        let (found, failures) = try discovery.applications(in: try SecureRoot(directory: directory, limits: limits))
        var side = Side(failures: failures)
        side.explicit = !options.applicationDirectories.isEmpty
        for entry in found { side.files[entry.application.id] = entry.file }
        side.directories = discovery.present(in: try SecureRoot(directory: directory, limits: limits))
        let renderer = OfflineRenderer(identities: options.identities)
        let defined = Set(found.map(\.application.id))
        let followed = options.applications.filter { !defined.contains($0.id) }
        for app in found.map(\.application) + followed {
            guard app.spec.source.chartRepository == nil,
                identities.isEmpty || identities.contains(RepositoryURL.normalize(app.spec.source.repoURL))
            else {
                side.notAffected.append(app.id)
                continue
            }
            do {
                let objects = try await renderer.render(app, directory: directory, limits: options.limits)
                side.applications[app.id] = Rendered(application: app, objects: .success(objects))
            } catch {
                side.applications[app.id] = Rendered(application: app, objects: .failure(RenderFailure(message: String(describing: error))))
            }
        }
        return side
    }
}
