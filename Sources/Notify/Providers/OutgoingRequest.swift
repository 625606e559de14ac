import SCM

/// One HTTP request a provider sends: what the request builders make and `NotificationSender`
/// sends. Pure data, so a test or `keelson notify preview` can look at it without a network.
///
/// Its `description` shows the method, the redacted URL and the body size only: the URL and
/// header values may be secrets (a Slack webhook path, a bearer token, an Opsgenie key).
///
/// ```swift
/// let request = try RequestBuilder.request(event: event, message: message, provider: slack, credentials: secret, sentAt: .now)
/// // POST https://hooks.slack.com/services/*** (212 bytes)
/// ```
public struct OutgoingRequest: Sendable, CustomStringConvertible {
    /// `POST`, `PUT`, …
    public var method: String
    /// The full URL, query included.
    public var url: String
    /// Header fields in order; names compare without regard to case.
    public var headers: [(String, String)]
    /// The body bytes (empty for none).
    public var body: [UInt8]
    /// How a 2xx answer is read: most services mean success by the status alone.
    public var answer: AnswerCheck

    /// Creates a request.
    public init(method: String, url: String, headers: [(String, String)] = [], body: [UInt8] = [], answer: AnswerCheck = .status) {
        self.method = method
        self.url = url
        self.headers = headers
        self.body = body
        self.answer = answer
    }

    /// The value of header `name`, in any case; the last one when repeated.
    public func header(_ name: String) -> String? {
        headers.last { $0.0.lowercased() == name.lowercased() }?.1
    }

    /// Sets header `name` to `value`, replacing every field of that name.
    public mutating func setHeader(_ name: String, _ value: String) {
        headers.removeAll { $0.0.lowercased() == name.lowercased() }
        headers.append((name, value))
    }

    /// `METHOD scheme://host/first/***`: the most of a request any message shows.
    public var redactedTarget: String { "\(method) \(Redaction.url(url[...]))" }

    /// `POST https://hooks.slack.com/services/*** (212 bytes)`: no header value, no full URL.
    public var description: String { "\(redactedTarget) (\(body.count) bytes)" }
}

/// How a 2xx answer is judged.
public enum AnswerCheck: Sendable, Hashable {
    /// Any 2xx is a delivery.
    case status
    /// Slack's Web API answers 200 with `{"ok": false, "error": "channel_not_found"}`: only
    /// `"ok": true` is a delivery, and an error code is a permanent failure.
    case slackOK
}
