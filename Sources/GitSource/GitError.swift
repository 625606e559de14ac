/// A failed Git operation. The message and the URL never carry credentials.
public struct GitError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// A git command ran longer than its timeout and was killed.
        case timeout
        /// The server refused the credentials, or asked for some and none were configured.
        case authentication
        /// The repository, branch, tag, commit or matching version does not exist.
        case notFound
        /// The revision, ref name or version range is malformed.
        case invalidRevision
        /// The URL uses a transport that is not allowed.
        case protocolNotAllowed
        /// A push kept being rejected, or a rebase met a conflict.
        case conflict
        /// The repository grew past the cache's size limit.
        case tooLarge
        /// A git command failed for another reason, or could not be started.
        case command
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line explanation, free of credentials.
    public var message: String
    /// The repository involved, with credentials removed.
    public var repository: String?
    /// The underlying error, already stripped of credentials.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(_ code: Code, _ message: String, repository: String? = nil, cause: (any Error & Sendable)? = nil) {
        self.code = code
        self.message = message
        self.repository = repository
        self.cause = cause
    }

    public var description: String {
        var text = repository.map { "\($0): \(message)" } ?? message
        if let cause { text += " (\(cause))" }
        return text
    }
}

/// The output of a failed git command, kept as the cause of a `GitError` (credentials removed).
public struct GitCommandFailure: Error, Sendable, CustomStringConvertible {
    /// The git subcommand that failed, such as `fetch`.
    public var subcommand: String
    /// The exit status, or `nil` when the process was killed by a signal.
    public var status: Int32?
    /// The last lines of standard error, with credentials removed.
    public var standardError: String

    /// Creates a failure record.
    public init(subcommand: String, status: Int32?, standardError: String) {
        self.subcommand = subcommand
        self.status = status
        self.standardError = standardError
    }

    public var description: String {
        let exit = status.map { "exit \($0)" } ?? "killed"
        return "git \(subcommand) \(exit): \(standardError)"
    }
}
