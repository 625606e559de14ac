import Hummingbird
import Manifests

/// An error the server answers with `{"error": {"code", "reason", "message"}}`.
public struct APIError: HTTPResponseError, Sendable, CustomStringConvertible {
    /// The HTTP status.
    public var status: HTTPResponse.Status
    /// A CamelCase reason, as Kubernetes' `Status.reason` (`NotFound`, `Forbidden`...).
    public var reason: String
    /// A sentence for people; never a secret.
    public var message: String
    /// Extra response headers (`WWW-Authenticate`, `Allow`, `Retry-After`).
    public var headers: HTTPFields

    /// Creates an error.
    public init(_ status: HTTPResponse.Status, _ reason: String, _ message: String, headers: HTTPFields = [:]) {
        self.status = status
        self.reason = reason
        self.message = message
        self.headers = headers
    }

    public var description: String { "\(status.code) \(reason): \(message)" }

    /// The error body.
    public var json: JSONValue {
        ["error": ["code": .number(JSONNumber(Int64(status.code))), "reason": .string(reason), "message": .string(message)]]
    }

    public func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = JSONResponse.make(json, status: status)
        for field in headers { response.headers.append(field) }
        return response
    }

    static func notFound(_ message: String) -> APIError { APIError(.notFound, "NotFound", message) }
    static func badRequest(_ message: String) -> APIError { APIError(.badRequest, "BadRequest", message) }
    static func forbidden(_ message: String) -> APIError { APIError(.forbidden, "Forbidden", message) }
    static func conflict(_ reason: String, _ message: String) -> APIError { APIError(.conflict, reason, message) }
    static func unauthorized(_ message: String) -> APIError {
        APIError(.unauthorized, "Unauthorized", message, headers: [.wwwAuthenticate: "Bearer realm=\"keelson\""])
    }
}

/// JSON responses from `JSONValue`s (key order kept).
public enum JSONResponse {
    /// A response with `value` as its JSON body.
    public static func make(_ value: JSONValue, status: HTTPResponse.Status = .ok) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = "application/json; charset=utf-8"
        headers[.cacheControl] = "no-store"
        return Response(status: status, headers: headers, body: ResponseBody(byteBuffer: ByteBuffer(string: JSONWriter.compact(value))))
    }
}

/// Converts errors thrown by routes into the JSON error shape: `APIError` as it is, Hummingbird's
/// `HTTPError` (unknown route, body too large) by its status, anything else as a 500 whose detail
/// goes to the log only.
struct ErrorMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return try error.response(from: request, context: context)
        } catch let error as HTTPError {
            let reason: String =
                switch error.status {
                case .notFound: "NotFound"
                case .contentTooLarge: "RequestEntityTooLarge"
                case .methodNotAllowed: "MethodNotAllowed"
                case .badRequest: "BadRequest"
                default: error.status.reasonPhrase.replacingOccurrences(of: " ", with: "")
                }
            let message = error.body ?? (error.status == .notFound ? "no such path: \(request.uri.path)" : error.status.reasonPhrase)
            return try APIError(error.status, reason, message, headers: error.headers).response(from: request, context: context)
        } catch {
            context.logger.error("request failed", metadata: ["http.path": "\(request.uri.path)", "error": "\(error)"])
            return try APIError(.internalServerError, "InternalError", "the server failed to answer; see its log").response(
                from: request, context: context)
        }
    }
}
