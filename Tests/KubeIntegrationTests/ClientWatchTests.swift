import Kube
import KubeSandbox
import Manifests
import Testing

/// Watches through Keelson's client: raw streams and `ResourceWatcher`'s list/watch/relist loop.
@Suite("Client watch against the sandbox")
struct ClientWatchTests {
    @Test("a watch from a list's resourceVersion sees ADDED, MODIFIED and DELETED in order")
    func watchEvents() async throws {
        try await withSandboxClient { client, _ in
            let list = try await client.list(configMapKind, namespace: "default")
            let events = Task {
                var seen: [(WatchEvent.EventType, String)] = []
                for try await event in client.watch(
                    configMapKind, namespace: "default", options: ListOptions(resourceVersion: list.resourceVersion, timeoutSeconds: 10))
                {
                    seen.append((event.type, event.manifest?.name ?? ""))
                    if event.type == .deleted { break }
                }
                return seen
            }
            _ = try await client.create(configMap("w"))
            _ = try await client.mergePatch(configMapKind, name: "w", namespace: "default", patch: ["data": ["k": "v"]])
            _ = try await client.delete(configMapKind, name: "w", namespace: "default")
            let seen = try await events.value
            #expect(seen.map(\.0) == [.added, .modified, .deleted])
            #expect(seen.allSatisfy { $0.1 == "w" })
        }
    }

    @Test("a watch from an expired resourceVersion throws Gone; ResourceWatcher lists again and carries on")
    func relistAfterGone() async throws {
        try await withSandboxClient({ $0.watchHistory = 3 }) { client, _ in
            let start = try await client.list(configMapKind, namespace: "default").resourceVersion
            for index in 0..<6 { _ = try await client.create(configMap("old-\(index)")) }
            let expired = try await #require(throws: KubeError.self) {
                for try await _ in client.watch(configMapKind, namespace: "default", options: ListOptions(resourceVersion: start)) {}
            }
            #expect(expired.isGone)

            // The watcher lists, then (it only talks to the server when asked for the next update)
            // the history passes its version, so its first watch gets 410 and it must list again.
            let watcher = ResourceWatcher(
                api: client, kind: configMapKind, namespace: "default",
                backoff: RetryPolicy(initialDelay: .milliseconds(20), maxDelay: .milliseconds(100)))
            var iterator = watcher.makeAsyncIterator()
            guard case .listed(let first) = try await iterator.next() else { throw TestFailure("first update is not a list") }
            #expect(first.items.count == 6)
            for index in 0..<6 { _ = try await client.create(configMap("new-\(index)")) }
            guard case .listed(let relisted) = try await iterator.next() else { throw TestFailure("no relist after the watch expired") }
            #expect(relisted.items.count == 12)
            #expect(Int(relisted.resourceVersion) ?? 0 > Int(first.resourceVersion) ?? 0)
            // And it watches on from the new list.
            _ = try await client.create(configMap("after"))
            guard case .event(let event) = try await iterator.next() else { throw TestFailure("no event after the relist") }
            #expect(event.type == .added)
            #expect(event.manifest?.name == "after")
        }
    }

    @Test("one client holds more watches than AsyncHTTPClient's default 8 connections and still makes requests")
    func manyWatchesDoNotStarveRequests() async throws {
        try await withSandboxClient { client, endpoint in
            let admin = SandboxAdmin(url: endpoint.url)
            let watches = 12
            let version = try await client.list(configMapKind, namespace: "default").resourceVersion
            try await withThrowingTaskGroup(of: String.self) { group in
                for _ in 0..<watches {
                    group.addTask {
                        // The server's timeout is a last guard: on a busy machine the create comes late.
                        for try await event in client.watch(
                            configMapKind, namespace: "default", options: ListOptions(resourceVersion: version, timeoutSeconds: 180))
                        {
                            // A periodic bookmark comes first when the create is late (a busy machine).
                            if event.type == .bookmark { continue }
                            return event.manifest?.name ?? ""
                        }
                        return ""
                    }
                }
                let deadline = ContinuousClock.now + .seconds(10)
                while try await admin.counter("openWatches") < watches {
                    guard ContinuousClock.now < deadline else {
                        throw TestFailure("only \(try await admin.counter("openWatches")) of \(watches) watches opened")
                    }
                    try await Task.sleep(for: .milliseconds(20))
                }
                _ = try await client.create(configMap("seen-by-all"))
                var names: [String] = []
                for try await name in group { names.append(name) }
                #expect(names == Array(repeating: "seen-by-all", count: watches))
            }
        }
    }
}
