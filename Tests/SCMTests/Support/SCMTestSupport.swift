import AsyncHTTPClient
import KeelsonTesting
import SCM
import Synchronization

/// Records the delays the client asks to wait instead of waiting, so retry tests run at once.
final class SleepRecorder: Sendable {
    private let delays = Mutex<[Duration]>([])

    /// The delays asked for, in order.
    var recorded: [Duration] { delays.withLock { $0 } }

    /// The `sleep` to hand to `SCMClient`.
    var sleep: @Sendable (Duration) async throws -> Void {
        { [self] delay in delays.withLock { $0.append(delay) } }
    }
}

enum Fixture {
    static let token = "kt_SECRET_TOKEN_4242"
    static let sha = "3f2a1c0d9e8b7a6f5e4d3c2b1a0f9e8d7c6b5a49"
    static let otherSHA = "0123456789abcdef0123456789abcdef01234567"

    /// The project used on each forge; GitLab's is namespaced, so it travels URL-encoded.
    static func project(_ forge: Forge) -> String {
        forge == .gitlab ? "platform/shop/deploy" : "shop/deploy"
    }
}

extension FakeSCM {
    /// A client for `Fixture.project(forge)` on this fake, sleeping through `sleeper` when given.
    func client(_ forge: Forge, token: String = Fixture.token, sleeper: SleepRecorder = SleepRecorder()) throws(SCMError) -> SCMClient {
        SCMClient(repository: try repository(forge, project: Fixture.project(forge)), token: token, sleep: sleeper.sleep)
    }
}

/// Runs `body` with an HTTP client that fails a refused connection at once: the shared client
/// retries connecting until the request's deadline, which would make network tests wait 15 s.
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
