import Foundation
import KeelsonTesting
import Testing

@testable import Server

@Suite struct MetricsRegistryTests {
    func sample() -> MetricsRegistry {
        let metrics = MetricsRegistry()
        metrics.increment("keelson_reconcile_total", help: "Reconciles by application and result.", labels: ["app": "web", "result": "success"])
        metrics.increment("keelson_reconcile_total", help: "Reconciles by application and result.", labels: ["app": "web", "result": "success"])
        metrics.set("keelson_app_health", help: "1 for the application's current health.", labels: ["app": "web", "health": "Healthy"], to: 1)
        metrics.observe("keelson_sync_duration_seconds", help: "Sync duration.", labels: ["app": "web"], value: 0.3)
        metrics.observe("keelson_sync_duration_seconds", help: "Sync duration.", labels: ["app": "web"], value: 7)
        metrics.set("keelson_queue_depth", help: "Applications waiting \"quoted\".", to: 3)
        return metrics
    }

    @Test func textFormat() {
        let text = sample().render()
        #expect(text.contains("# TYPE keelson_reconcile_total counter\nkeelson_reconcile_total{app=\"web\",result=\"success\"} 2\n"))
        #expect(text.contains("keelson_sync_duration_seconds_bucket{app=\"web\",le=\"0.5\"} 1\n"))
        #expect(text.contains("keelson_sync_duration_seconds_bucket{app=\"web\",le=\"10\"} 2\n"))
        #expect(text.contains("keelson_sync_duration_seconds_bucket{app=\"web\",le=\"+Inf\"} 2\n"))
        #expect(text.contains("keelson_sync_duration_seconds_sum{app=\"web\"} 7.3\n"))
        #expect(text.contains("keelson_queue_depth 3\n"))
    }

    @Test func removeDropsAnApplicationsSeries() {
        let metrics = sample()
        metrics.remove("keelson_app_health", matching: ["app": "web"])
        #expect(metrics.value("keelson_app_health", labels: ["app": "web", "health": "Healthy"]) == nil)
    }

    /// The figures are checked against what this test process can tell of itself another way.
    @Test func processSeriesDescribeThisProcess() throws {
        let metrics = MetricsRegistry()
        ProcessMetrics.record(into: metrics)
        let vmHWM = try String(contentsOfFile: "/proc/self/status", encoding: .utf8).split(separator: "\n")
            .first { $0.hasPrefix("VmHWM:") }.flatMap { Double($0.split(separator: " ")[1]) }.map { $0 * 1024 }
        let resident = try #require(metrics.value("process_resident_memory_bytes"))
        #expect(resident > 1_000_000 && resident <= (vmHWM ?? 0) + 1_000_000, "\(resident) against a peak of \(vmHWM ?? 0)")
        #expect(try #require(metrics.value("process_virtual_memory_bytes")) >= resident)
        let start = try #require(metrics.value("process_start_time_seconds"))
        let now = Date().timeIntervalSince1970
        let uptime = ProcessInfo.processInfo.systemUptime
        #expect(start <= now + 1 && start >= now - uptime - 1, "started \(now - start) s ago, up \(uptime) s")
        #expect(try #require(metrics.value("process_cpu_seconds_total")) > 0)
        let open = try #require(metrics.value("process_open_fds"))
        #expect(open >= 3 && open <= (metrics.value("process_max_fds") ?? 0))
        #expect(metrics.render().contains("# TYPE process_cpu_seconds_total counter\n"))
    }

    @Test(.enabled(if: ProcessRunner.isAvailable("promtool"), "promtool is not installed; scripts/test installs it"))
    func promtoolAcceptsTheOutput() async throws {
        let result = try await ProcessRunner.run("promtool", ["check", "metrics"], input: Data(sample().render().utf8))
        #expect(result.status == 0, "\(result.output)\(result.errorOutput)")
    }
}
