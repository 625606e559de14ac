import Foundation
import KeelsonFoundation
import Yams

/// A Helm repository's `index.yaml`: the versions of each chart, where their archives are and
/// their digests.
public struct ChartIndex: Sendable {
    /// One chart version as the index lists it.
    public struct Entry: Sendable, Hashable {
        /// The chart's name.
        public var name: String
        /// The version as written (`1.2.3`).
        public var version: String
        /// Archive URLs, absolute or relative to the repository.
        public var urls: [String]
        /// The archive's sha256 (hex, as `helm repo index` writes it), when listed.
        public var digest: String?
    }

    /// The versions of each chart, in the index's order.
    public var entries: [String: [Entry]]

    /// Parses `index.yaml` text; `source` (the index URL) names the file in errors.
    public init(yaml: String, source: String) throws(ChartSourceError) {
        let root: Node?
        do { root = try Yams.compose(yaml: yaml) } catch {
            throw ChartSourceError(.invalidIndex, "index.yaml is not YAML: \(String(describing: error).prefix(200))", source: source)
        }
        guard let entries = root?["entries"]?.mapping else {
            throw ChartSourceError(.invalidIndex, "index.yaml has no entries map", source: source)
        }
        var parsed: [String: [Entry]] = [:]
        for (key, list) in entries {
            guard let name = key.string else { continue }
            parsed[name] = Array(list.sequence ?? []).compactMap { node -> Entry? in
                guard let version = node["version"]?.string else { return nil }
                let urls = Array(node["urls"]?.sequence ?? []).compactMap(\.string)
                let digest = node["digest"]?.string.flatMap { $0.isEmpty ? nil : $0 }
                return Entry(name: node["name"]?.string ?? name, version: version, urls: urls, digest: digest)
            }
        }
        self.entries = parsed
    }

    /// The newest version of `chart` that `range` allows, as Helm chooses it: an exact version
    /// string first, then the highest version in the semver range (`1.2.x`, `^1.0.0`, `>=1.0 <2`;
    /// empty means any release). Pre-releases count only when the range names one.
    public func select(_ chart: String, range: String, source: String) throws(ChartSourceError) -> Entry {
        guard let versions = entries[chart], !versions.isEmpty else {
            throw ChartSourceError(.chartNotFound, "chart \(chart) is not in the repository index", source: source)
        }
        let picked = try Self.pick(versions.map { ($0.version, $0) }, range: range, chart: chart, source: source)
        return picked
    }

    /// Chooses among `(version, payload)` pairs by Helm's rules (see `select`); errors name the newest few versions.
    static func pick<Payload>(
        _ candidates: [(version: String, payload: Payload)], range: String, chart: String, source: String
    ) throws(ChartSourceError) -> Payload {
        let range = range.trimmingCharacters(in: .whitespaces)
        if !range.isEmpty, let exact = candidates.first(where: { $0.version == range }) { return exact.payload }
        let parsed: VersionRange
        do { parsed = try VersionRange(range.isEmpty ? "*" : range) } catch {
            throw ChartSourceError(.invalidRange, "\(error)", source: source)
        }
        let versions = candidates.compactMap { candidate in
            SemanticVersion(lenient: candidate.version).map { (version: $0, payload: candidate.payload) }
        }
        if let best = parsed.best(of: versions) { return best.payload }
        let newest = versions.sorted { $0.version > $1.version }.prefix(5).map(\.version.description)
        let listing = newest.isEmpty ? "it lists no semantic versions" : "newest: " + newest.joined(separator: ", ")
        throw ChartSourceError(
            .noMatchingVersion, "no version of chart \(chart) matches \(range.isEmpty ? "*" : range) (\(listing))", source: source)
    }
}
