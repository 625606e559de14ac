import Foundation
import Kube
import KubeSandbox
import Logging
import Manifests
import Synchronization

/// Runs a sandbox in this process and drives it over real HTTP with Keelson's client: server-side
/// apply throughput for 10,000 ConfigMaps with bounded concurrency, then watch fan-out latency
/// (N watchers, time from sending a write to each watcher's event), then peak memory.
enum SandboxBenchmark {
    static let objects = 10_000
    static let concurrency = 16
    static let watchers = 50
    static let watchedWrites = 200

    static func run() async throws {
        let logger = {
            var logger = Logger(label: "keelson.bench"); logger.logLevel = .critical; return logger
        }()
        let directory = try InProcessSandbox.scratchDirectory("sandbox")
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try await InProcessSandbox.withClient(SandboxConfiguration(watchHistory: objects * 2), in: directory, logger: logger) { client, endpoint in
            print("sandbox: in-process sandbox at \(endpoint.url), Keelson's client over HTTP/1.1")
            try await applyThroughput(client)
            try await watchFanOut(client)
        }
        print("peak memory: \(Measure.format(Measure.peakMemoryMiB(), 1)) MiB (sandbox and client in one process, \(objects) objects stored)")
    }

    /// Applies `objects` ConfigMaps, `concurrency` in flight, and checks they are all listed.
    static func applyThroughput(_ client: KubeClient) async throws {
        let apply = ApplyOptions(fieldManager: "keelson", force: true)
        _ = try await client.apply(configMap("warm-up", index: 0), options: apply)
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for index in 0..<objects {
                if index >= concurrency { try await group.next() }
                group.addTask { _ = try await client.apply(configMap("cm-\(index)", index: index), options: apply) }
            }
            try await group.waitForAll()
        }
        let seconds = seconds(ContinuousClock.now - start)
        let listed = try await client.listAll(
            GroupVersionKind(apiVersion: "v1", kind: "ConfigMap"), namespace: "default",
            options: ListOptions(labelSelector: [.equals("bench", "apply")]))
        guard listed.items.count == objects + 1 else {
            throw BenchmarkError("applied \(objects + 1) ConfigMaps but \(listed.items.count) are listed")
        }
        print(
            "server-side apply: \(objects) ConfigMaps, \(concurrency) in flight: \(Measure.format(seconds, 2)) s, \(Int(Double(objects) / seconds)) objects/s"
        )
    }

    /// `watchers` watches on the namespace; `watchedWrites` patches one after another; the latency of
    /// each event at each watcher from just before its write was sent.
    static func watchFanOut(_ client: KubeClient) async throws {
        let kind = GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")
        let version = try await client.list(kind, namespace: "default", options: ListOptions(limit: 1)).resourceVersion
        let record = FanOutRecord()
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<watchers {
                group.addTask {
                    let options = ListOptions(labelSelector: [.equals("bench", "watch")], resourceVersion: version, timeoutSeconds: 300)
                    var seen = 0
                    var iterator = client.watch(kind, namespace: "default", options: options).makeAsyncIterator()
                    record.ready.add(1, ordering: .relaxed)
                    while seen < watchedWrites, let event = try await iterator.next() {
                        let arrived = ContinuousClock.now
                        guard event.type == .modified || event.type == .added, let name = event.manifest?.name,
                            let at = record.sent.withLock({ $0[name] })
                        else { continue }
                        record.latencies.withLock { $0.append(seconds(arrived - at)) }
                        seen += 1
                    }
                }
            }
            // Let every watch request reach the server before the first write.
            while record.ready.load(ordering: .relaxed) < watchers { try await Task.sleep(for: .milliseconds(10)) }
            try await Task.sleep(for: .milliseconds(500))
            for index in 0..<watchedWrites {
                var object = configMap("watched-\(index)", index: index)
                object.setLabel("bench", "watch")
                record.sent.withLock { $0[object.name] = ContinuousClock.now }
                _ = try await client.apply(object, options: ApplyOptions(fieldManager: "keelson", force: true))
            }
            try await group.waitForAll()
        }
        let sorted = record.latencies.withLock { $0 }.sorted()
        guard sorted.count == watchers * watchedWrites else {
            throw BenchmarkError("\(sorted.count) events seen, expected \(watchers * watchedWrites)")
        }
        func percentile(_ p: Double) -> Double { sorted[min(sorted.count - 1, Int(Double(sorted.count) * p))] }
        print(
            "watch fan-out: \(watchers) watchers x \(watchedWrites) writes (over \(objects) stored objects): "
                + "p50 \(Measure.format(percentile(0.5) * 1000, 2)) ms, p99 \(Measure.format(percentile(0.99) * 1000, 2)) ms, max \(Measure.format(sorted.last! * 1000, 2)) ms"
        )
    }

    /// What the watchers and the writer share.
    final class FanOutRecord: Sendable {
        /// When each object's write was sent.
        let sent = Mutex<[String: ContinuousClock.Instant]>([:])
        /// Seconds from write to event, one per event per watcher.
        let latencies = Mutex<[Double]>([])
        /// Watchers that have started their watch.
        let ready = Atomic<Int>(0)
    }

    static func configMap(_ name: String, index: Int) -> Manifest {
        Manifest(unchecked: [
            "apiVersion": "v1", "kind": "ConfigMap",
            "metadata": ["name": .string(name), "namespace": "default", "labels": ["bench": "apply", "shard": .string("s\(index % 10)")]],
            "data": ["index": .string(String(index)), "payload": .string(String(repeating: "x", count: 256))],
        ])
    }

    static func seconds(_ duration: Duration) -> Double {
        Double(duration.components.seconds) + Double(duration.components.attoseconds) / 1e18
    }
}
