import GitSource
import Helm
import Kube

/// Where an Application's desired state comes from: a Git repository (plain manifests, a
/// kustomization, or a chart when the path holds a `Chart.yaml`), or a chart repository. Each
/// resolves the spec's revision to an exact one (a commit; a chart version and digest), which
/// is what status shows as `latestRevision` and what a render reads.
enum AppSource: Sendable {
    /// A Git repository.
    case git(GitRemote)
    /// A chart in an HTTP Helm repository or an OCI registry.
    case chartRepository(ChartRepositorySource)

    /// The source `app` names, with its credentials read from the Secret it names.
    static func make(_ app: Application, client: any KubernetesAPI, charts: ChartCache) async throws -> AppSource {
        if let kind = app.spec.source.chartRepository {
            return .chartRepository(try await ChartRepositorySource.make(app, kind: kind, client: client, cache: charts))
        }
        return .git(try await app.gitRemote(client: client))
    }

    /// Names the source in metrics and logs (no credentials).
    var description: String {
        switch self {
        case .git(let remote): remote.description
        case .chartRepository(let source): source.description
        }
    }
}

extension Application {
    /// The Git repository of `spec.source`, with the credentials of the Secret `spec.source.secretRef`
    /// names (in the Application's namespace): the remote the controller fetches from.
    public func gitRemote(client: any KubernetesAPI) async throws -> GitRemote {
        var credentials = GitCredentials.none
        if let name = spec.source.secretRef {
            credentials = try await SourceCredentials.load(client, name: name, namespace: namespace)
        }
        return try GitRemote(spec.source.repoURL, credentials: credentials)
    }
}
