import ArgumentParser
import Foundation
import Kube
import Manifests
import Plan
import SCM
import Secrets

/// `keelson plan --base REV --head REV`: what merging a change would do to every Application of
/// the repository, rendered with the controller's own renderers at both revisions.
struct PlanCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "plan",
        abstract: "Show what a change to a GitOps repository would do to each of its Applications.",
        discussion: """
            Every keelson.dev Application of the repository is rendered at --base and at --head and compared \
            object by object; Secret values are always masked, and SOPS files are compared sealed unless \
            --decrypt-identity is given (only for trusted branches: a change could move a decrypted value \
            into an object that is not masked). Exit status: 0 a plan was made, 1 the head failed to render \
            or would be refused, or posting failed, 2 bad usage; with --detailed-exitcode, 3 when something changes.
            """
    )

    enum Format: String, ExpressibleByArgument, CaseIterable { case text, markdown, json }

    @Option(help: "The repository: a local work tree or a Git URL (token from KEELSON_GIT_TOKEN).")
    var repo = "."

    @Option(help: "The revision the change merges into (branch, tag or commit).")
    var base: String

    @Option(help: "The revision of the change.")
    var head = "HEAD"

    @Option(name: .customLong("apps"), help: "Look for Applications only under this directory (repeatable; default: everywhere).")
    var apps: [String] = []

    @Option(name: .customLong("repo-url"), help: "A URL Applications use for this repository, beside its origin (repeatable).")
    var repoURLs: [String] = []

    @Option(name: .shortAndLong, help: "Output format: text, markdown or json.")
    var output: Format = .text

    @Option(name: .customLong("output-dir"), help: "Also write plan.md, plan.json and each Application's rendered objects here.")
    var outputDirectory: String?

    @Option(
        name: .customLong("decrypt-identity"),
        help: "Decrypt SOPS files with the age identities in this file (repeatable). Only for trusted branches.")
    var decryptIdentities: [String] = []

    @Flag(help: "Also compare the head with the cluster (--kubeconfig, --context): what a sync would do now, dry-run applied.")
    var live = false

    @OptionGroup var cluster: ClusterOptions

    @Option(help: "Post the plan to a pull request on github, gitlab or gitea (token from KEELSON_SCM_TOKEN).")
    var post: Forge?

    @Option(name: .customLong("api-url"), help: "With --post: the forge's API (GitHub) or server (GitLab, Gitea) URL.")
    var apiURL: String?

    @Option(help: "With --post: the repository, OWNER/REPO (GitLab: a project id or path).")
    var project: String?

    @Option(name: .customLong("pr"), help: "With --post: the pull (merge) request number.")
    var pullRequest: Int?

    @Option(name: .customLong("plan-id"), help: "With --post: tells this plan's comment and status apart from other plans of the pull request.")
    var planID = "default"

    @Option(name: .customLong("max-comment-chars"), help: "With --post: the most characters the comment may hold; diffs are cut, largest first.")
    var maximumCommentCharacters = 60_000

    @Flag(name: .customLong("detailed-exitcode"), help: "Exit 0 when nothing changes and 3 when something does.")
    var detailedExitCode = false

    func validate() throws {
        guard post != nil else {
            if project != nil || pullRequest != nil || apiURL != nil { throw ValidationError("--project, --pr and --api-url go with --post") }
            return
        }
        guard project != nil, let pullRequest, pullRequest > 0 else { throw ValidationError("--post needs --project and --pr") }
        guard (1_000...65_536).contains(maximumCommentCharacters) else { throw ValidationError("--max-comment-chars must be 1000 to 65536") }
        guard PlanPost.isValid(planID: planID) else {
            throw ValidationError("--plan-id takes letters, digits, '.', '_' and '-'")
        }
    }

    func run() async throws {
        let poster: PlanPost?
        do {
            poster = try self.poster()
        } catch {
            CLI.error(String(describing: error))
            throw ExitCode(2)
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent("keelson-plan-\(UUID().uuidString)").path
        defer { try? FileManager.default.removeItem(atPath: scratch) }
        var options = PlanOptions(repository: repo, base: base, head: head, scratch: scratch)
        options.applicationDirectories = apps
        options.repositoryURLs = repoURLs
        let result: PlanResult
        do {
            options.identities = try identities()
            CLI.note("planning \(base) → \(head)")
            let planner = Planner(options: options)
            if live {
                result = try await cluster.withClient { client in try await planner.plan(live: client) }
            } else {
                result = try await planner.plan()
            }
        } catch let error as PlanError where error.code == .usage {
            CLI.error(error.message)
            throw ExitCode(2)
        } catch {
            // The head could not even be planned: say so on it, when it is known.
            if let poster, let head = try? await Planner(options: options).resolveHead() {
                try? await poster.postFailure(String(describing: error), head: head)
            }
            throw error
        }
        let plan = result.plan
        switch output {
        case .text: CLI.write(plan.text)
        case .markdown: CLI.write(plan.markdown())
        case .json: CLI.write(JSONWriter.pretty(plan.json))
        }
        if let outputDirectory { try write(result, to: outputDirectory) }
        if let poster {
            do {
                let (comment, status) = try await poster.post(plan)
                CLI.note("comment \(comment.id) \(Self.describe(comment)); status \(poster.context) \(status == .posted ? "posted" : "unchanged")")
            } catch {
                CLI.error("posting the plan: \(error)")
                throw ExitCode(1)
            }
        }
        if plan.fails { throw ExitCode(1) }
        if detailedExitCode && plan.hasChanges { throw ExitCode(3) }
    }

    /// The poster `--post` asks for, with the token from `KEELSON_SCM_TOKEN`.
    func poster() throws -> PlanPost? {
        guard let post, let project, let pullRequest else { return nil }
        guard let token = ProcessInfo.processInfo.environment["KEELSON_SCM_TOKEN"], !token.isEmpty else {
            throw ValidationError("--post needs the forge's token in KEELSON_SCM_TOKEN")
        }
        let repository = try SCMRepository(forge: post, apiURL: apiURL, project: project)
        return PlanPost(
            client: SCMClient(repository: repository, token: token), pullRequest: pullRequest, planID: planID,
            maximumCharacters: maximumCommentCharacters)
    }

    static func describe(_ outcome: CommentOutcome) -> String {
        switch outcome {
        case .created: "created"
        case .updated: "updated"
        case .unchanged: "unchanged"
        }
    }

    /// `plan.md`, `plan.json`, and `base/` and `head/` with each Application's objects as
    /// `namespace_name.yaml` (Secret values masked).
    func write(_ result: PlanResult, to directory: String) throws {
        let files = FileManager.default
        for side in ["base", "head"] { try files.createDirectory(atPath: directory + "/" + side, withIntermediateDirectories: true) }
        try Data(result.plan.markdown().utf8).write(to: URL(fileURLWithPath: directory + "/plan.md"))
        try Data(JSONWriter.pretty(result.plan.json).utf8).write(to: URL(fileURLWithPath: directory + "/plan.json"))
        for (id, rendered) in result.rendered {
            let name = id.replacing("/", with: "_") + ".yaml"
            if let base = rendered.base { try Data(base.utf8).write(to: URL(fileURLWithPath: directory + "/base/" + name)) }
            if let head = rendered.head { try Data(head.utf8).write(to: URL(fileURLWithPath: directory + "/head/" + name)) }
        }
    }

    /// The age identities of `--decrypt-identity`.
    func identities() throws -> [AgeIdentity] {
        var identities: [AgeIdentity] = []
        for file in decryptIdentities {
            guard let data = FileManager.default.contents(atPath: file) else { throw PlanError(.usage, "\(file): cannot read the identity file") }
            identities += try AgeIdentity.parseFile(String(decoding: data, as: UTF8.self), source: file)
        }
        return identities
    }
}

extension Forge: ExpressibleByArgument {}
