import Manifests
import SCM

/// A repository's tree at one commit, as a Git generator reads it: every directory and file
/// (relative paths, `.git` left out) and a bounded reader for the files it matches.
public struct RepositoryTree: Sendable {
    /// The commit read.
    public var commit: String
    /// Every directory below the root.
    public var directories: [String]
    /// Every regular file.
    public var files: [String]
    /// Reads one of `files`.
    public var read: @Sendable (String) throws(ApplicationSetError) -> [UInt8]

    /// Creates a tree.
    public init(
        commit: String, directories: [String], files: [String], read: @escaping @Sendable (String) throws(ApplicationSetError) -> [UInt8]
    ) {
        self.commit = commit
        self.directories = directories
        self.files = files
        self.read = read
    }
}

/// A cluster a clusters generator offers: the in-cluster destination or a registered cluster
/// Secret, without anything of its `config`.
public struct ClusterEntry: Sendable, Hashable {
    /// The name Applications use as `destination.cluster`.
    public var name: String
    /// The API server URL.
    public var server: String
    /// The Secret's labels (none for in-cluster).
    public var labels: [String: String]
    /// The Secret's annotations a template may read: never `kubectl.kubernetes.io/*` (see
    /// `isHiddenAnnotation`).
    public var annotations: [String: String]

    /// Creates an entry; hidden annotations are left out.
    public init(name: String, server: String, labels: [String: String] = [:], annotations: [String: String] = [:]) {
        self.name = name
        self.server = server
        self.labels = labels
        self.annotations = annotations.filter { !Self.isHiddenAnnotation($0.key) }
    }

    /// The controller's own cluster, as Argo CD names it.
    public static let inCluster = ClusterEntry(name: "in-cluster", server: "https://kubernetes.default.svc")
}

/// What generators read from outside: Git, the registered clusters and forges. The service's
/// `LiveGeneratorSources` reads the real ones; tests pass fixed answers, so every generator runs
/// without a server. Each call fails as a whole or answers in full: a partial answer is never
/// passed on as a complete one.
public protocol GeneratorSources: Sendable {
    /// Runs `body` on the tree of `git.revision` in `git.repoURL`, read with the credentials
    /// `git.secretRef` names in `namespace`.
    func withRepository<T: Sendable>(
        _ git: GitGenerator, namespace: String, _ body: @Sendable (RepositoryTree) throws(ApplicationSetError) -> T
    ) async throws(ApplicationSetError) -> T
    /// The registered clusters (not in-cluster).
    func clusters() async throws(ApplicationSetError) -> [ClusterEntry]
    /// The open pull requests `generator` names, read with the token `tokenRef` names in `namespace`.
    func pullRequests(_ generator: PullRequestGenerator, namespace: String) async throws(ApplicationSetError) -> [OpenPullRequest]
}
