import Foundation
import Kube
import KubeSandbox
import Logging
import Manifests
import Sync

/// Syncs 1 application of 2,000 objects, then 200 applications of 10 objects, to an in-process
/// sandbox over HTTP: first sync, then a resync with nothing to change.
enum SyncBenchmark {
    static let bigApp = 2_000
    static let smallApps = 200
    static let smallAppSize = 10
    /// Applications synced at once in the many-applications case, as a controller's workers would.
    static let workers = 8

    static func run() async throws {
        let directory = try InProcessSandbox.scratchDirectory("sync")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let sandbox = SandboxConfiguration(readyDelay: .milliseconds(10))
        try await InProcessSandbox.withClient(sandbox, in: directory, logger: quiet("keelson.sandbox")) { client, _ in
            let counted = CountingKubernetesAPI(client)
            let big = try objects(count: bigApp, offset: 0)
            print("sync: 1 application of \(bigApp) objects (Deployments, Services, ConfigMaps in 50 namespaces)")
            try await measure(counted, objects: bigApp) {
                try await sync(counted, apps: [("big", big)], workers: 1)
            }
            let apps = try (0..<smallApps).map { ("small-\($0)", try objects(count: smallAppSize, offset: bigApp + $0 * smallAppSize)) }
            print("sync: \(smallApps) applications of \(smallAppSize) objects, \(workers) at a time")
            try await measure(counted, objects: smallApps * smallAppSize) {
                try await sync(counted, apps: apps, workers: workers)
            }
        }
        print("peak memory (sandbox and engine, one process): \(Measure.format(Measure.peakMemoryMiB(), 1)) MiB")
    }

    /// A logger that reports only errors, so per-sync lines do not swamp the figures.
    static func quiet(_ label: String) -> Logger {
        var logger = Logger(label: label)
        logger.logLevel = .error
        return logger
    }

    /// Objects `offset ..< offset+count` of the render benchmark's generator.
    static func objects(count: Int, offset: Int) throws -> [Manifest] {
        let text = (offset..<(offset + count)).map { RenderBenchmark.document($0) }.joined(separator: "---\n")
        return try Manifest.decode(Array(text.utf8), file: "generated")
    }

    /// Runs `body` twice (first sync, then a resync that must change nothing) and prints both.
    static func measure(_ counted: CountingKubernetesAPI, objects: Int, _ body: () async throws -> [ChangeSet]) async throws {
        for phase in ["first sync", "no-change resync"] {
            counted.reset()
            let start = ContinuousClock.now
            let results = try await body()
            let elapsed = ContinuousClock.now - start
            let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
            if let failed = results.first(where: { $0.result == .failed }) { throw BenchmarkError(failed.message) }
            let unchanged = results.reduce(0) { $0 + $1.count(.unchanged) }
            if phase == "no-change resync" && (unchanged != objects || counted.writes != 0) {
                throw BenchmarkError("resync was not a no-op: \(unchanged) of \(objects) unchanged, \(counted.writes) writes")
            }
            // Discovery lookups are answered from the client's cache after the first per kind: not requests.
            let calls = counted.calls.filter { $0.key != .discovery }
            let breakdown = calls.sorted { $0.key.rawValue < $1.key.rawValue }.map { "\($0.key.rawValue) \($0.value)" }
            print(
                "  \(phase): \(Measure.format(seconds * 1000, 0)) ms, \(Int(Double(objects) / seconds)) objects/s, "
                    + "\(calls.values.reduce(0, +)) requests (\(counted.writes) writes; \(breakdown.joined(separator: ", ")))")
        }
    }

    /// Syncs each application, at most `workers` at once.
    static func sync(_ client: CountingKubernetesAPI, apps: [(String, [Manifest])], workers: Int) async throws -> [ChangeSet] {
        var options = SyncOptions()
        options.createNamespace = true
        options.prune = true
        let engine = SyncEngine(client: client, logger: quiet("keelson.sync"))
        let settings = options
        return await withTaskGroup(of: ChangeSet.self) { group in
            var results: [ChangeSet] = []
            var next = 0
            while next < apps.count {
                if next >= workers, let done = await group.next() { results.append(done) }
                let (app, objects) = apps[next]
                group.addTask { await engine.sync(app: AppIdentity(parsing: app), desired: objects, options: settings) }
                next += 1
            }
            for await done in group { results.append(done) }
            return results
        }
    }
}
