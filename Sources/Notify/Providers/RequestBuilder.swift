import Foundation
import Manifests

/// Makes the HTTP request a provider sends for an event: pure functions, one file per provider
/// family, with the shared rules (addresses, standard headers, JSON bodies) here.
///
/// Every request carries `User-Agent: keelson` and `X-Keelson-Event-ID: <event.key>`, so
/// receivers can deduplicate. JSON bodies are written by `JSONWriter`, so every value is escaped.
/// Forge types (`github`, `githubprcomment`, …) have no request here: they go through `SCMClient`
/// (see `Deliverer`).
///
/// ```swift
/// let request = try RequestBuilder.request(event: event, message: message, provider: spec, credentials: secret, sentAt: Date())
/// ```
public enum RequestBuilder {
    /// The request `provider` sends for `event`, or nil when the event means nothing to it
    /// (PagerDuty and Opsgenie take only events that open or close an incident).
    ///
    /// - Throws: a `.configuration` failure when the Provider or its Secret cannot make a
    ///   request (no address, no `hmacKey` for `generic-hmac`, a forge type).
    public static func request(
        event: NotificationEvent, message: RenderedMessage, provider: ProviderSpec, credentials: ProviderCredentials, sentAt: Date
    ) throws(DeliveryFailure) -> OutgoingRequest? {
        let input = RequestInput(event: event, message: message, provider: provider, credentials: credentials, sentAt: sentAt)
        switch provider.type {
        case .generic: return try generic(input)
        case .genericHMAC: return try genericHMAC(input)
        case .webhook: return try webhook(input)
        case .slack: return try slack(input)
        case .msteams: return try msteams(input)
        case .discord: return try discord(input)
        case .pagerduty: return try pagerduty(input)
        case .opsgenie: return try opsgenie(input)
        case .alertmanager: return try alertmanager(input)
        case .github, .gitlab, .gitea, .githubPRComment, .gitlabMRComment, .giteaPRComment:
            throw input.failure("\(provider.type.rawValue) posts through the forge's API, not a request of its own")
        }
    }

    /// Why a provider type sends nothing for an event the builder returned nil for.
    static func skipReason(_ type: ProviderType, _ event: NotificationEvent) -> String {
        "\(type.rawValue) takes only events that open or close an incident, not \(event.type.rawValue)"
    }
}

/// Everything a builder reads, with the rules every builder shares.
struct RequestInput {
    var event: NotificationEvent
    var message: RenderedMessage
    var provider: ProviderSpec
    var credentials: ProviderCredentials
    var sentAt: Date

    /// A configuration failure naming the provider.
    func failure(_ what: String) -> DeliveryFailure { .configuration(provider.name, what) }

    /// The target URL: the Secret's `address` first (it keeps webhook URLs secret), then the spec's.
    func address() throws(DeliveryFailure) -> String {
        guard let address = credentials.address ?? provider.address, !address.isEmpty else {
            throw failure("no address: set spec.address or the Secret's address key")
        }
        return try checked(address, "the address")
    }

    /// `spec.apiURL` or the service's public endpoint, without a trailing slash.
    func apiURL(default fallback: String) throws(DeliveryFailure) -> String {
        guard let url = provider.apiURL, !url.isEmpty else { return fallback }
        return try checked(url, "spec.apiURL")
    }

    /// `url` without trailing slashes, when it is an http or https URL with a host and no
    /// whitespace; the URL itself never goes into the error (it may be a secret).
    func checked(_ url: String, _ what: String) throws(DeliveryFailure) -> String {
        let lowered = url.lowercased()
        let scheme = ["https://", "http://"].first { lowered.hasPrefix($0) }
        let host = scheme.map { url.dropFirst($0.count).prefix { $0 != "/" && $0 != "?" && $0 != "#" } } ?? ""
        guard scheme != nil, !host.isEmpty, !url.unicodeScalars.contains(where: { $0.value <= 0x20 || $0.value == 0x7F }) else {
            throw failure("\(what) is not an http or https URL")
        }
        var url = url
        while url.hasSuffix("/") { url.removeLast() }
        return url
    }

    /// A request with the standard headers and `body` written as compact JSON.
    func json(_ url: String, _ body: JSONValue, method: String = "POST") -> OutgoingRequest {
        raw(method, url, Array(JSONWriter.compact(body).utf8))
    }

    /// A request with `Content-Type: application/json`, `User-Agent` and the event id.
    func raw(_ method: String, _ url: String, _ body: [UInt8]) -> OutgoingRequest {
        var request = OutgoingRequest(method: method, url: url, body: body)
        request.setHeader("Content-Type", "application/json")
        request.setHeader("User-Agent", "keelson")
        request.setHeader("X-Keelson-Event-ID", event.key)
        return request
    }

    /// `request` with the Secret's `headers` and its `username`/`password` as basic auth. Keelson's
    /// own headers win over the Secret's, so a Secret cannot forge the event id or a signature.
    func withSecretHeaders(_ request: OutgoingRequest) throws(DeliveryFailure) -> OutgoingRequest {
        var result = request
        result.headers = []
        for (name, value) in credentials.headers.sorted(by: { $0.key < $1.key }) {
            guard Self.isToken(name), !value.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\t") || $0.value == 0x7F }) else {
                throw failure("a header in the Secret's headers key is not a valid HTTP header")
            }
            result.setHeader(name, value)
        }
        if let username = credentials.username {
            let pair = Data("\(username):\(credentials.password ?? "")".utf8).base64EncodedString()
            result.setHeader("Authorization", "Basic " + pair)
        }
        for (name, value) in request.headers { result.setHeader(name, value) }
        return result
    }

    /// Whether `name` is an HTTP token (RFC 9110 §5.6.2).
    static func isToken(_ name: String) -> Bool {
        !name.isEmpty
            && name.unicodeScalars.allSatisfy {
                $0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0) || "!#$%&'*+-.^_`|~".unicodeScalars.contains($0))
            }
    }

    /// The Application as `namespace/name`.
    var application: String { event.source.id }

    /// The first 7 characters of the revision, as people read commits.
    var shortRevision: String { String(event.revision.prefix(7)) }

    /// `sentAt` as RFC 3339 (`2025-01-31T12:00:00Z`).
    var timestamp: String { ISO8601DateFormatter().string(from: sentAt) }

    /// An object of string values, keys sorted so the same input makes the same bytes.
    static func strings(_ values: [String: String]) -> JSONValue {
        var object = JSONObject()
        for key in values.keys.sorted() { object[key] = .string(values[key]!) }
        return .object(object)
    }
}

extension String {
    /// At most `limit` characters, ending with "…" when cut (services refuse longer fields).
    func cut(to limit: Int) -> String {
        count <= limit ? self : String(prefix(limit - 1)) + "…"
    }
}
