import Manifests
import SCM

/// One entry of `spec.generators` (or of a matrix or merge): where parameters come from, with
/// an optional `selector` that keeps only the parameter sets it matches.
public struct Generator: Sendable, Hashable {
    /// The kinds of generator.
    public indirect enum Source: Sendable, Hashable {
        /// `list`: literal elements.
        case list(ListGenerator)
        /// `git`: directories or files of a repository.
        case git(GitGenerator)
        /// `clusters`: the registered clusters.
        case clusters(ClusterGenerator)
        /// `pullRequest`: the open pull requests of a repository on a forge.
        case pullRequest(PullRequestGenerator)
        /// `matrix`: every combination of two generators' parameters; the second's spec may use
        /// the first's parameters.
        case matrix([Generator])
        /// `merge`: the first generator's parameters, overridden by the others' where `mergeKeys` match.
        case merge(mergeKeys: [String], [Generator])
    }

    /// The generator.
    public var source: Source
    /// `selector`: a post-filter on the parameters (matched as flattened `key: value` strings).
    public var selector: LabelSelector?
    /// The generator's own JSON, rendered again with a matrix's first parameters.
    public var raw: JSONObject
    /// Where it sits in the spec, e.g. `spec.generators[1].matrix.generators[0]`.
    public var field: String
}

/// `list`.
public struct ListGenerator: Sendable, Hashable {
    /// `elements` and the items of `elementsYaml`: one parameter set each.
    public var elements: [JSONObject]
}

/// `git`: one parameter set per matching directory, or per matching file (per item, for a file
/// holding a list).
public struct GitGenerator: Sendable, Hashable {
    /// One `directories` or `files` entry.
    public struct PathEntry: Sendable, Hashable {
        /// The pattern (`*` within a path segment, `**` across segments).
        public var path: String
        /// Whether matches are taken out instead of added.
        public var exclude: Bool
    }

    /// `repoURL`.
    public var repoURL: String
    /// `revision` (default `HEAD`: the branch the remote's HEAD names, its default branch).
    public var revision: String
    /// `directories`.
    public var directories: [PathEntry]
    /// `files`.
    public var files: [PathEntry]
    /// `secretRef.name`: a Secret in the set's namespace with the Git credentials, as an
    /// Application's `source.secretRef`.
    public var secretRef: String?
    /// `pathParamPrefix`: put the path parameters under this name.
    public var pathParamPrefix: String?
    /// `values`: extra parameters, templated with the others.
    public var values: JSONObject
    /// `requeueAfterSeconds`.
    public var requeueAfterSeconds: Int?
}

/// `clusters`: the in-cluster destination (when there is no selector) and each registered
/// cluster Secret the selector matches.
public struct ClusterGenerator: Sendable, Hashable {
    /// `selector` over the cluster Secrets' labels.
    public var selector: LabelSelector?
    /// `values`.
    public var values: JSONObject
}

/// `pullRequest`: one parameter set per open pull request.
public struct PullRequestGenerator: Sendable, Hashable {
    /// Which forge.
    public var forge: Forge
    /// `owner/repo`, or GitLab's project id or path.
    public var project: String
    /// `api`: the forge's API root (GitHub) or server root (GitLab, Gitea).
    public var api: String?
    /// `tokenRef`: the Secret (in the set's namespace) and key holding the token.
    public var tokenRef: (secretName: String, key: String)?
    /// `labels`: only pull requests carrying all of these.
    public var labels: [String]
    /// `values`.
    public var values: JSONObject
    /// `requeueAfterSeconds`.
    public var requeueAfterSeconds: Int?

    public static func == (lhs: Self, rhs: Self) -> Bool {
        lhs.forge == rhs.forge && lhs.project == rhs.project && lhs.api == rhs.api && lhs.tokenRef?.secretName == rhs.tokenRef?.secretName
            && lhs.tokenRef?.key == rhs.tokenRef?.key && lhs.labels == rhs.labels && lhs.values == rhs.values
            && lhs.requeueAfterSeconds == rhs.requeueAfterSeconds
    }

    public func hash(into hasher: inout Hasher) {
        hasher.combine(forge)
        hasher.combine(project)
        hasher.combine(labels)
    }
}
