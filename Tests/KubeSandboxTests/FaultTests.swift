import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

@Suite("Fault injection and watch edge cases", .enabled(if: Kubectl.isAvailable, "kubectl is not installed"))
struct FaultTests {
    /// Sends a request to the sandbox's admin endpoint.
    static func admin(_ url: String, method: String, body: String? = nil) async throws -> Int {
        try await adminCall(url, method: method, body: body).status
    }

    /// Sends a request to the admin endpoint and returns the status and the parsed reply.
    static func adminCall(_ url: String, method: String, body: String? = nil) async throws -> (status: Int, reply: JSONValueBox?) {
        var request = URLRequest(url: URL(string: url + "/sandbox/faults")!)
        request.httpMethod = method
        request.httpBody = body.map { Data($0.utf8) }
        request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        let (data, response) = try await URLSession.shared.data(for: request)
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, try? JSONValueBox(String(decoding: data, as: UTF8.self)))
    }

    /// Each case pins the error kubectl reports for an injected failure code.
    @Test(
        "injected failures reach kubectl as Status errors and stop when cleared",
        arguments: [(500, "InternalError"), (409, "Conflict")])
    func injectedFailures(code: Int, reason: String) async throws {
        try await withSandbox { kubectl, endpoint in
            #expect(try await Self.admin(endpoint.url, method: "POST", body: #"{"errorRate": 1, "codes": [\#(code)]}"#) == 200)
            let failing = try await kubectl.run(["get", "configmaps", "-n", "default", "--request-timeout=5s"])
            #expect(failing.status != 0)
            #expect(failing.stderr.contains("injected fault") || failing.stderr.contains(reason), "\(failing.stderr)")
            #expect(try await Self.admin(endpoint.url, method: "DELETE") == 200)
            try await kubectl.ok(["get", "configmaps", "-n", "default"])
        }
    }

    @Test("a bad fault configuration is rejected")
    func badConfiguration() async throws {
        try await withSandbox { _, endpoint in
            let badRate = try await Self.admin(endpoint.url, method: "POST", body: #"{"errorRate": 2}"#)
            let badCode = try await Self.admin(endpoint.url, method: "POST", body: #"{"codes": [418]}"#)
            #expect(badRate == 400)
            #expect(badCode == 400)
        }
    }

    @Test("a watch from a compacted resourceVersion gets a 410 Expired event; a recent one replays changes")
    func expiredWatch() async throws {
        try await withSandbox({ $0.watchHistory = 2 }) { kubectl, _ in
            for name in ["a", "b", "c", "d"] {
                try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap(name, data: [:]))
            }
            let old = try await kubectl.run(
                ["get", "--raw", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=1"], timeout: .seconds(5))
            #expect(old.stdout.contains(#""type":"ERROR""#), "\(old.stdout)\(old.stderr)")
            #expect(old.stdout.contains(#""reason":"Expired""#))
            #expect(old.stdout.contains(#""code":410"#))
            let d = try await kubectl.json(["get", "cm", "d"])
            let rv = try #require(d.string("metadata.resourceVersion").flatMap { Int($0) })
            let recent = try await kubectl.run(
                ["get", "--raw", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=\(rv - 1)&timeoutSeconds=1"],
                timeout: .seconds(5))
            let lines = recent.stdout.split(separator: "\n")
            #expect(lines.count == 1, "\(recent.stdout)")
            #expect(lines.first?.contains(#""name":"d""#) == true)
        }
    }

    @Test("injected latency delays every API request")
    func latency() async throws {
        try await withSandbox { kubectl, endpoint in
            _ = try await Self.admin(endpoint.url, method: "POST", body: #"{"latencyMs": 400}"#)
            let clock = ContinuousClock()
            let elapsed = try await clock.measure {
                try await kubectl.ok(["get", "--raw", "/api/v1/namespaces/default/configmaps"])
            }
            #expect(elapsed >= .milliseconds(400))
        }
    }

    @Test("dropWatches ends open watches early")
    func dropWatches() async throws {
        try await withSandbox { kubectl, endpoint in
            // Killed at the deadline, kubectl would end with SIGTERM's status (143), not 0.
            async let watch = kubectl.run(
                ["get", "--raw", "/api/v1/namespaces/default/configmaps?watch=1&resourceVersion=0"], timeout: .seconds(120))
            // Wait until kubectl's watch is open, however slowly kubectl starts on a loaded machine.
            while try await Self.adminCall(endpoint.url, method: "GET").reply?["openWatches"]?.intValue ?? 0 < 1 {
                try await Task.sleep(for: .milliseconds(100))
            }
            _ = try await Self.admin(endpoint.url, method: "POST", body: #"{"dropWatches": true}"#)
            let result = try await watch
            #expect(result.status == 0, "the watch ended when dropped, not at the kill: \(result.stderr)")
        }
    }

    @Test("watches with allowWatchBookmarks receive BOOKMARK events carrying the current resourceVersion")
    func bookmarks() async throws {
        try await withSandbox({ $0.bookmarkInterval = .milliseconds(300) }) { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("a", data: [:]))
            let rv = try await kubectl.json(["get", "cm", "a"]).string("metadata.resourceVersion") ?? ""
            let result = try await kubectl.run(
                ["get", "--raw", "/api/v1/namespaces/default/configmaps?watch=1&allowWatchBookmarks=true&resourceVersion=\(rv)&timeoutSeconds=1"],
                timeout: .seconds(5))
            #expect(
                result.stdout.contains(
                    #"{"type":"BOOKMARK","object":{"kind":"ConfigMap","apiVersion":"v1","metadata":{"resourceVersion":"\#(rv)"}}}"#),
                "\(result.stdout)")
        }
    }

    @Test("a label-selected watch sees objects entering the selection as ADDED and leaving it as DELETED")
    func selectorTransitions() async throws {
        try await withSandbox { kubectl, _ in
            try await kubectl.ok(["create", "-f", "-"], stdin: Fixtures.configMap("c", data: [:], labels: ["app": "other"]))
            let rv = try await kubectl.json(["get", "cm", "c"]).string("metadata.resourceVersion") ?? ""
            try await kubectl.ok(["label", "cm", "c", "app=web", "--overwrite"])
            try await kubectl.ok(["label", "cm", "c", "tier=front"])
            try await kubectl.ok(["label", "cm", "c", "app=gone", "--overwrite"])
            let result = try await kubectl.run(
                ["get", "--raw", "/api/v1/namespaces/default/configmaps?watch=1&labelSelector=app%3Dweb&resourceVersion=\(rv)&timeoutSeconds=1"],
                timeout: .seconds(5))
            let types = result.stdout.split(separator: "\n").compactMap { line in
                line.split(separator: "\"").dropFirst(3).first.map(String.init)
            }
            #expect(types == ["ADDED", "MODIFIED", "DELETED"], "\(result.stdout)")
        }
    }
}
