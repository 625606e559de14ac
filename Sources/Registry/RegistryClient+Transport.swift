import AsyncHTTPClient
import Foundation
import Manifests
import NIOCore
import NIOHTTP1

extension RegistryClient {
    /// Sends `request`, answering one `401` challenge with Basic auth or a Bearer token,
    /// and returns the reply. Only 2xx replies come back; the rest become errors.
    func send(_ request: RegistryRequest) async throws(RegistryError) -> RegistryReply {
        let credential = try credentials(request.image.registry)
        let scope = "repository:\(request.image.repository):\(request.actions)"
        var authorization = await tokens.token(host: request.image.apiHost, scope: scope).map { "Bearer " + $0 }
        if authorization == nil, case .bearer(let token) = credential { authorization = "Bearer " + token }
        var reply = try await perform(request, authorization: authorization)
        if reply.status == 401 {
            let header = reply.headers.first(name: "WWW-Authenticate") ?? ""
            guard let challenge = AuthChallenge(header: header) else {
                throw RegistryError(
                    .unauthorized, "\(request.summary) was refused (401) without a usable challenge", subject: request.image.name)
            }
            switch challenge.scheme {
            case "basic":
                guard let basic = credential.basicAuthorization, authorization != basic else {
                    throw RegistryError(
                        .unauthorized, "the registry wants Basic auth and \(credential) was refused", subject: request.image.name)
                }
                authorization = basic
            case "bearer":
                let token = try await fetchToken(challenge, scope: scope, credential: credential, request: request)
                authorization = "Bearer " + token
            default:
                throw RegistryError(.unauthorized, "unsupported auth scheme \(challenge.scheme)", subject: request.image.name)
            }
            reply = try await perform(request, authorization: authorization)
            if reply.status == 401 {
                throw RegistryError(.unauthorized, "\(request.summary) was refused (401) with \(credential)", subject: request.image.name)
            }
        }
        if request.followsRedirect, (300..<400).contains(reply.status), let location = reply.headers.first(name: "Location") {
            var redirected = request
            redirected.url = try redirectTarget(location, request: request)
            // Credentials stay with the registry; storage hosts sign their URLs.
            reply = try await perform(redirected, authorization: nil)
        }
        guard (200..<300).contains(reply.status) else { throw Self.statusError(reply, request) }
        return reply
    }

    /// One HTTP exchange, with the reply body read up to the size limit.
    func perform(_ request: RegistryRequest, authorization: String?) async throws(RegistryError) -> RegistryReply {
        var http = HTTPClientRequest(url: request.url)
        http.method = request.method
        http.headers.add(name: "User-Agent", value: options.userAgent)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        if let authorization { http.headers.add(name: "Authorization", value: authorization) }
        if let body = request.body {
            http.body = .bytes(ByteBuffer(bytes: body))
            http.headers.replaceOrAdd(name: "Content-Length", value: String(body.count))
        }
        let response: HTTPClientResponse
        do {
            response = try await self.http.execute(http, timeout: .nanoseconds(Int64(options.requestTimeout / .nanoseconds(1))), logger: nil)
        } catch {
            throw RegistryError(
                .transport, "\(request.summary) failed: \(Self.transportReason(error))", subject: request.image.name, cause: error)
        }
        do {
            let body = try await response.body.collect(upTo: request.maxBytes ?? options.maxResponseBytes)
            logger.trace("registry reply", metadata: ["keelson.request": "\(request.summary)", "keelson.status": "\(response.status.code)"])
            return RegistryReply(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView))
        } catch is NIOTooManyBytesError {
            throw RegistryError(
                .responseTooLarge, "reply to \(request.summary) is larger than \(request.maxBytes ?? options.maxResponseBytes) bytes",
                subject: request.image.name)
        } catch {
            throw RegistryError(.transport, "reading the reply to \(request.summary) failed", subject: request.image.name, cause: error)
        }
    }

    /// The registry's own error text (`{"errors":[{"code":..., "message":...}]}`) where it gives one.
    static func statusError(_ reply: RegistryReply, _ request: RegistryRequest) -> RegistryError {
        var detail = ""
        if let value = try? JSONParser.parse(reply.body, file: request.summary), let first = value["errors"]?.arrayValue?.first {
            let code = first["code"]?.stringValue ?? ""
            let message = first["message"]?.stringValue ?? ""
            detail = ": " + [code, message].filter { !$0.isEmpty }.joined(separator: " ").prefix(200)
        }
        let code: RegistryError.Code = reply.status == 401 || reply.status == 403 ? .unauthorized : .registry
        return RegistryError(code, "\(request.summary) answered \(reply.status)\(detail)", subject: request.image.name, status: reply.status)
    }

    private static func transportReason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError, error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return "timed out"
        }
        return String(describing: error).prefix(200).description
    }
}
