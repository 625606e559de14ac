/// Why a notification was not delivered, in words safe to put in an Alert's `Ready` condition.
///
/// `message` names the provider and the HTTP status (`HTTP 400 from provider hook`) and never
/// holds a URL, a token, a header value, a routing key or an HMAC key; `target` and `detail`
/// are redacted the same way (URLs cut to scheme, host and first path segment, then `/***`).
///
/// ```swift
/// if case .failed(let failure) = result.outcome, failure.isPermanent {
///     // Ready=False, reason DeliveryFailed, message failure.message
/// }
/// ```
public struct DeliveryFailure: Error, Sendable, Hashable, CustomStringConvertible {
    /// What kind of failure this is.
    public enum Code: String, Sendable, Hashable {
        /// The Provider or its Secret cannot make a request: a missing key, an unusable address.
        case configuration
        /// The service refused the request (4xx, or Slack's `"ok": false`).
        case rejected
        /// The service failed (5xx).
        case server
        /// No answer came: connection refused, TLS failure, timeout, cancellation.
        case network
        /// The answer could not be read.
        case badAnswer
    }

    /// What kind of failure this is.
    public var code: Code
    /// The Provider's name.
    public var provider: String
    /// The HTTP status, when the service answered.
    public var statusCode: Int?
    /// One line naming the provider: `HTTP 400 from provider hook`.
    public var message: String
    /// More about the failure where there is more to say (the forge's own message, the
    /// network error), already redacted.
    public var detail: String?
    /// The request as far as a message may show it: `POST https://hooks.slack.com/services/***`.
    public var target: String?
    /// Whether sending again cannot succeed: configuration errors and 4xx other than 408 and 429.
    public var isPermanent: Bool

    /// Creates a failure; `isPermanent` defaults to what `code` and `statusCode` imply.
    public init(
        _ code: Code, provider: String, message: String, statusCode: Int? = nil, detail: String? = nil, target: String? = nil,
        isPermanent: Bool? = nil
    ) {
        self.code = code
        self.provider = provider
        self.statusCode = statusCode
        self.message = message
        self.detail = detail
        self.target = target
        self.isPermanent = isPermanent ?? Self.impliesPermanence(code, statusCode: statusCode)
    }

    /// `HTTP 400 from provider hook (POST http://127.0.0.1:9099/generic/***)`.
    public var description: String {
        var text = message
        if let detail { text += ": " + detail }
        if let target { text += " (\(target))" }
        return text
    }

    /// An `HTTP <status> from provider <name>` failure.
    static func http(_ status: Int, provider: String, target: String?, detail: String? = nil) -> DeliveryFailure {
        let code: Code = (500..<600).contains(status) ? .server : (status == 408 ? .network : .rejected)
        return DeliveryFailure(
            code, provider: provider, message: "HTTP \(status) from provider \(provider)", statusCode: status, detail: detail, target: target)
    }

    /// A Provider that cannot send as configured.
    static func configuration(_ provider: String, _ what: String) -> DeliveryFailure {
        DeliveryFailure(.configuration, provider: provider, message: "provider \(provider): \(what)")
    }

    private static func impliesPermanence(_ code: Code, statusCode: Int?) -> Bool {
        switch code {
        case .configuration, .badAnswer: true
        case .server, .network: false
        case .rejected: statusCode != 429 && statusCode != 408
        }
    }
}
