import AsyncHTTPClient
import NIOCore
import NIOHTTP1

extension NotificationSender {
    /// An answer, its body read up to `maximumAnswerBytes`.
    struct Reply: Sendable {
        var status: Int
        var retryAfter: String?
        var body: [UInt8]
    }

    /// What one attempt came to.
    enum Exchange: Sendable {
        case answered(Reply)
        case failed(DeliveryFailure)
    }

    /// One HTTP exchange under the provider's timeout, which covers the body as well as the head.
    func exchange(_ request: OutgoingRequest, provider: ProviderSpec, secrets: [String]) async -> Exchange {
        var http = HTTPClientRequest(url: request.url)
        http.method = HTTPMethod(rawValue: request.method)
        for (name, value) in request.headers { http.headers.add(name: name, value: value) }
        if !request.body.isEmpty { http.body = .bytes(ByteBuffer(bytes: request.body)) }
        let prepared = http
        let timeout = provider.timeout
        let outcome = await withTaskGroup(of: Exchange?.self) { group in
            group.addTask { await self.perform(prepared, request: request, provider: provider, secrets: secrets) }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return nil
            }
            defer { group.cancelAll() }
            return await group.next() ?? nil
        }
        if let outcome { return outcome }
        let what = Task.isCancelled ? "cancelled" : "timed out after \(timeout)"
        return .failed(
            DeliveryFailure(
                .network, provider: provider.name, message: "no answer from provider \(provider.name)", detail: what, target: request.redactedTarget))
    }

    /// Sends `prepared` and reads the answer, keeping at most `maximumAnswerBytes` of its body.
    private func perform(_ prepared: HTTPClientRequest, request: OutgoingRequest, provider: ProviderSpec, secrets: [String]) async -> Exchange {
        do {
            let response = try await http.execute(prepared, timeout: Self.timeAmount(provider.timeout), logger: nil)
            var body: [UInt8] = []
            for try await chunk in response.body where body.count < Self.maximumAnswerBytes {
                body += chunk.readableBytesView.prefix(Self.maximumAnswerBytes - body.count)
            }
            return .answered(Reply(status: Int(response.status.code), retryAfter: response.headers.first(name: "Retry-After"), body: body))
        } catch let error as HTTPClientError where error == .invalidURL || error == .emptyHost || error == .emptyScheme {
            return .failed(.configuration(provider.name, "the address is not a URL Keelson can send to"))
        } catch {
            let detail = Self.reason(error, secrets: secrets)
            return .failed(
                DeliveryFailure(
                    .network, provider: provider.name, message: "no answer from provider \(provider.name)", detail: detail,
                    target: request.redactedTarget))
        }
    }

    /// Why a request got no answer, in words that name no path or secret.
    static func reason(_ error: any Error, secrets: [String]) -> String {
        if let error = error as? HTTPClientError {
            if error == .deadlineExceeded || error == .readTimeout || error == .connectTimeout { return "timed out" }
            if error == .cancelled { return "cancelled" }
        }
        if error is CancellationError { return "cancelled" }
        return Scrub.text(String(String(describing: error).prefix(200)), secrets: secrets)
    }

    /// `duration` as NIO's `TimeAmount`, saturating at a day.
    static func timeAmount(_ duration: Duration) -> TimeAmount {
        let (seconds, attoseconds) = duration.components
        guard seconds < 86_400 else { return .hours(24) }
        return .nanoseconds(max(0, seconds) * 1_000_000_000 + attoseconds / 1_000_000_000)
    }
}
