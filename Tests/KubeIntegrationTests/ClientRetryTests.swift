import Kube
import KubeSandbox
import Manifests
import Testing

/// Retries under faults the sandbox injects, counted through its admin endpoint.
@Suite("Client retries against a faulty sandbox")
struct ClientRetryTests {
    /// A policy that retries long enough to beat a 50% failure rate, without waiting out `Retry-After: 1`.
    static let patient = RetryPolicy(maxAttempts: 30, initialDelay: .milliseconds(5), maxDelay: .milliseconds(20), maxRetryAfter: .milliseconds(20))

    /// Each case pins one retried status: every call succeeds, and each injected failure cost exactly one more request.
    @Test("calls succeed under injected failures, one extra request per failure", arguments: [[429], [500], [429, 500, 503]])
    func retriesUntilSuccess(codes: [Int]) async throws {
        try await withSandboxClient(options: KubeClientOptions(qps: 10_000, burst: 10_000, retry: Self.patient)) { client, endpoint in
            let admin = SandboxAdmin(url: endpoint.url)
            _ = try await client.create(configMap("r", data: ["k": "v"]))
            let before = try await admin.faults("GET")
            try await admin.faults("POST", #"{"errorRate": 0.5, "codes": \#(codes)}"#)
            let calls = 30
            for _ in 0..<calls {
                let read = try await client.get(configMapKind, name: "r", namespace: "default")
                #expect(read.object["data"]?["k"]?.stringValue == "v")
            }
            let after = try await admin.faults("DELETE")
            let requests = Int(after["requests"]?.intValue ?? 0) - Int(before["requests"]?.intValue ?? 0)
            let injected = Int(after["injected"]?.intValue ?? 0) - Int(before["injected"]?.intValue ?? 0)
            // At a 50% rate, 30 calls with no failure at all would happen once in a billion runs.
            #expect(injected > 0)
            #expect(requests == calls + injected)
        }
    }

    @Test("with retries off, an injected 429 reaches the caller as TooManyRequests")
    func noRetryReportsTheStatus() async throws {
        try await withSandboxClient(options: KubeClientOptions(retry: .none)) { client, endpoint in
            let admin = SandboxAdmin(url: endpoint.url)
            _ = try await client.create(configMap("r"))
            try await admin.faults("POST", #"{"errorRate": 1, "codes": [429]}"#)
            let error = try await #require(throws: KubeError.self) { try await client.get(configMapKind, name: "r", namespace: "default") }
            #expect(error.isTooManyRequests)
            try await admin.faults("DELETE")
            #expect(try await client.get(configMapKind, name: "r", namespace: "default").name == "r")
        }
    }

    @Test("a POST is not repeated after a 500: the server may have acted on it")
    func postsRetryOnlyWhenSafe() async throws {
        try await withSandboxClient(options: KubeClientOptions(retry: Self.patient)) { client, endpoint in
            let admin = SandboxAdmin(url: endpoint.url)
            _ = try await client.resource(for: configMapKind)
            try await admin.faults("POST", #"{"errorRate": 1, "codes": [500]}"#)
            let before = try await admin.counter("requests")
            let error = try await #require(throws: KubeError.self) { try await client.create(configMap("p")) }
            #expect(error.status?.code == 500)
            #expect(try await admin.counter("requests") == before + 1)
            try await admin.faults("DELETE")
        }
    }
}
