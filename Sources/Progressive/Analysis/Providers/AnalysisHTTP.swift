import AsyncHTTPClient
import Foundation
import KeelsonFoundation
import NIOCore
import NIOHTTP1

/// One HTTP exchange of a provider or webhook: a timeout that covers the body as well as the
/// head, the answer read up to a limit, and failures told without the query or a credential.
struct AnalysisHTTP: Sendable {
    /// An answer.
    struct Answer: Sendable {
        var status: Int
        var body: [UInt8]

        /// The body's first 200 characters on one line, for messages.
        var excerpt: String {
            let text = String(decoding: body.prefix(400), as: UTF8.self).replacingOccurrences(of: "\n", with: " ")
            return String(text.trimmingCharacters(in: .whitespaces).prefix(200))
        }
    }

    /// The most bytes of an answer read (1 MiB).
    static let maximumAnswerBytes = 1024 * 1024

    let http: HTTPClient

    /// Sends one request; the failure is a message that names `url` without its query.
    func send(
        _ method: HTTPMethod, url: String, headers: [String: String], body: [UInt8]? = nil, timeout: Duration,
        credentials: Credentials = .none
    ) async -> Result<Answer, Failure> {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: "User-Agent", value: "keelson")
        for (name, value) in headers { request.headers.replaceOrAdd(name: name, value: value) }
        if let body { request.body = .bytes(ByteBuffer(bytes: body)) }
        let prepared = request
        let target = "\(method.rawValue) \(Self.redacted(url))"
        // The client's own deadline ends when the head arrives; this limit covers the body too.
        let outcome = await withTimeLimit(timeout, on: ContinuousClock()) {
            await self.perform(prepared, timeout: timeout, target: target, credentials: credentials)
        }
        return outcome ?? .failure(Failure(message: "no answer to \(target): \(Task.isCancelled ? "cancelled" : "timed out after \(timeout)")"))
    }

    /// A request that got no usable answer.
    struct Failure: Error, Sendable {
        var message: String
    }

    private func perform(_ request: HTTPClientRequest, timeout: Duration, target: String, credentials: Credentials) async -> Result<Answer, Failure> {
        do {
            let response = try await http.execute(request, timeout: .nanoseconds(Int64(timeout.seconds * 1e9)), logger: nil)
            let body = try await response.body.collect(upTo: Self.maximumAnswerBytes)
            return .success(Answer(status: Int(response.status.code), body: Array(body.readableBytesView)))
        } catch is NIOTooManyBytesError {
            return .failure(Failure(message: "the answer to \(target) is larger than \(Self.maximumAnswerBytes / 1024 / 1024) MiB"))
        } catch let error as HTTPClientError where error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout {
            return .failure(Failure(message: "no answer to \(target): timed out"))
        } catch {
            let reason = credentials.scrub(String(String(describing: error).prefix(200)))
            return .failure(Failure(message: "no answer to \(target): \(reason)"))
        }
    }

    /// `url` without user information or query: `http://prometheus:9090/api/v1/query`.
    static func redacted(_ url: String) -> String {
        guard var components = URLComponents(string: url) else { return "the configured URL" }
        components.user = nil
        components.password = nil
        components.query = nil
        components.fragment = nil
        return components.string ?? "the configured URL"
    }
}
