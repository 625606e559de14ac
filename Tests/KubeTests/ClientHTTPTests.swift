import Foundation
import KeelsonTesting
import Manifests
import Synchronization
import Testing

@testable import Kube

/// The client over real HTTP against a scripted server on 127.0.0.1.
@Suite struct ClientHTTPTests {
    static let configMaps = GroupVersionKind(apiVersion: "v1", kind: "ConfigMap")

    /// Runs `body` with a client for `server` that is shut down afterwards.
    static func using(
        _ server: ScriptedServer, clock: ManualClock = ManualClock(advancesWhenSleeping: true),
        credentials: KubeConfiguration.Credentials = .token("t0ken"),
        maxBytes: Int = 64 << 20, _ body: (KubeClient) async throws -> Void
    ) async throws {
        let configuration = KubeConfiguration(server: server.url, credentials: credentials)
        let options = KubeClientOptions(retry: RetryPolicy(jitter: 0), maxResponseBytes: maxBytes, clock: clock)
        try await KubeClient.withClient(configuration, options: options, body)
    }

    @Test func crudRequestsHaveTheRightShape() async throws {
        let cm = try Manifest(configMap("a", resourceVersion: "3"))
        try await ScriptedServer.with(
            script: withDiscovery { request in
                switch (request.method, request.path) {
                case ("DELETE", _): return .json(200, ["kind": "Status", "apiVersion": "v1", "status": "Success"])
                default:
                    return ScriptedResponse(
                        status: 200, chunks: [request.body.isEmpty ? JSONWriter.compact(configMap("a", resourceVersion: "4")) : request.body])
                }
            }
        ) { server in
            try await Self.using(server) { client in
                _ = try await client.get(Self.configMaps, name: "a", namespace: "ns")
                _ = try await client.create(cm, options: WriteOptions(dryRun: true))
                _ = try await client.update(cm)
                _ = try await client.updateStatus(cm)
                _ = try await client.mergePatch(Self.configMaps, name: "a", namespace: "ns", patch: ["data": ["k": "v"]])
                let applied = try await client.apply(cm, options: ApplyOptions(fieldManager: "keelson", force: true))
                #expect(applied.name == "a")
                let gone = try await client.delete(
                    Self.configMaps, name: "a", namespace: "ns", options: DeleteOptions(propagationPolicy: .foreground))
                #expect(gone == nil)
                let calls = server.requests.filter { !$0.path.hasPrefix("/api/v1") || $0.path.contains("namespaces") }
                let summary = calls.map { "\($0.method) \($0.path)" }
                #expect(
                    summary == [
                        "GET /api/v1/namespaces/ns/configmaps/a", "POST /api/v1/namespaces/ns/configmaps",
                        "PUT /api/v1/namespaces/ns/configmaps/a", "PUT /api/v1/namespaces/ns/configmaps/a/status",
                        "PATCH /api/v1/namespaces/ns/configmaps/a", "PATCH /api/v1/namespaces/ns/configmaps/a",
                        "DELETE /api/v1/namespaces/ns/configmaps/a",
                    ])
                #expect(calls[1].query["dryRun"] == "All")
                #expect(calls[4].header("Content-Type") == "application/merge-patch+json")
                #expect(calls[5].header("Content-Type") == "application/apply-patch+yaml")
                #expect(calls[5].query == ["fieldManager": "keelson", "force": "true"])
                #expect(calls[6].body.contains(#""propagationPolicy":"Foreground""#))
                #expect(calls.allSatisfy { $0.header("Authorization") == "Bearer t0ken" })
                // Discovery was asked once and cached for every later call.
                #expect(server.requests.filter { $0.path == "/api/v1" }.count == 1)
            }
        }
    }

    @Test func listFollowsContinueTokensAndRestoresKinds() async throws {
        try await ScriptedServer.with(
            script: withDiscovery { request in
                let page2 = request.query["continue"] == "next"
                let item: JSONValue = ["metadata": ["name": page2 ? "b" : "a", "namespace": "ns"]]
                return .json(
                    200,
                    [
                        "kind": "ConfigMapList", "apiVersion": "v1",
                        "metadata": ["resourceVersion": page2 ? "20" : "19", "continue": page2 ? "" : "next"], "items": [item],
                    ])
            }
        ) { server in
            try await Self.using(server) { client in
                let list = try await client.listAll(
                    Self.configMaps, namespace: "ns", options: ListOptions(labelSelector: [.equals("app", "web")], limit: 1))
                #expect(list.items.map(\.name) == ["a", "b"])
                #expect(list.items.allSatisfy { $0.kind == "ConfigMap" && $0.apiVersion == "v1" })
                #expect(list.resourceVersion == "20" && list.continueToken.isEmpty)
                let pages = server.requests.filter { $0.path == "/api/v1/namespaces/ns/configmaps" }
                #expect(pages.map { $0.query["limit"] } == ["1", "1"])
                #expect(pages.map { $0.query["labelSelector"] } == ["app=web", "app=web"])
            }
        }
    }

    struct RetryCase: Sendable, CustomTestStringConvertible {
        let testDescription: String
        let failures: [ScriptedResponse]
        let method: String
        let expectedSleeps: [Duration]
        let succeeds: Bool
    }

    @Test(arguments: [
        // 429 with Retry-After waits exactly that long, then succeeds.
        RetryCase(
            testDescription: "429 Retry-After", failures: [.status(429, reason: "TooManyRequests", headers: [("Retry-After", "2")])],
            method: "GET", expectedSleeps: [.seconds(2)], succeeds: true),
        // 500s on a GET back off exponentially.
        RetryCase(
            testDescription: "500 backoff", failures: [.status(500, reason: "InternalError"), .status(503, reason: "ServiceUnavailable")],
            method: "GET", expectedSleeps: [.milliseconds(200), .milliseconds(400)], succeeds: true),
        // A 500 on a create is not repeated: the object may exist.
        RetryCase(
            testDescription: "500 on POST", failures: [.status(500, reason: "InternalError")], method: "POST", expectedSleeps: [], succeeds: false),
        // Retries give up after maxAttempts.
        RetryCase(
            testDescription: "exhausted", failures: Array(repeating: .status(429, reason: "TooManyRequests"), count: 5),
            method: "GET", expectedSleeps: [.milliseconds(200), .milliseconds(400), .milliseconds(800), .milliseconds(1600)], succeeds: false),
    ])
    func refusalsAreRetriedOnTheInjectedClock(_ retry: RetryCase) async throws {
        let count = Mutex(0)
        try await ScriptedServer.with(
            script: withDiscovery { request in
                let n = count.withLock { n in
                    defer { n += 1 }; return n
                }
                return n < retry.failures.count ? retry.failures[n] : .json(200, configMap("a", resourceVersion: "1"))
            }
        ) { server in
            let clock = ManualClock(advancesWhenSleeping: true)
            try await Self.using(server, clock: clock) { client in
                do {
                    if retry.method == "POST" {
                        _ = try await client.create(try Manifest(configMap("a", resourceVersion: "")))
                    } else {
                        _ = try await client.get(Self.configMaps, name: "a", namespace: "ns")
                    }
                    #expect(retry.succeeds)
                } catch let error as KubeError {
                    #expect(!retry.succeeds, "\(error)")
                    #expect(error.status != nil)
                }
                #expect(clock.sleeps == retry.expectedSleeps)
                #expect(count.withLock { $0 } == retry.expectedSleeps.count + 1)
            }
        }
    }

    @Test func notFoundCarriesTheServersStatus() async throws {
        try await ScriptedServer.with(script: withDiscovery { _ in .status(404, reason: "NotFound", message: "configmaps \"a\" not found") }) {
            server in
            try await Self.using(server) { client in
                await #expect { _ = try await client.get(Self.configMaps, name: "a", namespace: "ns") } throws: { error in
                    guard let error = error as? KubeError else { return false }
                    return error.isNotFound && error.status?.message == "configmaps \"a\" not found" && error.resource == "ConfigMap/ns/a"
                }
            }
        }
    }

    @Test func oversizedReplyIsAClearError() async throws {
        try await ScriptedServer.with(
            script: withDiscovery { _ in
                .json(
                    200,
                    [
                        "kind": "ConfigMap", "apiVersion": "v1", "metadata": ["name": "a"],
                        "data": ["big": .string(String(repeating: "x", count: 40_000))],
                    ])
            }
        ) { server in
            try await Self.using(server, maxBytes: 32_768) { client in
                await #expect { _ = try await client.get(Self.configMaps, name: "a", namespace: "ns") } throws: {
                    ($0 as? KubeError)?.code == .responseTooLarge && "\($0)".contains("32768")
                }
            }
        }
    }

    @Test func unknownKindIsFoundOnceItsCRDExists() async throws {
        let created = Mutex(false)
        let widgets = try String(contentsOfFile: KubeFixtures.directory + "/apis-example.com-v1.json", encoding: .utf8)
        try await ScriptedServer.with(
            script: withDiscovery { request in
                if request.path == "/apis/example.com/v1" {
                    return created.withLock { $0 } ? ScriptedResponse(status: 200, chunks: [widgets]) : .status(404, reason: "NotFound")
                }
                return .json(200, ["apiVersion": "example.com/v1", "kind": "Widget", "metadata": ["name": "w"]])
            }
        ) { server in
            try await Self.using(server) { client in
                let widget = GroupVersionKind(apiVersion: "example.com/v1", kind: "Widget")
                await #expect { _ = try await client.resource(for: widget) } throws: { ($0 as? KubeError)?.code == .unknownKind }
                created.withLock { $0 = true }
                let resource = try await client.resource(for: widget)
                #expect(resource.plural == "widgets" && resource.namespaced)
                _ = try await client.get(widget, name: "w", namespace: "ns")
                #expect(server.requests.last?.path == "/apis/example.com/v1/namespaces/ns/widgets/w")
            }
        }
    }

    @Test func rotatedTokenFileIsPickedUp() async throws {
        let dir = try TemporaryDirectory()
        defer { dir.remove() }
        let path = try dir.write("token", "old")
        try await ScriptedServer.with(
            script: withDiscovery { request in
                request.header("Authorization") == "Bearer rotated-token"
                    ? .json(200, configMap("a", resourceVersion: "1")) : .status(401, reason: "Unauthorized")
            }
        ) { server in
            try await Self.using(server, credentials: .tokenFile(path)) { client in
                await #expect { _ = try await client.get(Self.configMaps, name: "a", namespace: "ns") } throws: {
                    ($0 as? KubeError)?.isUnauthorized == true
                }
                try dir.write("token", "rotated-token")
                _ = try await client.get(Self.configMaps, name: "a", namespace: "ns")
            }
        }
    }
}
