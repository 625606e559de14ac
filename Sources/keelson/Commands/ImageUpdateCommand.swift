import ArgumentParser
import Foundation
import GitSource
import ImageAutomation
import Synchronization

extension ImageCommand {
    /// `keelson image update`: the setters run once with the policies a repository holds.
    struct Update: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Run the $imagepolicy setters once with the ImagePolicy objects found under a path of a repository.",
            discussion: """
                Reads ImagePolicy objects (keelson.dev/v1alpha1, or Flux's with their ImageRepository) from the YAML under \
                --path, scans their registries (docker config credentials), rewrites only the marked values, prints each \
                file:line changed and commits. With --push the repository (URL or path) is cloned, committed to and pushed, \
                retrying on races; without it --repo must be a local working tree, whose checked-out branch gets the commit. \
                Git credentials: KEELSON_GIT_TOKEN, or KEELSON_GIT_SSH_KEY with KEELSON_GIT_KNOWN_HOSTS; never printed.
                """)

        @Option(help: "The repository: a URL, or a local path.")
        var repo: String

        @Option(help: "With --push: the branch to check out (default main).")
        var branch: String?

        @Option(help: "The directory inside the repository whose YAML files are read and updated.")
        var path: String

        @Flag(help: "Clone, commit and push instead of committing in a local working tree.")
        var push = false

        @Option(name: .customLong("push-branch"), help: "With --push: push to this branch (for review) instead of --branch.")
        var pushBranch: String?

        @Option(help: "The commit message; may use the ImageUpdateAutomation template tags ({{#images}}…).")
        var message: String?

        @Option(help: "The namespace of policies that name none (setters say NAMESPACE:NAME).")
        var namespace = "default"

        @Option(name: .customLong("ca-file"), help: "Extra trusted CA certificates (PEM) for registries.")
        var caFile: String?

        @Flag(name: .customLong("allow-http"), help: "Allow plain http:// Git remotes.")
        var allowHTTP = false

        func validate() throws {
            if path.hasPrefix("/") || path.split(separator: "/").contains("..") { throw ValidationError("--path must stay inside the repository") }
            if !push && (pushBranch != nil || branch != nil) { throw ValidationError("--branch and --push-branch go with --push") }
        }

        func run() async throws {
            let options = try ImageCommand.registryOptions(insecure: false, caFile: caFile)
            let docker = try ImageCommand.dockerConfig()
            let template = try MessageTemplate(message ?? ImageUpdateAutomation.defaultMessageTemplate)
            let (directory, namespace) = (path, namespace)
            let changes = Mutex<[YAMLChange]>([])
            let change: @Sendable (String) async throws -> [String] = { workTree in
                var selected: [String: SelectedImage] = [:]
                for (policy, repository) in try RepositoryPolicies.read(workTree: workTree, directory: directory, defaultNamespace: namespace)
                where !policy.suspend {
                    selected[policy.id] = try await PolicyScanner.select(policy, repository: repository, options: options, docker: docker).selected
                }
                let updater = SetterUpdater(policies: selected)
                let result = try WorkTreeSetters.run(workTree: workTree, directory: directory) { bytes, file in try updater.update(bytes, file: file)
                }
                changes.withLock { $0 = result.changes }
                return result.paths
            }
            let branch = self.branch ?? "main"
            let target = pushBranch ?? branch
            let messageFor: @Sendable () -> String = {
                template.render(automation: "keelson image update", branch: target, path: directory, changes: changes.withLock { $0 })
            }
            let committed: String?
            if push {
                let remote = try GitWriteOptions.remote(repo)
                let cache = try GitWriteOptions.cache("image-update", allowHTTP: allowHTTP)
                defer { try? FileManager.default.removeItem(atPath: cache.directory) }
                let request = PushRequest(
                    branch: branch, author: PromoteCommand.author, message: "Update images", strategy: .reapply, maximumAttempts: 10,
                    pushBranch: pushBranch, messageProvider: messageFor)
                committed = try await cache.commitAndPush(remote, request, change: change).map { "committed \($0.commit.prefix(12)) to \(target)" }
            } else {
                committed = try await Self.commitInWorkingTree(repo, change: change, message: messageFor)
            }
            var out = changes.withLock { $0 }.map { "\($0)\n" }.joined()
            out += (committed ?? "nothing to change") + "\n"
            CLI.write(out)
        }

        /// Runs `change` in the working tree at `repo` and commits the paths it wrote on the checked-out branch.
        static func commitInWorkingTree(
            _ repo: String, change: @Sendable (String) async throws -> [String], message: () -> String
        ) async throws -> String? {
            let root = URL(fileURLWithPath: repo).standardizedFileURL.path
            guard FileManager.default.fileExists(atPath: root + "/.git") else {
                throw CLIError("\(repo): not a Git working tree; give --push to clone, commit and push a remote or bare repository")
            }
            let paths = try await change(root)
            guard !paths.isEmpty else { return nil }
            let runner = try GitRunner()
            let identity = [
                "GIT_AUTHOR_NAME": PromoteCommand.author.name, "GIT_AUTHOR_EMAIL": PromoteCommand.author.email,
                "GIT_COMMITTER_NAME": PromoteCommand.author.name, "GIT_COMMITTER_EMAIL": PromoteCommand.author.email,
            ]
            _ = try await runner.check(GitInvocation(["add", "--"] + paths, in: root, environment: identity))
            _ = try await runner.check(
                GitInvocation(["commit", "--quiet", "--no-verify", "--no-gpg-sign", "-m", message(), "--"] + paths, in: root, environment: identity))
            let head = try await runner.check(GitInvocation(["rev-parse", "--abbrev-ref", "HEAD"], in: root))
            let sha = try await runner.check(GitInvocation(["rev-parse", "HEAD"], in: root))
            return "committed \(sha.stdout.prefix(12)) to \(head.stdout.trimmingCharacters(in: .whitespacesAndNewlines))"
        }
    }
}
