import Foundation
import Server
import Synchronization
import Testing

/// `/hooks/registry/{provider}` hands deliveries to image automation's sink within the size
/// limit and answers what the sink decided.
@Suite struct ServerRegistryWebhookTests {
    /// Accepts `generic` deliveries carrying `X-Signature: good`, records what it was given.
    final class RecordingSink: RegistryWebhookSink {
        let received = Mutex<[(provider: String, body: [UInt8], token: String?)]>([])
        var maximumBodyBytes: Int { 1024 }

        func receive(provider: String, headers: [String: String], body: [UInt8], token: String?) async -> RegistryWebhookOutcome {
            received.withLock { $0.append((provider, body, token)) }
            guard headers.first(where: { $0.key.lowercased() == "x-signature" })?.value == "good" else {
                return RegistryWebhookOutcome(status: 401, message: "missing or wrong X-Signature")
            }
            return RegistryWebhookOutcome(status: 202, rescanned: ["keelson/app"], message: "rescanning 1 image policies")
        }
    }

    @Test func deliveriesReachTheSinkWithinTheLimit() async throws {
        let sink = RecordingSink()
        try await ServerHarness.with(files: ["app/a.yaml": ServerHarness.configMap("a", "1")], apps: [:], registryWebhooks: sink) { h in
            let body = Array(#"{"image": "registry.example/app"}"#.utf8)
            let accepted = try await h.hook("registry/generic?token=t0k", body: body, headers: [("X-Signature", "good")])
            #expect(accepted.status == 202)
            #expect(accepted.json["rescanned"] == ["keelson/app"])
            let refused = try await h.hook("registry/generic", body: body, headers: [("X-Signature", "bad")])
            #expect(refused.status == 401 && refused.json["error"]?["message"] == "missing or wrong X-Signature")
            let large = try await h.hook("registry/generic", body: Array(repeating: 0x20, count: 4096), headers: [("X-Signature", "good")])
            #expect(large.status == 413)
            let calls = sink.received.withLock { $0 }
            #expect(calls.count == 2, "the oversized body never reached the sink")
            #expect(calls.first?.provider == "generic" && calls.first?.body == body && calls.first?.token == "t0k")
            let audit = (try? String(contentsOfFile: h.auditPath, encoding: .utf8)) ?? ""
            #expect(audit.contains("webhook:registry-generic"))
        }
    }
}
