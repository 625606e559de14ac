/// Maps what a failed git command printed to a `GitError` code. Policy is a table: the
/// first pattern found in standard error decides.
enum GitFailureClassifier {
    static let rules: [(pattern: String, code: GitError.Code)] = [
        ("Authentication failed", .authentication),
        ("could not read Username", .authentication),
        ("could not read Password", .authentication),
        ("terminal prompts disabled", .authentication),
        ("Permission denied (publickey", .authentication),
        ("Host key verification failed", .authentication),
        ("HTTP 401", .authentication),
        ("HTTP 403", .authentication),
        ("transport '", .protocolNotAllowed),
        ("not allowed", .protocolNotAllowed),
        ("Repository not found", .notFound),
        ("does not appear to be a git repository", .notFound),
        ("not found", .notFound),
        ("HTTP 404", .notFound),
        ("couldn't find remote ref", .notFound),
        ("no such remote ref", .notFound),
        ("not our ref", .notFound),
        ("unadvertised object", .notFound),
        ("No such file or directory", .notFound),
        ("CONFLICT", .conflict),
        ("could not apply", .conflict),
    ]

    static func code(for stderr: String) -> GitError.Code {
        rules.first { stderr.contains($0.pattern) }?.code ?? .command
    }

    static func error(for invocation: GitInvocation, output: GitOutput) -> GitError {
        let lines = output.stderr.split(separator: "\n").suffix(6).joined(separator: "\n")
        let failure = GitCommandFailure(subcommand: invocation.subcommand, status: output.status, standardError: lines)
        let last = output.stderr.split(separator: "\n").last(where: { !$0.hasPrefix("hint:") }).map(String.init) ?? "failed"
        return GitError(
            code(for: output.stderr), "git \(invocation.subcommand): \(last)",
            repository: invocation.remote?.description, cause: failure)
    }
}
