import Manifests
import SCM

extension PullRequestGenerator {
    /// One parameter set per open pull request, with Argo CD's names: `number`, `title`,
    /// `branch`, `branch_slug`, `target_branch`, `target_branch_slug`, `head_sha`,
    /// `head_short_sha` (8), `head_short_sha_7`, `author`, and with goTemplate `labels`.
    func parameters(_ pulls: [OpenPullRequest], goTemplate: Bool) -> [Parameters] {
        pulls.map { pull in
            var parameters: Parameters = [
                "number": .string(String(pull.number)), "title": .string(pull.title), "branch": .string(pull.branch),
                "branch_slug": .string(ParameterText.slug(pull.branch)), "target_branch": .string(pull.targetBranch),
                "target_branch_slug": .string(ParameterText.slug(pull.targetBranch)), "head_sha": .string(pull.headSHA),
                "head_short_sha": .string(String(pull.headSHA.prefix(8))), "head_short_sha_7": .string(String(pull.headSHA.prefix(7))),
                "author": .string(pull.author),
            ]
            if goTemplate { parameters["labels"] = .array(pull.labels.map { .string($0) }) }
            return parameters
        }
    }
}
