import Foundation
import KeelsonFoundation
import Manifests
import Registry

/// Charts in an OCI registry (`oci://host/repo/chart`), as `helm push` stores them: a tag per
/// version (`+` written `_`), an image manifest whose config is Helm's and whose layer is the
/// archive. Tags are chosen by an exact version or a semver range; manifest and layer digests
/// are checked; auth is the registry client's (anonymous, Basic, Bearer token).
///
/// ```swift
/// let chart = try await OCIChartSource.withSource(options: options, cache: cache) { source in
///     try await source.fetch("oci://ghcr.io/org/charts/app", version: "1.2.x")
/// }
/// ```
public final class OCIChartSource: Sendable {
    /// The config media type of a Helm chart artifact.
    public static let configMediaType = "application/vnd.cncf.helm.config.v1+json"
    /// The media type of the chart archive layer.
    public static let chartLayerMediaType = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
    /// The layer media type charts pushed by Helm before 3.8 carry.
    static let legacyChartLayerMediaType = "application/tar+gzip"

    /// The cache archives are kept in, if any.
    public let cache: ChartCache?
    let options: ChartSourceOptions
    let registry: RegistryClient

    /// A source using `options`' credentials for every registry; call `shutdown()` when done, or use `withSource`.
    public init(options: ChartSourceOptions = ChartSourceOptions(), cache: ChartCache? = nil) throws(ChartSourceError) {
        var registryOptions = RegistryOptions(
            insecure: options.plainHTTP, caCertificatesPEM: options.caPEM, maxResponseBytes: 4 << 20, connectTimeout: options.connectTimeout,
            requestTimeout: options.requestTimeout, logger: options.logger)
        registryOptions.clientCertificatePEM = options.certificatePEM
        registryOptions.clientKeyPEM = options.keyPEM
        let credential: RegistryCredential =
            options.username.map { .basic(username: $0, password: options.password ?? "") } ?? .anonymous
        do { registry = try RegistryClient(options: registryOptions, credentials: { _ in credential }) } catch {
            throw ChartSourceError(.credentials, error.message, source: "oci")
        }
        self.options = options
        self.cache = cache
    }

    /// Closes connections; the source cannot be used afterwards.
    public func shutdown() async throws { try await registry.shutdown() }

    /// Runs `body` with a source that is shut down afterwards.
    public static func withSource<T: Sendable>(
        options: ChartSourceOptions = ChartSourceOptions(), cache: ChartCache? = nil, _ body: (OCIChartSource) async throws -> T
    ) async throws -> T {
        let source = try OCIChartSource(options: options, cache: cache)
        do {
            let result = try await body(source)
            try await source.shutdown()
            return result
        } catch {
            try? await source.shutdown()
            throw error
        }
    }

    /// Fetches `reference` (`oci://host/repo/chart`, optionally `:tag` or `@digest`) at `version`:
    /// an exact version, a semver range, or empty for the reference's tag or else the newest release.
    public func fetch(_ reference: String, version: String) async throws(ChartSourceError) -> FetchedChart {
        var image = try Self.parse(reference)
        let chart = String(image.repository.split(separator: "/").last ?? "")
        let source = "oci://" + image.name
        let version = version.trimmingCharacters(in: .whitespaces)
        if image.digest == nil {
            if let tag = image.tag, !version.isEmpty, Self.version(ofTag: tag) != version {
                throw ChartSourceError(.invalidReference, "the reference's tag \(tag) and version \(version) differ", source: source)
            }
            if image.tag == nil {
                let tags = try await call(source) { registry throws(RegistryError) in try await registry.tags(of: image) }
                image.tag = try Self.pickTag(tags, range: version, chart: chart, source: source)
            }
        }
        let manifest = try await call(source) { registry throws(RegistryError) in
            try await registry.manifest(of: image, accepting: ["application/vnd.oci.image.manifest.v1+json"])
        }
        let layer = try Self.chartLayer(manifest, source: source)
        let resolved = image.tag.map(Self.version(ofTag:)) ?? manifest.digest
        let location = "\(source)\(image.tag.map { ":" + $0 } ?? "")@\(manifest.digest)"
        if let archive = cache?.archive(digest: layer.digest) {
            return FetchedChart(name: chart, version: resolved, digest: layer.digest, archive: archive, location: location, cached: true)
        }
        guard layer.size <= options.maxChartBytes else {
            throw ChartSourceError(.tooLarge, "the chart layer is \(layer.size) bytes, more than \(options.maxChartBytes)", source: source)
        }
        let archive = try await call(source) { [options] registry throws(RegistryError) in
            try await registry.blob(layer.digest, of: image, maxBytes: options.maxChartBytes)
        }
        try cache?.store(archive)
        return FetchedChart(name: chart, version: resolved, digest: layer.digest, archive: archive, location: location, cached: false)
    }

