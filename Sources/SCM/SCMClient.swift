import AsyncHTTPClient
import Logging

/// Writes commit statuses and pull-request comments on GitHub, GitLab and Gitea.
///
/// Requests are retried after network errors, 5xx and 429 answers (honouring `Retry-After`),
/// never after other 4xx. Each request has its own timeout; answers are read up to 4 MiB. The
/// token goes only to `repository.apiURL`, and no error or log line holds it or a full URL.
///
/// ```swift
/// let repository = try SCMRepository(forge: .github, project: "shop/deploy")
/// let client = SCMClient(repository: repository, token: token)
/// let status = CommitStatus(state: .success, context: "keelson/shop/web", description: "deployed")
/// _ = try await client.setStatus(status, sha: revision)
/// for number in try await client.pullRequests(containing: revision) {
///     _ = try await client.upsertComment(pullRequest: number, marker: "keelson:preview/web", body: diff)
/// }
/// ```
///
/// By default no redirect is followed (`HTTPClient.withoutRedirects`): one would carry the token
/// (GitLab's `PRIVATE-TOKEN` survives a change of origin) to the host the answer names.
public struct SCMClient: Sendable {
    /// The repository written to.
    public let repository: SCMRepository
    let token: String
    let http: HTTPClient
    let timeout: Duration
    let retry: RetryPolicy
    let sleep: @Sendable (Duration) async throws -> Void
    let logger: Logger

    /// The most bytes of an answer the client reads.
    static let maximumAnswerBytes = 4 * 1024 * 1024

    /// Creates a client; `sleep` waits between attempts (tests pass one that only records).
    public init(
        repository: SCMRepository, token: String, http: HTTPClient = .withoutRedirects, timeout: Duration = .seconds(15),
        retry: RetryPolicy = .standard, sleep: @escaping @Sendable (Duration) async throws -> Void = { try await Task.sleep(for: $0) },
        logger: Logger = Logger(label: "keelson.scm")
    ) {
        self.repository = repository
        self.token = token
        self.http = http
        self.timeout = timeout
        self.retry = retry
        self.sleep = sleep
        var logger = logger
        logger[metadataKey: "keelson.forge"] = "\(repository.forge.rawValue)"
        self.logger = logger
    }

    var forge: Forge { repository.forge }

    /// An `.invalid` error for this forge.
    func invalid(_ message: String) -> SCMError {
        SCMError(.invalid, Redaction.scrub(message, secret: token), forge: forge)
    }

    /// Throws unless `sha` is a hexadecimal commit id (abbreviated from 7 digits, up to SHA-256's 64).
    func check(sha: String) throws(SCMError) {
        guard (7...64).contains(sha.count), sha.allSatisfy(\.isHexDigit) else {
            throw invalid("\"\(sha.prefix(80))\" is not a commit SHA")
        }
    }

    /// Throws unless `number` can be a pull or merge request number.
    func check(pullRequest number: Int) throws(SCMError) {
        guard number > 0 else { throw invalid("\(number) is not a pull request number") }
    }
}

extension SCMClient: CustomStringConvertible, CustomReflectable {
    /// `SCMClient(github https://api.github.com/*** shop/deploy)`: no token.
    public var description: String {
        "SCMClient(\(forge.rawValue) \(Redaction.url(repository.apiURL[...])) \(repository.project))"
    }

    /// Mirrors only the repository, so `dump` and debuggers never print the token.
    public var customMirror: Mirror { Mirror(self, children: ["repository": repository]) }
}
