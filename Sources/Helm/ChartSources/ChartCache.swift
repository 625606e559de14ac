import Crypto
import Foundation

/// Chart archives kept by digest in a folder, so rendering the same version again downloads
/// nothing; also the last `index.yaml` of each repository with its `ETag`.
///
/// Files are content-addressed (`charts/sha256/HEX.tgz`), written to a temporary name and
/// renamed into place, and checked against their digest when read. When the archives exceed
/// `maxBytes`, the least recently used are removed.
///
/// ```swift
/// let cache = ChartCache(directory: "/var/cache/keelson/charts")
/// let chart = try await ChartSources.fetch(repoURL: url, chart: "app", version: "^1", cache: cache)
/// ```
public struct ChartCache: Sendable {
    /// The cache folder.
    public let directory: String
    /// The most bytes of archives kept.
    public let maxBytes: Int

    /// A cache in `directory` (created when first written) holding at most `maxBytes` of archives.
    public init(directory: String, maxBytes: Int = 1 << 30) {
        self.directory = directory
        self.maxBytes = maxBytes
    }

    /// The archive with `digest` (`sha256:HEX`), if it is cached and intact.
    public func archive(digest: String) -> [UInt8]? {
        guard let path = archivePath(digest), let data = FileManager.default.contents(atPath: path) else { return nil }
        let bytes = Array(data)
        guard Self.sha256(bytes) == digest else {
            try? FileManager.default.removeItem(atPath: path)
            return nil
        }
        // The modification time orders eviction: a read makes an archive recent.
        try? FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: path)
        return bytes
    }

    /// Stores `archive` under its digest and returns the digest; then trims the cache to `maxBytes`.
    @discardableResult
    public func store(_ archive: [UInt8]) throws(ChartSourceError) -> String {
        let digest = Self.sha256(archive)
        guard archive.count <= maxBytes, let path = archivePath(digest) else { return digest }
        try write(Data(archive), to: path)
        evict(keeping: path)
        return digest
    }

    /// The digest last fetched for `key` (a chart URL, or an OCI reference), when the source names none.
    func digest(for key: String) -> String? {
        guard let data = FileManager.default.contents(atPath: referencePath(key)) else { return nil }
        let digest = String(decoding: data, as: UTF8.self)
        return archivePath(digest) == nil ? nil : digest
    }

    /// Remembers that `key` gave the archive with `digest`.
    func remember(_ digest: String, for key: String) {
        try? write(Data(digest.utf8), to: referencePath(key))
    }

    /// The cached `index.yaml` of `url` and its `ETag`.
    func index(for url: String) -> (etag: String, body: [UInt8])? {
        let base = indexPath(url)
        guard let etag = FileManager.default.contents(atPath: base + ".etag"), let body = FileManager.default.contents(atPath: base + ".yaml")
        else { return nil }
        return (String(decoding: etag, as: UTF8.self), Array(body))
    }

    /// Keeps `body`, the `index.yaml` of `url` served with `etag`.
    func storeIndex(_ body: [UInt8], etag: String, for url: String) {
        let base = indexPath(url)
        // Body first: a reader that sees the new ETag also sees the body it belongs to.
        try? write(Data(body), to: base + ".yaml")
        try? write(Data(etag.utf8), to: base + ".etag")
    }

    /// `sha256:` and the hex digest of `bytes`.
    static func sha256(_ bytes: some Sequence<UInt8>) -> String {
        var hasher = SHA256()
        hasher.update(data: Array(bytes))
        return "sha256:" + hasher.finalize().map { String(format: "%02x", $0) }.joined()
    }

    private func archivePath(_ digest: String) -> String? {
        let hex = digest.dropFirst("sha256:".count)
        guard digest.hasPrefix("sha256:"), hex.count == 64, hex.allSatisfy(\.isHexDigit) else { return nil }
        return "\(directory)/charts/sha256/\(hex.lowercased()).tgz"
    }

    private func referencePath(_ key: String) -> String { "\(directory)/refs/\(Self.sha256(key.utf8).dropFirst(7))" }

    private func indexPath(_ url: String) -> String { "\(directory)/index/\(Self.sha256(url.utf8).dropFirst(7))" }

    /// Writes `data` to a temporary file beside `path` and renames it into place, so readers
    /// never see part of a file.
    private func write(_ data: Data, to path: String) throws(ChartSourceError) {
        let folder = (path as NSString).deletingLastPathComponent
        let temporary = "\(folder)/.tmp-\(UUID().uuidString)"
        do {
            try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
            try data.write(to: URL(fileURLWithPath: temporary))
            guard rename(temporary, path) == 0 else { throw POSIXError(POSIXErrorCode(rawValue: errno) ?? .EIO) }
        } catch {
            try? FileManager.default.removeItem(atPath: temporary)
            throw ChartSourceError(.cache, "cannot write \(path)", source: directory, cause: error)
        }
    }

    /// Removes the least recently used archives until the rest fit in `maxBytes`.
    private func evict(keeping kept: String) {
        let folder = "\(directory)/charts/sha256"
        let keys: [URLResourceKey] = [.fileSizeKey, .contentModificationDateKey]
        guard
            let files = try? FileManager.default.contentsOfDirectory(
                at: URL(fileURLWithPath: folder), includingPropertiesForKeys: keys)
        else { return }
        var entries = files.filter { $0.pathExtension == "tgz" }.compactMap { url -> (path: String, size: Int, used: Date)? in
            guard let values = try? url.resourceValues(forKeys: Set(keys)) else { return nil }
            return (url.path, values.fileSize ?? 0, values.contentModificationDate ?? .distantPast)
        }
        var total = entries.reduce(0) { $0 + $1.size }
        entries.sort { $0.used < $1.used }
        for entry in entries where total > maxBytes && entry.path != kept {
            try? FileManager.default.removeItem(atPath: entry.path)
            total -= entry.size
        }
    }
}
