import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

extension SCMClient {
    /// Sends `request`, retrying as the policy allows, and returns a 2xx answer or one whose
    /// status is in `accepting`; any other answer becomes an error.
    func send(_ request: SCMRequest, accepting: Set<Int> = []) async throws(SCMError) -> SCMReply {
        var attempt = 1
        while true {
            let failure: SCMError
            var retryAfter: Duration?
            do {
                let reply = try await exchange(request)
                if (200..<300).contains(reply.status) || accepting.contains(reply.status) { return reply }
                failure = statusError(reply, request)
                retryAfter = RetryAfter.parse(reply.headers.first(name: "Retry-After"))
            } catch {
                failure = error
            }
            guard !failure.isPermanent, attempt < retry.attempts, !Task.isCancelled else { throw failure }
            let delay = retry.delay(afterAttempt: attempt, retryAfter: retryAfter)
            logger.debug(
                "forge request failed, retrying",
                metadata: ["keelson.attempt": "\(attempt)", "keelson.delay": "\(delay)", "error": "\(failure)"])
            do {
                try await sleep(delay)
            } catch {
                throw SCMError(.network, "\(summary(request)) was cancelled while waiting to retry (\(failure.message))", forge: forge)
            }
            attempt += 1
        }
    }

    /// `METHOD https://host/first/***`, the most of a request a message names.
    func summary(_ request: SCMRequest) -> String {
        "\(request.method) \(Redaction.url((repository.apiURL + forge.apiPrefix + request.path)[...]))"
    }

    /// One HTTP exchange under the per-request timeout, the answer read up to the size limit.
    private func exchange(_ request: SCMRequest) async throws(SCMError) -> SCMReply {
        var http = HTTPClientRequest(url: repository.apiURL + forge.apiPrefix + request.path)
        http.method = request.method
        http.headers.add(name: "User-Agent", value: "keelson")
        for (name, value) in forge.headers(token: token) { http.headers.add(name: name, value: value) }
        if let body = request.body {
            http.headers.add(name: "Content-Type", value: "application/json")
            http.headers.add(name: "Content-Length", value: String(body.count))
            http.body = .bytes(ByteBuffer(bytes: body))
        }
        let prepared = http
        let outcome = await withTaskGroup(of: Result<SCMReply, SCMError>?.self) { group in
            group.addTask { await self.perform(prepared, summary: self.summary(request)) }
            // The HTTP client's deadline ends when the head arrives; this one covers the body too.
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
        switch outcome {
        case .success(let reply)?: return reply
        case .failure(let error)?: throw error
        case nil:
            let what = Task.isCancelled ? "was cancelled" : "timed out after \(timeout)"
            throw SCMError(.network, "\(summary(request)) \(what)", forge: forge)
        }
    }

    /// Sends `request` and reads the answer up to the size limit.
    private func perform(_ request: HTTPClientRequest, summary: String) async -> Result<SCMReply, SCMError> {
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(timeout.nanoseconds), logger: nil)
            let body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
            return .success(SCMReply(status: Int(response.status.code), headers: response.headers, body: Array(body.readableBytesView)))
        } catch is NIOTooManyBytesError {
            return .failure(SCMError(.badAnswer, "the answer to \(summary) is larger than 4 MiB", forge: forge))
        } catch {
            return .failure(SCMError(.network, "\(summary) failed: \(reason(error))", forge: forge))
        }
    }

    /// Why a request got no answer, in words that name no URL or token.
    private func reason(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return "timed out" }
            if error == .cancelled { return "cancelled" }
        }
        if error is CancellationError { return "cancelled" }
        return Redaction.scrub(String(String(describing: error).prefix(200)), secret: token)
    }

    /// The error for a non-2xx answer, with the forge's own message where it gives one.
    func statusError(_ reply: SCMReply, _ request: SCMRequest) -> SCMError {
        let status = reply.status
        let detail = Self.forgeMessage(reply.body).map { ": " + Redaction.scrub(String($0.prefix(200)), secret: token) } ?? ""
        let message = "\(summary(request)) answered HTTP \(status)\(detail)"
        // GitHub signals its rate limits with 403 as well as 429; those pass, so they are not permanent.
        if forge == .github, status == 403,
            reply.headers.first(name: "x-ratelimit-remaining") == "0" || reply.headers.first(name: "Retry-After") != nil
        {
            return SCMError(.rejected, message, forge: forge, statusCode: status, isPermanent: false)
        }
        return SCMError(Self.code(forStatus: status), message, forge: forge, statusCode: status)
    }

    /// The error code an HTTP status means.
    static func code(forStatus status: Int) -> SCMError.Code {
        switch status {
        case 401, 403: .unauthorized
        case 404: .notFound
        case 408: .network
        case 409, 422, 429: .rejected
        case 400..<500: .badRequest
        case 500..<600: .server
        default: .badAnswer
        }
    }

    /// `message` (GitHub, GitLab, Gitea) or `error` (GitLab) from a JSON error body; GitLab's
    /// validation messages are objects (`{"name": ["is too long"]}`) and come back as JSON.
    private static func forgeMessage(_ body: [UInt8]) -> String? {
        guard let object = try? JSONSerialization.jsonObject(with: Data(body)) as? [String: Any],
            let value = object["message"] ?? object["error"]
        else { return nil }
        if let text = value as? String { return text.replacingOccurrences(of: "\n", with: " ") }
        guard JSONSerialization.isValidJSONObject(value), let data = try? JSONSerialization.data(withJSONObject: value, options: .sortedKeys)
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }
}
