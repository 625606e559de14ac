import Fleet
import Manifests
import SCM
import Testing

/// Generator sources with fixed answers (or failures), so generators run without servers.
struct FixedSources: GeneratorSources {
    var files: [String: String] = [:]
    var directories: [String] = []
    var clusterList: [ClusterEntry] = []
    var pulls: [OpenPullRequest] = []
    var failure: ApplicationSetError?

    func withRepository<T: Sendable>(
        _ git: GitGenerator, namespace: String, _ body: @Sendable (RepositoryTree) throws(ApplicationSetError) -> T
    ) async throws(ApplicationSetError) -> T {
        if let failure { throw failure }
        var all = Set(directories)
        for path in files.keys {
            var parts = path.split(separator: "/").dropLast()
            while !parts.isEmpty {
                all.insert(parts.joined(separator: "/"))
                parts = parts.dropLast()
            }
        }
        let contents = files
        return try body(
            RepositoryTree(commit: "0123456789abcdef0123456789abcdef01234567", directories: all.sorted(), files: files.keys.sorted()) {
                path throws(ApplicationSetError) in
                guard let text = contents[path] else { throw ApplicationSetError(.generator, field: "git", "\(path) is missing") }
                return Array(text.utf8)
            })
    }

    func clusters() async throws(ApplicationSetError) -> [ClusterEntry] {
        if let failure { throw failure }
        return clusterList
    }

    func pullRequests(_ generator: PullRequestGenerator, namespace: String) async throws(ApplicationSetError) -> [OpenPullRequest] {
        if let failure { throw failure }
        return pulls.filter { Set(generator.labels).isSubset(of: $0.labels) }
    }
}

/// An ApplicationSet from YAML.
func applicationSet(_ yaml: String) throws -> ApplicationSet {
    var manifest = try #require(try Manifest.decode(Array(yaml.utf8), file: "set.yaml").first)
    if manifest.metadata["uid"] == nil { manifest.setMetadata("uid", "uid-1") }
    return try ApplicationSet(manifest)
}

/// The parameter sets of `yaml`'s generators.
func parameters(_ yaml: String, sources: FixedSources = FixedSources()) async throws -> [Parameters] {
    try await GeneratorRunner(set: try applicationSet(yaml), sources: sources).run()
}

/// A set with `generators` (indented YAML list items) and a minimal template.
func setYAML(_ generators: String, goTemplate: Bool = false, extra: String = "", template: String? = nil) -> String {
    """
    apiVersion: keelson.dev/v1alpha1
    kind: ApplicationSet
    metadata: {name: fleet, namespace: team}
    spec:
      goTemplate: \(goTemplate)
      generators:
    \(generators)
      template:
    \(template ?? "    metadata: {name: app}\n    spec: {source: {repoURL: 'https://git.example.com/r.git', path: '.'}, destination: {namespace: default}}")
    \(extra)
    """
}
