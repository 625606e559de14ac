/// A failed forge call: what kind of failure, the forge and HTTP status involved, and a message
/// safe to show anywhere.
///
/// The message never holds the token, and every URL in it is cut to scheme, host and first path
/// segment (`https://api.github.com/repos/***`), so it can go into an Alert's condition as it is.
///
/// ```swift
/// do { _ = try await client.setStatus(status, sha: sha) }
/// catch let error where error.isPermanent { /* mark the Alert DeliveryFailed */ }
/// ```
public struct SCMError: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable {
        /// The forge refused the request as malformed (400, and 4xx without a code of their own).
        case badRequest
        /// The token is missing, wrong or lacks a scope (401, 403).
        case unauthorized
        /// The repository, commit or pull request does not exist, or the token cannot see it (404).
        case notFound
        /// The forge understood the request and refused it: a conflict, a validation failure such
        /// as GitHub's 422 "too many statuses", or a rate limit (429) that outlasted the retries.
        case rejected
        /// The forge failed (5xx).
        case server
        /// No answer came: connection refused, TLS failure, timeout (and 408).
        case network
        /// The answer could not be read: not the JSON expected, or larger than the limit.
        case badAnswer
        /// The caller passed something the client will not send (a malformed project or SHA).
        case invalid
    }

    /// What kind of failure this is.
    public var code: Code
    /// The forge involved, when the failure got that far.
    public var forge: Forge?
    /// The HTTP status, when the forge answered.
    public var statusCode: Int?
    /// A one-line explanation; never holds the token, and URLs in it are redacted.
    public var message: String
    /// Whether sending the same request again cannot succeed: 4xx other than 408 and 429 (so
    /// GitHub's 422 too), unreadable answers and invalid input.
    public var isPermanent: Bool

    /// Creates an error; `isPermanent` defaults to what `code` and `statusCode` imply.
    public init(_ code: Code, _ message: String, forge: Forge? = nil, statusCode: Int? = nil, isPermanent: Bool? = nil) {
        self.code = code
        self.forge = forge
        self.statusCode = statusCode
        self.message = message
        self.isPermanent = isPermanent ?? Self.impliesPermanence(code, statusCode: statusCode)
    }

    /// `forge: message`.
    public var description: String {
        guard let forge else { return message }
        return "\(forge.rawValue): \(message)"
    }

    private static func impliesPermanence(_ code: Code, statusCode: Int?) -> Bool {
        switch code {
        case .server, .network: false
        case .badRequest, .unauthorized, .notFound, .badAnswer, .invalid: true
        case .rejected: statusCode != 429 && statusCode != 408
        }
    }
}
