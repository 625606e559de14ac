import Foundation
import Logging

/// An HTTP Helm chart repository: its `index.yaml`, the version a semver range picks, and the
/// archive, checked against the index's digest and cached by digest.
///
/// ```swift
/// let chart = try await ChartRepository.withRepository(url: "https://charts.example.com", cache: cache) { repository in
///     try await repository.fetch("app", version: "^1.2.0")
/// }
/// ```
public final class ChartRepository: Sendable {
    /// The repository URL (without `/index.yaml`).
    public let url: String
    /// The cache archives and the index are kept in, if any.
    public let cache: ChartCache?
    let client: ChartHTTPClient
    /// `host:port` of the repository: where credentials may be sent.
    let home: String

    /// A repository at `url` (`http` or `https`); call `shutdown()` when done, or use `withRepository`.
    public init(url: String, options: ChartSourceOptions = ChartSourceOptions(), cache: ChartCache? = nil) throws(ChartSourceError) {
        let trimmed = url.hasSuffix("/") ? String(url.dropLast()) : url
        guard let components = URLComponents(string: trimmed), ["http", "https"].contains(components.scheme?.lowercased()),
            let home = ChartHTTPClient.hostPort(trimmed)
        else {
            throw ChartSourceError(.invalidReference, "a chart repository URL is http(s)://HOST[/PATH]", source: ChartHTTPClient.redacted(url))
        }
        guard components.user == nil && components.password == nil else {
            throw ChartSourceError(.invalidReference, "put credentials in the options, not the URL", source: ChartHTTPClient.redacted(url))
        }
        self.url = trimmed
        self.home = home
        self.cache = cache
        client = try ChartHTTPClient(options: options, source: trimmed)
    }

    /// Closes connections; the repository cannot be used afterwards.
    public func shutdown() async throws { try await client.shutdown() }

    /// Runs `body` with a repository that is shut down afterwards.
    public static func withRepository<T: Sendable>(
        url: String, options: ChartSourceOptions = ChartSourceOptions(), cache: ChartCache? = nil, _ body: (ChartRepository) async throws -> T
    ) async throws -> T {
        let repository = try ChartRepository(url: url, options: options, cache: cache)
        do {
            let result = try await body(repository)
            try await repository.shutdown()
            return result
        } catch {
            try? await repository.shutdown()
            throw error
        }
    }

    /// The URL of `index.yaml`.
    public var indexURL: String {
        guard var components = URLComponents(string: url) else { return url + "/index.yaml" }
        components.path = (components.path.hasSuffix("/") ? String(components.path.dropLast()) : components.path) + "/index.yaml"
        return components.string ?? url + "/index.yaml"
    }

    /// Reads `index.yaml`, asking with the cached `ETag` so an unchanged index is not sent again.
    public func index() async throws(ChartSourceError) -> ChartIndex {
        let location = indexURL
        let cached = cache?.index(for: location)
        let headers = cached.map { [("If-None-Match", $0.etag)] } ?? []
        let reply = try await client.get(location, home: home, headers: headers, maxBytes: client.options.maxIndexBytes, source: url)
        let body: [UInt8]
        if reply.status == 304, let cached {
            body = cached.body
        } else {
            try check(reply, "GET \(ChartHTTPClient.redacted(location))")
            body = reply.body
            if let etag = reply.headers.first(name: "ETag") { cache?.storeIndex(body, etag: etag, for: location) }
        }
        return try ChartIndex(yaml: String(decoding: body, as: UTF8.self), source: url)
    }

    /// Fetches the newest version of `chart` that `version` allows (an exact version or a semver
    /// range; empty for the newest release). The archive comes from the cache when its digest is there.
    public func fetch(_ chart: String, version: String) async throws(ChartSourceError) -> FetchedChart {
        let entry = try await index().select(chart, range: version, source: url)
        guard let first = entry.urls.first else {
            throw ChartSourceError(.invalidIndex, "chart \(chart) \(entry.version) lists no urls", source: url)
        }
        let location = try resolve(first)
        let expected = try entry.digest.map { hex throws(ChartSourceError) in try self.normalised(hex, chart: entry) }
        if let cache, let digest = expected ?? cache.digest(for: location), let archive = cache.archive(digest: digest) {
            client.options.logger.debug("chart from cache", metadata: ["keelson.chart": "\(chart)", "keelson.version": "\(entry.version)"])
            return FetchedChart(name: entry.name, version: entry.version, digest: digest, archive: archive, location: location, cached: true)
        }
        let reply = try await client.get(location, home: home, maxBytes: client.options.maxChartBytes, source: url)
        try check(reply, "GET \(ChartHTTPClient.redacted(location))")
        let digest = ChartCache.sha256(reply.body)
        if let expected, expected != digest {
            throw ChartSourceError(
                .digestMismatch,
                "chart \(chart) \(entry.version) from \(ChartHTTPClient.redacted(location)) has digest \(digest), the index says \(expected)",
                source: url)
        }
        if let cache {
            try cache.store(reply.body)
            if expected == nil { cache.remember(digest, for: location) }
        }
        return FetchedChart(name: entry.name, version: entry.version, digest: digest, archive: reply.body, location: location, cached: false)
    }

    /// A chart URL from the index, resolved against the repository as Helm does (the
    /// repository's path as a folder, its query kept).
    func resolve(_ reference: String) throws(ChartSourceError) -> String {
        if let absolute = URLComponents(string: reference), absolute.scheme != nil { return reference }
        guard var base = URLComponents(string: url) else { throw ChartSourceError(.invalidReference, "the repository URL is malformed", source: url) }
        let query = base.query
        base.query = nil
        if !base.path.hasSuffix("/") { base.path += "/" }
        guard let baseURL = base.url, let resolved = URL(string: reference, relativeTo: baseURL)?.absoluteURL,
            var components = URLComponents(url: resolved, resolvingAgainstBaseURL: false)
        else {
            throw ChartSourceError(.invalidIndex, "chart URL \(reference.prefix(200)) is not a URL", source: url)
        }
        if let query { components.query = query }
        return components.string ?? resolved.absoluteString
    }

    /// The index's digest as `sha256:HEX` (it writes bare hex).
    private func normalised(_ digest: String, chart: ChartIndex.Entry) throws(ChartSourceError) -> String {
        let hex = digest.hasPrefix("sha256:") ? String(digest.dropFirst(7)) : digest
        guard hex.count == 64, hex.allSatisfy(\.isHexDigit) else {
            throw ChartSourceError(.invalidIndex, "chart \(chart.name) \(chart.version) has digest \(digest.prefix(80)), not a sha256", source: url)
        }
        return "sha256:" + hex.lowercased()
    }

    /// Turns a non-2xx reply into an error naming the request.
    private func check(_ reply: ChartHTTPClient.Reply, _ what: String) throws(ChartSourceError) {
        switch reply.status {
        case 200..<300: return
        case 401, 403: throw ChartSourceError(.unauthorized, "\(what) was refused (\(reply.status))", source: url)
        default: throw ChartSourceError(.server, "\(what) answered \(reply.status)", source: url)
        }
    }
}
