import Foundation
import Helm
import KeelsonTesting
import Testing

@Suite struct ChartCacheTests {
    /// Archives are stored under their sha256 and read back whole.
    @Test func contentAddressed() throws {
        let folder = try TemporaryDirectory(prefix: "keelson-chart-cache")
        defer { folder.remove() }
        let cache = ChartCache(directory: folder.path)
        let archive: [UInt8] = Array("chart bytes".utf8)
        let digest = try cache.store(archive)
        #expect(digest == ChartSourceFixtures.digest(archive))
        #expect(cache.archive(digest: digest) == archive)
        #expect(FileManager.default.fileExists(atPath: "\(folder.path)/charts/sha256/\(digest.dropFirst(7)).tgz"))
        #expect(cache.archive(digest: ChartSourceFixtures.digest([1, 2, 3])) == nil)
    }

    /// A file whose bytes no longer match its name is dropped, never returned.
    @Test func corruptedFileIsDropped() throws {
        let folder = try TemporaryDirectory(prefix: "keelson-chart-cache")
        defer { folder.remove() }
        let cache = ChartCache(directory: folder.path)
        let digest = try cache.store(Array("chart bytes".utf8))
        let path = "\(folder.path)/charts/sha256/\(digest.dropFirst(7)).tgz"
        try Data("other bytes".utf8).write(to: URL(fileURLWithPath: path))
        #expect(cache.archive(digest: digest) == nil)
        #expect(!FileManager.default.fileExists(atPath: path))
    }

    /// Over the size limit, the least recently used archives go first; the one just stored stays.
    @Test func evictsLeastRecentlyUsed() throws {
        let folder = try TemporaryDirectory(prefix: "keelson-chart-cache")
        defer { folder.remove() }
        let cache = ChartCache(directory: folder.path, maxBytes: 250)
        let archives = (0..<3).map { index in [UInt8](repeating: UInt8(index), count: 100) }
        let first = try cache.store(archives[0])
        let second = try cache.store(archives[1])
        // Reading the first makes it the most recently used (modification times have one-second steps on some file systems).
        let old = Date(timeIntervalSinceNow: -60)
        try FileManager.default.setAttributes(
            [.modificationDate: old], ofItemAtPath: "\(folder.path)/charts/sha256/\(second.dropFirst(7)).tgz")
        try FileManager.default.setAttributes(
            [.modificationDate: old.addingTimeInterval(-60)], ofItemAtPath: "\(folder.path)/charts/sha256/\(first.dropFirst(7)).tgz")
        #expect(cache.archive(digest: first) != nil)
        let third = try cache.store(archives[2])
        #expect(cache.archive(digest: second) == nil)
        #expect(cache.archive(digest: first) == archives[0] && cache.archive(digest: third) == archives[2])
    }
}

@Suite struct ChartSourceOptionsTests {
    /// TLS material that is not PEM, or a certificate without its key, is refused before any connection.
    @Test(arguments: [
        ChartSourceOptions(caPEM: Array("not a certificate".utf8)),
        ChartSourceOptions(certificatePEM: Array("-----BEGIN CERTIFICATE-----\n".utf8)),
        ChartSourceOptions(certificatePEM: Array("x".utf8), keyPEM: Array("y".utf8)),
    ])
    func badTLSMaterialIsACredentialsError(_ options: ChartSourceOptions) async throws {
        let error = await #expect(throws: ChartSourceError.self) {
            try await ChartSources.fetch(repoURL: "https://127.0.0.1:1/charts", chart: "demo", version: "", options: options)
        }
        #expect(error?.code == .credentials)
    }

    /// Credentials belong in the options; a URL carrying them is refused and never echoed.
    @Test func credentialsInTheURLAreRefused() async throws {
        let error = await #expect(throws: ChartSourceError.self) {
            try await ChartSources.fetch(repoURL: "https://ci:s3cret@127.0.0.1:1/charts", chart: "demo", version: "")
        }
        #expect(error?.code == .invalidReference && error?.description.contains("s3cret") == false)
    }
}
