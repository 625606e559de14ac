import Foundation
import KeelsonTesting
import Manifests
import Synchronization
import Testing

@testable import Kube

/// Watch streams and the list-then-watch helper over real HTTP.
@Suite struct WatchHTTPTests {
    static let configMaps = GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")

    static func event(_ type: String, _ name: String, _ rv: String) -> JSONValue {
        ["type": .string(type), "object": configMap(name, resourceVersion: rv)]
    }

    @Test func chunkedWatchStreamIsDecodedInOrder() async throws {
        try await ScriptedServer.with(
            script: withDiscovery { _ in
                .watch([Self.event("ADDED", "a", "11"), Self.event("MODIFIED", "a", "12"), Self.event("DELETED", "a", "13")])
            }
        ) { server in
            try await ClientHTTPTests.using(server) { client in
                var seen: [String] = []
                for try await event in client.watch(Self.configMaps, namespace: "ns", options: ListOptions(resourceVersion: "10")) {
                    seen.append("\(event.type.rawValue) \(event.manifest?.name ?? "") \(event.resourceVersion)")
                }
                #expect(seen == ["ADDED a 11", "MODIFIED a 12", "DELETED a 13"])
                let watch = try #require(server.requests.last)
                #expect(watch.path == "/api/v1/namespaces/ns/configmaps")
                #expect(watch.query["watch"] == "1" && watch.query["allowWatchBookmarks"] == "true")
                #expect(watch.query["resourceVersion"] == "10" && watch.query["timeoutSeconds"] != nil)
            }
        }
    }

    @Test func droppedConnectionIsATransportError() async throws {
        try await ScriptedServer.with(script: withDiscovery { _ in .watch([Self.event("ADDED", "a", "11")], drop: true) }) { server in
            try await ClientHTTPTests.using(server) { client in
                var iterator = client.watch(Self.configMaps, namespace: "ns").makeAsyncIterator()
                let first = try await iterator.next()
                #expect(first?.resourceVersion == "11")
                await #expect { _ = try await iterator.next() } throws: { ($0 as? KubeError)?.code == .transport }
            }
        }
    }

    /// The scripted history: list at 10; a watch that sees a change and a bookmark, then drops;
    /// a resumed watch from the bookmark that the server answers with 410; a relist at 30.
    @Test func watcherResumesAfterDropsAndRelistsOnGone() async throws {
        let watches = Mutex(0)
        let lists = Mutex(0)
        try await ScriptedServer.with(
            script: withDiscovery { request in
                if request.query["watch"] == nil {
                    let n = lists.withLock { n in
                        defer { n += 1 }; return n
                    }
                    return .json(
                        200,
                        [
                            "kind": "ConfigMapList", "apiVersion": "v1", "metadata": ["resourceVersion": n == 0 ? "10" : "30"],
                            "items": [configMap(n == 0 ? "a" : "b", resourceVersion: n == 0 ? "10" : "30")],
                        ])
                }
                let n = watches.withLock { n in
                    defer { n += 1 }; return n
                }
                switch n {
                case 0:
                    return .watch(
                        [
                            Self.event("MODIFIED", "a", "12"),
                            ["type": "BOOKMARK", "object": ["kind": "ConfigMap", "apiVersion": "v1", "metadata": ["resourceVersion": "15"]]],
                        ],
                        drop: true)
                case 1:
                    return .watch([
                        [
                            "type": "ERROR",
                            "object": [
                                "kind": "Status", "apiVersion": "v1", "status": "Failure", "reason": "Expired", "code": 410,
                                "message": "too old resource version: 15 (25)",
                            ],
                        ]
                    ])
                default:
                    return .watch([Self.event("ADDED", "c", "31")])
                }
            }
        ) { server in
            let clock = ManualClock(advancesWhenSleeping: true)
            try await ClientHTTPTests.using(server, clock: clock) { client in
                let watcher = ResourceWatcher(api: client, kind: Self.configMaps, namespace: "ns", clock: clock)
                var updates: [String] = []
                for try await update in watcher {
                    switch update {
                    case .listed(let list): updates.append("listed \(list.items.map(\.name)) @\(list.resourceVersion)")
                    case .event(let event): updates.append("\(event.type.rawValue) \(event.manifest?.name ?? "") @\(event.resourceVersion)")
                    }
                    if updates.count == 4 { break }
                }
                #expect(updates == ["listed [\"a\"] @10", "MODIFIED a @12", "listed [\"b\"] @30", "ADDED c @31"])
                let watchVersions = server.requests.filter { $0.query["watch"] == "1" }.map { $0.query["resourceVersion"] ?? "" }
                // Resumed from the last version seen before the drop — the bookmark's 15, or 12 when
                // the connection closed before the bookmark line was delivered (a race under load)
                // — and from the relist after 410.
                #expect(watchVersions.count == 3)
                #expect(watchVersions.first == "10" && watchVersions.last == "30")
                #expect(["12", "15"].contains(watchVersions.dropFirst().first ?? ""))
                // The dropped connection was waited out once on the injected clock.
                #expect(clock.sleeps.count == 1)
            }
        }
    }

    @Test func watcherStopsOnForbidden() async throws {
        try await ScriptedServer.with(script: withDiscovery { _ in .status(403, reason: "Forbidden", message: "no") }) { server in
            try await ClientHTTPTests.using(server) { client in
                var iterator = ResourceWatcher(api: client, kind: Self.configMaps, namespace: "ns").makeAsyncIterator()
                await #expect { _ = try await iterator.next() } throws: { ($0 as? KubeError)?.isForbidden == true }
            }
        }
    }
}
