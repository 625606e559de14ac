import AsyncHTTPClient
import Logging
import Manifests
import NIOCore
import NIOHTTP1

/// One API request before credentials and retries.
struct APIRequest: Sendable {
    var method: HTTPMethod
    var path: String
    var query: [(String, String)] = []
    var body: [UInt8]?
    var contentType: String = "application/json"
    var accept: String = "application/json"
    /// Names the object or collection in errors, e.g. `Deployment/web/api`.
    var resource: String

    /// `GET /api/v1/...`, for logs and errors (the query may carry selectors, never secrets).
    var summary: String { "\(method.rawValue) \(path)" }
}

extension KubeClient {
    /// The most bytes of an error reply read.
    static let maximumErrorBody = 1 << 20

    /// Sends a request and reads the whole reply, within `maxResponseBytes`.
    func send(_ request: APIRequest) async throws(KubeError) -> [UInt8] {
        let response = try await open(request, timeout: options.requestTimeout)
        do {
            let buffer = try await response.body.collect(upTo: options.maxResponseBytes)
            return Array(buffer.readableBytesView)
        } catch is NIOTooManyBytesError {
            throw KubeError(
                .responseTooLarge, "reply is larger than the limit of \(options.maxResponseBytes) bytes",
                resource: request.resource)
        } catch {
            throw KubeError(.transport, "reading the reply to \(request.summary) failed", resource: request.resource, cause: error)
        }
    }

    /// Sends a request and decodes the reply as JSON.
    func sendJSON(_ request: APIRequest) async throws(KubeError) -> JSONValue {
        try decode(try await send(request), resource: request.resource)
    }

    /// Decodes a JSON reply body.
    func decode(_ bytes: [UInt8], resource: String) throws(KubeError) -> JSONValue {
        do { return try JSONParser.parse(bytes, file: resource) } catch {
            throw KubeError(.decoding, "reply is not valid JSON: \(error.message)", resource: resource, cause: error)
        }
    }

    /// Sends a request, retrying refusals, and returns the successful reply with its body
    /// unread (watches stream it). Non-success replies become `KubeError`s carrying the Status.
    func open(_ request: APIRequest, timeout: Duration) async throws(KubeError) -> HTTPClientResponse {
        let policy = options.retry
        var random = SystemRandomNumberGenerator()
        var attempt = 1
        var reauthenticated = false
        while true {
            do { try await limiter.acquire() } catch {
                throw KubeError(.transport, "cancelled while rate limited", resource: request.resource, cause: error)
            }
            let httpRequest = try await makeHTTPRequest(request)
            let response: HTTPClientResponse
            do {
                response = try await http.execute(httpRequest, timeout: .nanoseconds(Int64(timeout / .nanoseconds(1))), logger: nil)
            } catch {
                // A request that never got an answer is repeated only when it is safe to (GET).
                if request.method == .GET, attempt < policy.maxAttempts, !Task.isCancelled {
                    let delay = policy.delay(beforeRetry: attempt, retryAfter: nil, using: &random)
                    logger.debug("request failed, retrying", metadata: ["k8s.request": "\(request.summary)", "k8s.delay": "\(delay)"])
                    try await wait(delay, request)
                    attempt += 1
                    continue
                }
                throw KubeError(.transport, "\(request.summary) failed: \(error)", resource: request.resource, cause: error)
            }
            let code = Int(response.status.code)
            logger.trace("reply", metadata: ["k8s.request": "\(request.summary)", "k8s.code": "\(code)"])
            if (200..<300).contains(code) { return response }
            let status = await readStatus(response, code: code)
            if code == 401, !reauthenticated {
                // A rotated token or an expired plugin credential: fetch fresh ones once.
                reauthenticated = true
                await credentials.invalidate()
                continue
            }
            if policy.isRetryable(code: code, method: request.method.rawValue), attempt < policy.maxAttempts {
                let header = RetryPolicy.parseRetryAfter(response.headers.first(name: "Retry-After"))
                let retryAfter = header ?? status.retryAfterSeconds.map { Duration.seconds($0) }
                let delay = policy.delay(beforeRetry: attempt, retryAfter: retryAfter, using: &random)
                logger.debug(
                    "server refused, retrying",
                    metadata: ["k8s.request": "\(request.summary)", "k8s.code": "\(code)", "k8s.delay": "\(delay)"])
                try await wait(delay, request)
                attempt += 1
                continue
            }
            throw KubeError(status: status, resource: request.resource)
        }
    }

    private func wait(_ delay: Duration, _ request: APIRequest) async throws(KubeError) {
        do { try await options.clock.sleep(for: delay) } catch {
            throw KubeError(.transport, "cancelled while waiting to retry", resource: request.resource, cause: error)
        }
    }

    private func makeHTTPRequest(_ request: APIRequest) async throws(KubeError) -> HTTPClientRequest {
        var httpRequest = HTTPClientRequest(url: configuration.server + request.path + ResourcePath.query(request.query))
        httpRequest.method = request.method
        httpRequest.headers.add(name: "Accept", value: request.accept)
        httpRequest.headers.add(name: "User-Agent", value: options.userAgent)
        if let authorization = try await credentials.authorization() {
            httpRequest.headers.add(name: "Authorization", value: authorization)
        }
        if let impersonation {
            httpRequest.headers.add(name: "Impersonate-User", value: impersonation.user)
            for group in impersonation.groups { httpRequest.headers.add(name: "Impersonate-Group", value: group) }
        }
        if let body = request.body {
            httpRequest.headers.add(name: "Content-Type", value: request.contentType)
            httpRequest.body = .bytes(ByteBuffer(bytes: body))
        }
        return httpRequest
    }

    /// The Status in an error reply, or one made from the HTTP code when the body is not a Status.
    private func readStatus(_ response: HTTPClientResponse, code: Int) async -> APIStatus {
        let bytes: [UInt8]
        do {
            bytes = Array(try await response.body.collect(upTo: Self.maximumErrorBody).readableBytesView)
        } catch {
            return APIStatus.fromHTTP(code: code, body: "")
        }
        if let value = try? JSONParser.parse(bytes, file: "status"), var status = APIStatus(value) {
            if status.code == 0 { status.code = code }
            return status
        }
        return APIStatus.fromHTTP(code: code, body: String(decoding: bytes, as: UTF8.self))
    }
}
