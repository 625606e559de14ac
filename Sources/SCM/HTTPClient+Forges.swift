import AsyncHTTPClient

extension HTTPClient {
    /// The client forges and notification services are called with: it follows no redirect,
    /// since a redirect would carry a token (GitLab's `PRIVATE-TOKEN`, a Provider's custom
    /// headers) to whatever host the answer names. Lives as long as the process, like `shared`.
    public static let withoutRedirects = HTTPClient(
        eventLoopGroupProvider: .singleton, configuration: HTTPClient.Configuration(redirectConfiguration: .disallow))
}
