/// A failed Kubernetes API call: what failed, the API `Status` when the server sent one, and
/// the underlying cause.
///
/// ```swift
/// do { _ = try await client.get(.init(apiVersion: "v1", kind: "ConfigMap"), name: "x", namespace: "ns") }
/// catch let error as KubeError where error.isNotFound { /* create it */ }
/// ```
public struct KubeError: Error, Sendable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// The server answered with a non-success status; `status` says which.
        case api
        /// The request never got an answer (connection refused, TLS failure, timeout).
        case transport
        /// A reply body was larger than the client's limit.
        case responseTooLarge
        /// A reply body could not be decoded.
        case decoding
        /// Discovery does not know the requested kind.
        case unknownKind
        /// The caller passed something the API cannot take (an object without a name).
        case invalidRequest
        /// Credentials could not be obtained (exec plugin failed, token file missing).
        case credentials
    }

    /// What kind of failure this is.
    public var code: Code
    /// A one-line explanation; never contains credentials.
    public var message: String
    /// The API status, for `.api` errors.
    public var status: APIStatus?
    /// The object or path involved, e.g. `Deployment/web/api` or `GET /apis/apps/v1`.
    public var resource: String
    /// The underlying error.
    public var cause: (any Error & Sendable)?

    /// Creates an error.
    public init(
        _ code: Code, _ message: String, status: APIStatus? = nil, resource: String = "",
        cause: (any Error & Sendable)? = nil
    ) {
        self.code = code
        self.message = message
        self.status = status
        self.resource = resource
        self.cause = cause
    }

    /// Creates an `.api` error from a server status.
    public init(status: APIStatus, resource: String) {
        self.init(.api, status.message, status: status, resource: resource)
    }

    /// `resource: message (reason, HTTP code)`.
    public var description: String {
        var text = resource.isEmpty ? message : "\(resource): \(message)"
        if let status { text += " (\(status.reason.isEmpty ? "Unknown" : status.reason), HTTP \(status.code))" }
        return text
    }

    private func hasReason(_ reason: String, orCode code: Int) -> Bool {
        guard let status else { return false }
        return status.reason == reason || (status.reason.isEmpty && status.code == code)
    }

    /// The object does not exist (404 `NotFound`).
    public var isNotFound: Bool { hasReason("NotFound", orCode: 404) }
    /// The object already exists (409 `AlreadyExists`).
    public var isAlreadyExists: Bool { hasReason("AlreadyExists", orCode: -1) }
    /// A write lost an optimistic-concurrency or field-ownership race (409 `Conflict`).
    public var isConflict: Bool { hasReason("Conflict", orCode: 409) }
    /// The object failed validation (422 `Invalid`).
    public var isInvalid: Bool { hasReason("Invalid", orCode: 422) }
    /// The caller may not do this (403 `Forbidden`).
    public var isForbidden: Bool { hasReason("Forbidden", orCode: 403) }
    /// The server asked the client to slow down (429 `TooManyRequests`).
    public var isTooManyRequests: Bool { hasReason("TooManyRequests", orCode: 429) }
    /// The server or the request timed out (504 `Timeout` or 500 `ServerTimeout`).
    public var isTimeout: Bool { hasReason("Timeout", orCode: 504) || status?.reason == "ServerTimeout" }
    /// The requested resourceVersion is too old to watch or list from (410 `Gone`/`Expired`).
    public var isGone: Bool { status?.code == 410 || status?.reason == "Expired" || status?.reason == "Gone" }
    /// The credentials were rejected (401 `Unauthorized`).
    public var isUnauthorized: Bool { hasReason("Unauthorized", orCode: 401) }
}
