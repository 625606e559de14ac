import Foundation
import KeelsonTesting
import KubeSandbox
import Manifests
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// The simulated traffic's metrics as the real Prometheus reads them: `promtool` accepts the
/// text, and the real server's `rate()` over a scrape of the sandbox gives the configured ratio.
@Suite("Simulated traffic with the real Prometheus", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct PrometheusOracleTests {
    /// A Service of 100 rps over `good` and `bad` (error rate 0.3), one ready replica each.
    static let manifests = [
        Fixtures.deployment("good", replicas: 1, labels: ["app": "web", "version": "good"]),
        Fixtures.deployment(
            "bad", replicas: 1, annotations: ["sandbox.keelson.dev/error-rate": "0.3", "sandbox.keelson.dev/latency-ms": "120"],
            labels: ["app": "web", "version": "bad"]),
        Fixtures.service("web", selector: ["app": "web"], rps: 100),
    ]

    @Test(
        "promtool accepts /sandbox/traffic/metrics",
        .enabled(if: ProcessRunner.isAvailable("promtool"), "promtool is not installed; scripts/test installs it"))
    func promtoolAcceptsTheMetrics() async throws {
        let clock = ManualClock()
        try await withTraffic(clock: clock, manifests: Self.manifests, ready: { $0.count == 2 }) { _, endpoint in
            clock.advance(by: .seconds(7))
            let metrics = try await SandboxHTTP.call(endpoint, "/sandbox/traffic/metrics").text
            #expect(metrics.contains("sandbox_http_request_duration_seconds_bucket{"))
            let promtool = try await ProcessRunner.run("promtool", ["check", "metrics"], input: Data(metrics.utf8))
            #expect(promtool.status == 0, "\(promtool.output)\(promtool.errorOutput)")
        }
    }

    @Test(
        "the real Prometheus computes the success rate of a Deployment from scraped sandbox traffic",
        .enabled(if: RealPrometheus.isAvailable, "prometheus is not installed; scripts/test installs it"))
    func realPrometheusRate() async throws {
        try await withTraffic(manifests: Self.manifests, ready: { $0.count == 2 }) { _, endpoint in
            // The sandbox serves plain HTTP here (withSandbox runs it without TLS).
            try await RealPrometheus.withRunning(scraping: "\(endpoint.host):\(endpoint.port)", path: "/sandbox/traffic/metrics") { base in
                let query =
                    #"sum(rate(sandbox_http_requests_total{deployment="bad",code!~"5.."}[10s])) / sum(rate(sandbox_http_requests_total{deployment="bad"}[10s]))"#
                let encoded = query.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? query
                let url = URL(string: base + "/api/v1/query?query=\(encoded)")!
                try await eventually("Prometheus sees a success rate of 0.70 for bad", timeout: .seconds(180), every: .milliseconds(500)) {
                    let (data, _) = try await URLSession.shared.data(from: url)
                    let body = try JSONParser.parse(Array(data))
                    let sample = body["data"]?["result"]?.arrayValue?.first?["value"]?.arrayValue?.last
                    let value = sample?.stringValue.flatMap(Double.init)
                    return value.map { abs($0 - 0.70) <= 0.05 } ?? false
                }
            }
        }
    }
}
