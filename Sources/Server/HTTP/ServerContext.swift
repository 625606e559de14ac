import Hummingbird
import NIOCore

/// The request context of Keelson's server: who is calling (once authenticated) and from where.
public struct ServerContext: RequestContext, RemoteAddressRequestContext {
    public var coreContext: CoreRequestContextStorage
    /// The caller, set by `AuthMiddleware`; `nil` on unauthenticated paths.
    public var principal: Principal?
    /// The dashboard session the caller came with (set by `AuthMiddleware`); `nil` for a bearer token.
    public var sessionID: String?
    /// The peer's address, for rate limits and the audit log.
    public let remoteAddress: SocketAddress?

    public init(source: ApplicationRequestContextSource) {
        coreContext = CoreRequestContextStorage(source: source)
        remoteAddress = source.channel.remoteAddress
    }

    /// API request bodies are small JSON objects.
    public var maxUploadSize: Int { 64 * 1024 }

    /// The peer's IP address as text (`unknown` when the transport has none).
    public var clientAddress: String { remoteAddress?.ipAddress ?? "unknown" }

    /// The authenticated caller; throws 401 when a route forgot `AuthMiddleware`.
    public func requirePrincipal() throws -> Principal {
        guard let principal else { throw APIError.unauthorized("authentication required") }
        return principal
    }
}
