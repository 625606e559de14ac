import AsyncHTTPClient
import Foundation

/// POSTs Flagger's payload to a webhook and tells whether it passed (any 2xx; Flagger itself
/// passes 200–202 only, and no gate answers 203–299 in practice).
///
/// ```swift
/// let caller = WebhookCaller(http: HTTPClient.shared)
/// let result = await caller.call(hook, rollout: "web", namespace: "shop", phase: .progressing, checksum: hash)
/// ```
public struct WebhookCaller: Sendable {
    let exchange: AnalysisHTTP

    /// Creates a caller sending through `http` (shared; the caller does not shut it down).
    public init(http: HTTPClient) { exchange = AnalysisHTTP(http: http) }

    /// Calls `webhook` once, within its timeout.
    public func call(_ webhook: Webhook, rollout: String, namespace: String, phase: WebhookPhase, checksum: String) async -> WebhookResult {
        let payload = WebhookPayload(name: rollout, namespace: namespace, phase: phase, checksum: checksum, metadata: webhook.metadata)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        let body = (try? encoder.encode(payload)).map(Array.init) ?? []
        let target = "POST \(AnalysisHTTP.redacted(webhook.url))"
        switch await exchange.send(.POST, url: webhook.url, headers: ["Content-Type": "application/json"], body: body, timeout: webhook.timeout) {
        case .failure(let failure):
            return WebhookResult(passed: false, statusCode: nil, message: "webhook \(webhook.name): \(failure.message)")
        case .success(let answer) where (200..<300).contains(answer.status):
            return WebhookResult(passed: true, statusCode: answer.status, message: "webhook \(webhook.name) passed (HTTP \(answer.status))")
        case .success(let answer):
            let excerpt = answer.excerpt.isEmpty ? "" : ": " + answer.excerpt
            return WebhookResult(
                passed: false, statusCode: answer.status, message: "webhook \(webhook.name): HTTP \(answer.status) from \(target)\(excerpt)")
        }
    }
}
