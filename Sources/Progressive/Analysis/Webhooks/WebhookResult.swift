/// What a webhook call came to: passed on a 2xx answer, failed otherwise with the status and a
/// short excerpt of the answer (Flagger puts the body in its events the same way).
public struct WebhookResult: Sendable, Hashable {
    /// Whether the webhook answered 2xx.
    public var passed: Bool
    /// The HTTP status, when it answered.
    public var statusCode: Int?
    /// `webhook smoke: HTTP 500 from POST http://tester.shop/: boom`.
    public var message: String

    /// Creates a result.
    public init(passed: Bool, statusCode: Int?, message: String) {
        self.passed = passed
        self.statusCode = statusCode
        self.message = message
    }
}
