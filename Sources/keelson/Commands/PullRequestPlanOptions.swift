import ArgumentParser
import Foundation
import GitSource
import Plan
import SCM

/// `keelson controller --pr-plans ...`: plans of pull requests from the server's Git webhooks.
struct PullRequestPlanOptions: ParsableArguments {
    @Flag(
        name: .customLong("pr-plans"),
        help: ArgumentHelp(
            "Plan pull requests: /hooks/github|gitlab|gitea also take pull-request events and post `keelson plan --live` to them.",
            discussion:
                "Only repositories and base branches an Application follows are planned, with that Application's Git credentials; the head is fetched from the base repository's refs/pull/N/head (GitLab: refs/merge-requests/N/head). Pull requests from forks are skipped unless --pr-plans-fork-repos names the base repository. The forge token comes from KEELSON_SCM_TOKEN or --pr-plans-token-file."
        ))
    var enabled = false

    @Option(
        name: .customLong("pr-plans-api-url"),
        help:
            "[FORGE=]URL: GitHub's API root, or GitLab's or Gitea's server root (repeatable; a URL without FORGE= serves every forge; default api.github.com and gitlab.com; Gitea needs one)."
    )
    var apiURLs: [String] = []

    @Option(name: .customLong("pr-plans-token-file"), help: "A file holding the forge token (default: KEELSON_SCM_TOKEN).")
    var tokenFile: String?

    @Option(
        name: .customLong("pr-plans-fork-repos"),
        help: "A repository URL whose pull requests from forks are planned too (repeatable; compared normalised).")
    var forkRepositories: [String] = []

    @Option(name: .customLong("pr-plans-id"), help: "Tells this controller's plan comment and status apart from other plans (one per cluster).")
    var planID = "default"

    func validate() throws {
        if !enabled && (!apiURLs.isEmpty || tokenFile != nil || !forkRepositories.isEmpty || planID != "default") {
            throw ValidationError("--pr-plans-api-url, --pr-plans-token-file, --pr-plans-fork-repos and --pr-plans-id go with --pr-plans")
        }
        guard PlanPost.isValid(planID: planID) else {
            throw ValidationError("--pr-plans-id takes letters, digits, '.', '_' and '-'")
        }
    }

    /// The settings, or nil without `--pr-plans`; `environment` gives `KEELSON_SCM_TOKEN`.
    func configuration(environment: [String: String] = ProcessInfo.processInfo.environment) throws -> PullRequestPlanConfiguration? {
        guard enabled else { return nil }
        var configuration = PullRequestPlanConfiguration(token: try token(environment))
        configuration.apiURLs = try Self.apiURLs(apiURLs)
        configuration.forkRepositories = Set(forkRepositories.map(RepositoryURL.normalize))
        configuration.planID = planID
        return configuration
    }

    /// The token from `--pr-plans-token-file`, else `KEELSON_SCM_TOKEN`.
    func token(_ environment: [String: String]) throws -> String {
        if let tokenFile {
            guard let data = FileManager.default.contents(atPath: tokenFile) else {
                throw ValidationError("--pr-plans-token-file \(tokenFile): cannot read the file")
            }
            let token = String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            guard !token.isEmpty else { throw ValidationError("--pr-plans-token-file \(tokenFile): the file is empty") }
            return token
        }
        guard let token = environment["KEELSON_SCM_TOKEN"], !token.isEmpty else {
            throw ValidationError("--pr-plans needs the forge's token in KEELSON_SCM_TOKEN or --pr-plans-token-file")
        }
        return token
    }

    /// `[FORGE=]URL` values by forge, checked; GitLab's `/api/v4` and Gitea's `/api/v1` are
    /// taken off, since the client adds them.
    static func apiURLs(_ values: [String]) throws -> [Forge: String] {
        var urls: [Forge: String] = [:]
        for value in values {
            var forges = Forge.allCases
            var url = value
            if let equals = value.firstIndex(of: "="), let forge = Forge(rawValue: String(value[..<equals])) {
                forges = [forge]
                url = String(value[value.index(after: equals)...])
            }
            for forge in forges {
                var root = url
                while root.hasSuffix("/") { root.removeLast() }
                for suffix in ["/api/v4", "/api/v1"] where root.hasSuffix(suffix) && forge != .github { root.removeLast(suffix.count) }
                do { _ = try SCMRepository(forge: forge, apiURL: root, project: forge == .gitlab ? "1" : "o/r") } catch {
                    throw ValidationError("--pr-plans-api-url \(value): \(error)")
                }
                urls[forge] = root
            }
        }
        return urls
    }
}
