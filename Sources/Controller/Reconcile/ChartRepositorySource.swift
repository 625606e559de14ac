import Foundation
import Helm
import Kube
import Manifests

/// A chart in an HTTP Helm repository (`repoURL` + `chart`) or an OCI registry (`oci://` URL).
/// Its revision is the chart version and archive digest (`1.4.2@sha256:…`): a new version
/// matching the range is picked up as a new commit is, and a version republished with other
/// bytes is refused rather than deployed silently.
struct ChartRepositorySource: Sendable {
    /// The kind of repository.
    var kind: ApplicationSpec.ChartRepositoryKind
    /// `repoURL`.
    var url: String
    /// `chart` (empty for OCI, whose URL names the chart).
    var chart: String
    /// Credentials and TLS material from `secretRef`.
    var options: ChartSourceOptions
    /// Archives by digest, shared by every Application.
    var cache: ChartCache

    /// The chart source of `app`, with `username`/`password`, `ca.crt`, `tls.crt` and `tls.key`
    /// from the Secret `spec.source.secretRef` names.
    static func make(_ app: Application, kind: ApplicationSpec.ChartRepositoryKind, client: any KubernetesAPI, cache: ChartCache) async throws
        -> ChartRepositorySource
    {
        var options = ChartSourceOptions()
        if let name = app.spec.source.secretRef {
            let secret: Manifest
            do { secret = try await client.get(SourceCredentials.secretKind, name: name, namespace: app.namespace) } catch {
                let reason = error.isNotFound ? "does not exist" : "cannot be read (\(error.code))"
                throw ChartSourceError(.credentials, "the credentials Secret \(app.namespace)/\(name) \(reason)", source: app.spec.source.repoURL)
            }
            var data: [String: Data] = [:]
            for (key, value) in secret.object["data"]?.objectValue ?? [:] {
                if let encoded = value.stringValue, let decoded = Data(base64Encoded: encoded) { data[key] = decoded }
            }
            options.username = data["username"].map { String(decoding: $0, as: UTF8.self) }
            options.password = data["password"].map { String(decoding: $0, as: UTF8.self) }
            options.caPEM = data["ca.crt"].map(Array.init)
            options.certificatePEM = data["tls.crt"].map(Array.init)
            options.keyPEM = data["tls.key"].map(Array.init)
        }
        return ChartRepositorySource(kind: kind, url: app.spec.source.repoURL, chart: app.spec.source.chart ?? "", options: options, cache: cache)
    }

    /// The chart version `wanted` (a version or semver range; empty for the newest) stands for, with its digest.
    func resolve(_ wanted: String) async throws -> String {
        let fetched = try await ChartSources.fetch(repoURL: url, chart: chart, version: wanted, options: options, cache: cache)
        return fetched.version + "@" + fetched.digest
    }

    /// The chart archive of `revision` (`VERSION@DIGEST`), from the cache when it holds the digest.
    func archive(at revision: String) async throws -> [UInt8] {
        let parts = revision.split(separator: "@", maxSplits: 1).map(String.init)
        let (version, digest) = (parts[0], parts.count > 1 ? parts[1] : "")
        if !digest.isEmpty, let archive = cache.archive(digest: digest) { return archive }
        let fetched = try await ChartSources.fetch(repoURL: url, chart: chart, version: version, options: options, cache: cache)
        guard digest.isEmpty || fetched.digest == digest else {
            throw ChartSourceError(
                .digestMismatch, "\(description) \(version) now has digest \(fetched.digest), not \(digest) as resolved", source: url)
        }
        return fetched.archive
    }

    /// `repoURL` and the chart, for logs and metrics.
    var description: String { chart.isEmpty ? url : "\(url) \(chart)" }
}