    /// `oci://host/repo/chart[:tag][@digest]` as an image reference.
    static func parse(_ reference: String) throws(ChartSourceError) -> ImageReference {
        guard reference.hasPrefix("oci://") else {
            throw ChartSourceError(.invalidReference, "an OCI chart reference starts with oci://", source: reference)
        }
        let image: ImageReference
        do { image = try ImageReference.parse(String(reference.dropFirst(6))) } catch {
            throw ChartSourceError(.invalidReference, error.message, source: reference)
        }
        guard image.repository.contains("/") || image.registry != ImageReference.dockerHub else {
            throw ChartSourceError(.invalidReference, "an OCI chart reference is oci://HOST/PATH/CHART", source: reference)
        }
        return image
    }

    /// Helm writes a version's `+` as `_` in tags; this reads it back.
    static func version(ofTag tag: String) -> String { tag.replacingOccurrences(of: "_", with: "+") }

    /// The tag for `range` among `tags`, by Helm's rules: an exact version first, then the
    /// newest semantic version in the range.
    static func pickTag(_ tags: [String], range: String, chart: String, source: String) throws(ChartSourceError) -> String {
        let candidates = tags.filter { SemanticVersion(version(ofTag: $0)) != nil }.map { (version: version(ofTag: $0), payload: $0) }
        guard !candidates.isEmpty else {
            throw ChartSourceError(.chartNotFound, "chart \(chart) has no version tags in the registry", source: source)
        }
        return try ChartIndex.pick(candidates, range: range, chart: chart, source: source)
    }

    /// The chart layer of a Helm artifact's manifest, after checking the config media type.
    static func chartLayer(_ manifest: RegistryManifest, source: String) throws(ChartSourceError) -> (digest: String, size: Int) {
        guard let root = try? JSONParser.parse(manifest.bytes, file: "manifest") else {
            throw ChartSourceError(.invalidIndex, "the manifest is not JSON", source: source)
        }
        let configType = root["config"]?["mediaType"]?.stringValue ?? ""
        guard configType == configMediaType else {
            throw ChartSourceError(
                .notAChart, "the artifact's config media type is \(configType.isEmpty ? "missing" : configType), not \(configMediaType)",
                source: source)
        }
        let layers = root["layers"]?.arrayValue ?? []
        let chart = layers.first { [chartLayerMediaType, legacyChartLayerMediaType].contains($0["mediaType"]?.stringValue ?? "") }
        guard let chart, let digest = chart["digest"]?.stringValue, let size = chart["size"]?.intValue else {
            throw ChartSourceError(.notAChart, "the artifact has no \(chartLayerMediaType) layer", source: source)
        }
        return (digest, Int(size))
    }

    /// Runs a registry call, its error restated as a chart source error.
    private func call<T: Sendable>(
        _ source: String, _ body: (RegistryClient) async throws(RegistryError) -> T
    ) async throws(ChartSourceError) -> T {
        do { return try await body(registry) } catch { throw Self.restate(error, source: source) }
    }

    private static func restate(_ error: RegistryError, source: String) -> ChartSourceError {
        let code: ChartSourceError.Code =
            switch error.code {
            case .transport: .unreachable
            case .unauthorized: .unauthorized
            case .responseTooLarge: .tooLarge
            case .digestMismatch: .digestMismatch
            case .invalidReference: .invalidReference
            case .credentials: .credentials
            case .insecure: .insecure
            case .decoding, .build: .invalidIndex
            case .registry: error.status == 404 ? .chartNotFound : .server
            }
        return ChartSourceError(code, error.message, source: source, cause: error)
    }
}
