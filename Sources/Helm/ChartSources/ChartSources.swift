/// The one call the controller makes for an Application's chart: an `oci://` repository URL
/// goes to `OCIChartSource`, anything else is an HTTP Helm repository.
///
/// ```swift
/// let chart = try await ChartSources.fetch(
///     repoURL: "https://charts.example.com", chart: "app", version: "^1.2.0",
///     options: ChartSourceOptions(username: "ci", password: password), cache: cache)
/// let loaded = try ChartLoader.load(archive: chart.archive)
/// ```
public enum ChartSources {
    /// Fetches `chart` at `version` (an exact version or a semver range; empty for the newest
    /// release) from `repoURL`. For OCI, `repoURL` is `oci://host/path` and the chart's reference
    /// is `repoURL/chart` (or `repoURL` itself when `chart` is empty).
    public static func fetch(
        repoURL: String, chart: String, version: String, options: ChartSourceOptions = ChartSourceOptions(), cache: ChartCache? = nil
    ) async throws(ChartSourceError) -> FetchedChart {
        if repoURL.hasPrefix("oci://") {
            let base = repoURL.hasSuffix("/") ? String(repoURL.dropLast()) : repoURL
            let reference = chart.isEmpty ? base : base + "/" + chart
            let source = try OCIChartSource(options: options, cache: cache)
            return try await finish(shutdown: source.shutdown) { () async throws(ChartSourceError) in
                try await source.fetch(reference, version: version)
            }
        }
        guard !chart.isEmpty else {
            throw ChartSourceError(.invalidReference, "a Helm repository source names its chart", source: ChartHTTPClient.redacted(repoURL))
        }
        let repository = try ChartRepository(url: repoURL, options: options, cache: cache)
        return try await finish(shutdown: repository.shutdown) { () async throws(ChartSourceError) in
            try await repository.fetch(chart, version: version)
        }
    }

    /// Runs `body`, then `shutdown` whether it failed or not.
    private static func finish(
        shutdown: () async throws -> Void, _ body: () async throws(ChartSourceError) -> FetchedChart
    ) async throws(ChartSourceError) -> FetchedChart {
        let result: Result<FetchedChart, ChartSourceError>
        do { result = .success(try await body()) } catch { result = .failure(error) }
        try? await shutdown()
        return try result.get()
    }
}
