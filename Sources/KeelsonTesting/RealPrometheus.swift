import Foundation

/// The real Prometheus server (Debian's `prometheus`, installed by `scripts/test`) on a free
/// loopback port, scraping one target every second, for as long as `body` runs.
public enum RealPrometheus {
    /// Whether the server is installed.
    public static var isAvailable: Bool { ProcessRunner.isAvailable("prometheus") }

    /// Runs `body` with the server's base URL while it scrapes `target` (`host:port`) at `path`.
    public static func withRunning<T>(
        scraping target: String, path: String, _ body: (_ url: String) async throws -> T
    ) async throws -> T {
        let directory = try TemporaryDirectory(prefix: "prometheus")
        defer { directory.remove() }
        let config = try directory.write(
            "prometheus.yml",
            """
            global: {scrape_interval: 1s, evaluation_interval: 1s}
            scrape_configs:
            - job_name: sandbox
              metrics_path: \(path)
              static_configs: [{targets: ["\(target)"]}]

            """)
        let port = try Ports.free()
        let prometheus = try BackgroundProcess(
            "prometheus",
            [
                "--config.file=\(config)", "--storage.tsdb.path=\(directory.path)/data", "--web.listen-address=127.0.0.1:\(port)",
                "--log.level=warn",
            ],
            log: directory.path + "/prometheus.log")
        defer { prometheus.terminate() }
        try await Ports.waitUntilListening(port, timeout: .seconds(60))
        return try await body("http://127.0.0.1:\(port)")
    }
}
