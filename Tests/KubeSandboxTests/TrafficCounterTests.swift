import Foundation
import KeelsonTesting
import KubeSandbox
import Testing

/// The counters of simulated traffic, on a manual traffic clock so every count is exact.
@Suite("Simulated traffic: counters", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct TrafficCounterTests {
    /// The labels of the series of Service `web`'s requests that `deployment` answered with `code`.
    static func series(_ deployment: String, _ code: String, service: String = "web") -> [String: String] {
        ["namespace": "default", "entrypoint": "web", "service": service, "deployment": deployment, "code": code]
    }

    @Test("Deployments answer with their error rate and latency; an -errors tag fails half")
    func errorRateAndLatency() async throws {
        let clock = ManualClock()
        let manifests = [
            Fixtures.deployment(
                "slow", replicas: 1, annotations: ["sandbox.keelson.dev/error-rate": "0.2", "sandbox.keelson.dev/latency-ms": "120"],
                labels: ["app": "web", "version": "slow"]),
            Fixtures.deployment("broken", replicas: 1, image: "nginx:1.25-errors", labels: ["app": "web", "version": "broken"]),
            Fixtures.service("web", selector: ["app": "web"], rps: 100),
        ]
        try await withTraffic(clock: clock, manifests: manifests, ready: { $0 == ["slow": 0.5, "broken": 0.5] }) { _, endpoint in
            clock.advance(by: .seconds(10))
            let metrics = try await SandboxHTTP.call(endpoint, "/sandbox/traffic/metrics").text
            func value(_ metric: String, _ labels: [String: String]) -> Double? { SandboxHTTP.sample(metrics, metric, labels) }
            // 10 s at 100 rps, half each: an error rate of 0.2 fails 100 of 500, an -errors tag 250.
            #expect(value("sandbox_http_requests_total", Self.series("slow", "200")) == 400)
            #expect(value("sandbox_http_requests_total", Self.series("slow", "500")) == 100)
            #expect(value("sandbox_http_requests_total", Self.series("broken", "200")) == 250)
            #expect(value("sandbox_http_requests_total", Self.series("broken", "500")) == 250)
            // 120 ms answers fall in the 0.25 s bucket, not the 0.1 s one; the default 10 ms in the 0.01 s one.
            let slowOK = Self.series("slow", "200")
            #expect(value("sandbox_http_request_duration_seconds_bucket", slowOK.merging(["le": "0.1"]) { $1 }) == 0)
            #expect(value("sandbox_http_request_duration_seconds_bucket", slowOK.merging(["le": "0.25"]) { $1 }) == 400)
            #expect(value("sandbox_http_request_duration_seconds_bucket", slowOK.merging(["le": "+Inf"]) { $1 }) == 400)
            #expect(value("sandbox_http_request_duration_seconds_sum", slowOK).map { abs($0 - 48) < 1e-6 } == true)
            #expect(value("sandbox_http_request_duration_seconds_count", slowOK) == 400)
            let brokenOK = Self.series("broken", "200")
            #expect(value("sandbox_http_request_duration_seconds_bucket", brokenOK.merging(["le": "0.01"]) { $1 }) == 250)
            let errorRate = try await SandboxHTTP.json(endpoint, "/sandbox/traffic")["entrypoints.default/web.errorRate"]?.doubleValue
            #expect(errorRate.map { abs($0 - 0.35) < 1e-9 } == true)
        }
    }

    @Test("a selector change moves traffic, and counters keep what they counted before it")
    func selectorChangeIsMonotonic() async throws {
        let clock = ManualClock()
        let manifests = [
            Fixtures.deployment("web", replicas: 2, labels: ["app": "web", "keelson.dev/track": "stable"]),
            Fixtures.deployment("web-canary", replicas: 1, labels: ["app": "web", "keelson.dev/track": "canary"]),
            Fixtures.service("web", selector: ["app": "web", "keelson.dev/track": "stable"], rps: 10),
        ]
        try await withTraffic(clock: clock, manifests: manifests, ready: { $0 == ["web": 1] }) { kubectl, endpoint in
            try await kubectl.ok(["wait", "--for=jsonpath={.status.readyReplicas}=1", "deployment/web-canary", "--timeout=30s"])
            clock.advance(by: .seconds(10))
            // Nothing reads the counters before the change: the change itself settles the 10 s so far.
            try await kubectl.ok(["patch", "service", "web", "-p", #"{"spec":{"selector":{"keelson.dev/track":"canary"}}}"#])
            #expect(try await SandboxHTTP.shares(endpoint, "default/web") == ["web-canary": 1])
            clock.advance(by: .seconds(5))
            let after = try await SandboxHTTP.call(endpoint, "/sandbox/traffic/metrics").text
            // Stable keeps its 100 from before the change; the canary counts only the 5 s after it.
            #expect(SandboxHTTP.sample(after, "sandbox_http_requests_total", Self.series("web", "200")) == 100)
            #expect(SandboxHTTP.sample(after, "sandbox_http_requests_total", Self.series("web-canary", "200")) == 50)

            // Both tracks selected: the canary's one ready replica of three gets a third.
            try await kubectl.ok(["patch", "service", "web", "--type=json", "-p", #"[{"op":"remove","path":"/spec/selector/keelson.dev~1track"}]"#])
            clock.advance(by: .seconds(3))
            let both = try await SandboxHTTP.call(endpoint, "/sandbox/traffic/metrics").text
            #expect(SandboxHTTP.sample(both, "sandbox_http_requests_total", Self.series("web", "200")) == 120)
            #expect(SandboxHTTP.sample(both, "sandbox_http_requests_total", Self.series("web-canary", "200")) == 60)
        }
    }
}
