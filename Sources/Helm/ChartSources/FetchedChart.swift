/// A chart archive fetched from a repository or registry, with what identifies it. Parsing the
/// archive is `ChartLoader`'s job.
public struct FetchedChart: Sendable, Hashable {
    /// The chart's name.
    public var name: String
    /// The version chosen (`1.2.3`; for OCI the tag with `_` read as `+`).
    public var version: String
    /// `sha256:` and the hex digest of `archive`.
    public var digest: String
    /// The `.tgz` bytes.
    public var archive: [UInt8]
    /// Where the archive came from: its URL, or `oci://host/repo/chart:tag`.
    public var location: String
    /// Whether the archive came from the `ChartCache` rather than the network.
    public var cached: Bool

    /// Creates a result.
    public init(name: String, version: String, digest: String, archive: [UInt8], location: String, cached: Bool) {
        self.name = name
        self.version = version
        self.digest = digest
        self.archive = archive
        self.location = location
        self.cached = cached
    }
}
