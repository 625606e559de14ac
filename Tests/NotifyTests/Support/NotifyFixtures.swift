import AsyncHTTPClient
import Foundation
import KeelsonTesting
import Logging
import Notify
import SCM
import Synchronization

/// Records the delays a sender asks to wait instead of waiting, so retry tests run at once.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])

    /// The delays asked for, in order.
    var recorded: [Duration] { delays.withLock { $0 } }

    /// The `sleep` to hand to `Deliverer`.
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] delay in delays.withLock { $0.append(delay) } }
    }
}

/// Events, messages and providers as the controller would hand them to `Deliverer`.
enum Sample {
    static let sha = "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49"
    static let repository = "https://github.com/shop/deploy"
    static let now = Date(timeIntervalSince1970: 1_750_000_000)

    /// `type` for the app `keelson/guestbook` deploying `repoURL` at `sha`.
    static func event(
        _ type: EventType, app: String = "guestbook", repoURL: String = repository, revision: String = sha, incident: String = "inc-7f3a"
    ) -> NotificationEvent {
        NotificationEvent(
            type: type, source: EventSource(namespace: "keelson", name: app, repoURL: repoURL), revision: revision,
            message: "\(type.title) at \(revision.prefix(7))", key: "\(type.rawValue)/keelson/\(app)/\(revision.prefix(7))",
            incidentKey: incident)
    }

    /// What the default Alert template renders for `event`.
    static func message(_ event: NotificationEvent, metadata: [String: String] = [:]) -> RenderedMessage {
        RenderedMessage(
            text: "\(event.type.title): \(event.source.name) \(event.revision.prefix(7))",
            title: "\(event.type.title): \(event.source.id)", metadata: metadata)
    }

    /// A Provider named `name` of `type`.
    static func provider(
        _ type: ProviderType, name: String = "hook", address: String? = nil, apiURL: String? = nil, timeout: Duration = .seconds(15)
    ) -> ProviderSpec {
        var spec = ProviderSpec(namespace: "keelson", name: name, type: type)
        spec.address = address
        spec.apiURL = apiURL
        spec.timeout = timeout
        return spec
    }

    /// Credentials with the given keys.
    static func credentials(
        address: String? = nil, token: String? = nil, routingKey: String? = nil, apiKey: String? = nil, hmacKey: String? = nil,
        headers: [String: String] = [:]
    ) -> ProviderCredentials {
        var credentials = ProviderCredentials()
        credentials.address = address
        credentials.token = token
        credentials.routingKey = routingKey
        credentials.apiKey = apiKey
        credentials.hmacKey = hmacKey
        credentials.headers = headers
        return credentials
    }

    /// The request `RequestBuilder` makes, stamped `now`.
    static func request(
        _ event: NotificationEvent, _ provider: ProviderSpec, _ credentials: ProviderCredentials = ProviderCredentials(),
        message: RenderedMessage? = nil
    ) throws -> OutgoingRequest? {
        try RequestBuilder.request(
            event: event, message: message ?? Self.message(event), provider: provider, credentials: credentials, sentAt: now)
    }
}

extension OutgoingRequest {
    /// The body parsed as a JSON object.
    var object: [String: Any] { (try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any]) ?? [:] }
}

extension Deliverer {
    /// A deliverer that records its waits in `sleeper` and stamps `Sample.now`.
    static func testing(
        sleeper: SleepRecorder = SleepRecorder(), retry: RetryPolicy = .standard, http: HTTPClient = .shared,
        logger: Logger = Logger(label: "test")
    ) -> Deliverer {
        Deliverer(http: http, retry: retry, sleep: sleeper.sleep, now: { Sample.now }, logger: logger)
    }
}

/// Runs `body` with an HTTP client that fails a refused connection at once: the shared client
/// retries connecting until the request's deadline.
func withFailFastHTTPClient<T: Sendable>(_ body: (HTTPClient) async throws -> T) async throws -> T {
    var configuration = HTTPClient.Configuration()
    configuration.connectionPool.retryConnectionEstablishment = false
    let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    do {
        let result = try await body(http)
        try await http.shutdown()
        return result
    } catch {
        try? await http.shutdown()
        throw error
    }
}
