import Controller
import Foundation
import GitSource
import KeelsonFoundation
import Kube
import Manifests
import SCM

/// The generators' real sources: Git through the controller's `GitCache` (credentials from the
/// Secret `secretRef` names, as Applications read theirs), the registered cluster Secrets of
/// the controller's namespace, and forges through `SCMClient` (token from `tokenRef`).
public struct LiveGeneratorSources: GeneratorSources {
    let client: any KubernetesAPI
    let git: GitCache
    let controllerNamespace: String
    let forgeRetry: SCM.RetryPolicy
    static let secretKind = GroupVersionKind(group: "", version: "v1", kind: "Secret")
    /// The most entries a repository's tree may have.
    static let maximumEntries = 100_000

    /// Creates the sources.
    public init(client: any KubernetesAPI, git: GitCache, controllerNamespace: String, forgeRetry: SCM.RetryPolicy = .standard) {
        self.client = client
        self.git = git
        self.controllerNamespace = controllerNamespace
        self.forgeRetry = forgeRetry
    }

    public func withRepository<T: Sendable>(
        _ generator: GitGenerator, namespace: String, _ body: @Sendable (RepositoryTree) throws(ApplicationSetError) -> T
    ) async throws(ApplicationSetError) -> T {
        // Never the URL as written: it may carry a password or a token.
        let shown = URLRedaction.redact(generator.repoURL)
        let revision = generator.revision.isEmpty ? "HEAD" : generator.revision
        func failed(_ error: any Error) -> ApplicationSetError {
            ApplicationSetError(.generator, field: "git", "cannot read \(shown) at \(revision): \(URLRedaction.scrub("\(error)"))")
        }
        do {
            var credentials = GitCredentials.none
            if let name = generator.secretRef {
                credentials = try await SourceCredentials.load(client, name: name, namespace: namespace)
            }
            let remote = try GitRemote(generator.repoURL, credentials: credentials)
            // Argo CD's default: HEAD, the remote's default branch, whatever its name.
            let wanted = revision == "HEAD" ? Revision.branch(try await git.defaultBranch(remote)) : try Revision.parse(revision)
            let commit = try await git.resolve(remote, wanted)
            return try await git.withCheckout(remote, commit: commit) { checkout in
                let root = try checkout.root()
                let tree = try Self.tree(root, commit: commit)
                return try body(tree)
            }
        } catch let error as ApplicationSetError {
            throw error
        } catch {
            throw failed(error)
        }
    }

    /// Every directory and file below `root` (`.git` and symbolic links left out).
    static func tree(_ root: SecureRoot, commit: String) throws -> RepositoryTree {
        var directories: [String] = []
        var files: [String] = []
        var pending = [""]
        while let directory = pending.popLast() {
            for entry in try root.list(directory.isEmpty ? "." : directory) where entry.name != ".git" {
                let path = directory.isEmpty ? entry.name : directory + "/" + entry.name
                switch entry.type {
                case .directory:
                    directories.append(path)
                    pending.append(path)
                case .file: files.append(path)
                default: continue
                }
                guard directories.count + files.count <= maximumEntries else {
                    throw ApplicationSetError(.generator, field: "git", "the repository has more than \(maximumEntries) entries")
                }
            }
        }
        return RepositoryTree(commit: commit, directories: directories.sorted(), files: files.sorted()) { path throws(ApplicationSetError) in
            do { return try root.read(path) } catch { throw ApplicationSetError(.generator, field: "git.files", "cannot read \(path): \(error)") }
        }
    }

    public func clusters() async throws(ApplicationSetError) -> [ClusterEntry] {
        let secrets: [Manifest]
        do {
            var options = ListOptions()
            options.labelSelector = LabelSelector.matching([ClusterDefinition.label: ClusterDefinition.labelValue])
            secrets = try await client.listAll(Self.secretKind, namespace: controllerNamespace, options: options).items
        } catch {
            throw ApplicationSetError(
                .generator, field: "clusters", "cannot list the cluster Secrets of \(controllerNamespace): \(error.status?.message ?? error.message)")
        }
        var clusters: [ClusterEntry] = []
        for secret in secrets {
            let definition: ClusterDefinition?
            do { definition = try ClusterDefinition.parse(secret) } catch {
                throw ApplicationSetError(.generator, field: "clusters", "\(error)")
            }
            guard let definition else { continue }
            clusters.append(ClusterEntry(secret: secret, name: definition.name, server: definition.configuration.server))
        }
        return clusters.sorted { $0.name < $1.name }
    }

    public func pullRequests(_ generator: PullRequestGenerator, namespace: String) async throws(ApplicationSetError) -> [OpenPullRequest] {
        var token = ""
        if let ref = generator.tokenRef {
            let secret: Manifest
            do { secret = try await client.get(Self.secretKind, name: ref.secretName, namespace: namespace) } catch {
                let reason = error.isNotFound ? "does not exist" : "cannot be read (\(error.code))"
                throw ApplicationSetError(.generator, field: "pullRequest", "the token Secret \(namespace)/\(ref.secretName) \(reason)")
            }
            guard let encoded = secret.object["data"]?[ref.key]?.stringValue, let data = Data(base64Encoded: encoded) else {
                throw ApplicationSetError(.generator, field: "pullRequest", "the token Secret \(namespace)/\(ref.secretName) has no key \(ref.key)")
            }
            token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }
        do {
            let repository = try SCMRepository(forge: generator.forge, apiURL: generator.api, project: generator.project)
            return try await SCMClient(repository: repository, token: token, retry: forgeRetry).openPullRequests(labels: generator.labels)
        } catch {
            throw ApplicationSetError(
                .generator, field: "pullRequest", "cannot list the open pull requests of \(generator.project): \(error.message)")
        }
    }
}
