import Foundation
import KeelsonTesting
import Kube
import Manifests
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Two `keelson controller --leader-elect` processes against one sandbox: only the Lease's
/// holder writes (the sandbox's audit of writes says who wrote what), the standby serves the
/// API from the shared state and forwards requests, and when the leader is killed the standby
/// takes over and keeps the applications converging.
@Suite struct LeaderElectionProcessTests {
    static let apps = 8

    @Test func onlyTheLeaderWritesAndAStandbyTakesOverWhenItIsKilled() async throws {
        try await ReplicaCluster.with(apps: Self.apps) { cluster in
            for index in 0..<Self.apps { try cluster.folder.write("apps/app-\(index).yaml", cluster.application(index, interval: "1s")) }
            let elected = ["--leader-elect", "--apps", cluster.folder.path + "/apps"]
            // The first replica leads; the second starts once it does, so the roles are known.
            let leader = try cluster.start("replica-a", elected)
            defer { leader.kill() }
            try await ReplicaCluster.eventually("replica-a holds the Lease", ["replica-a": leader]) { await cluster.holder() == "replica-a" }
            let standby = try cluster.start("replica-b", elected)
            defer { _ = standby.terminate() }
            let both = ["replica-a": leader, "replica-b": standby]
            try await ReplicaCluster.eventually("every application syncs", both) { await cluster.names(holding: "1").count == Self.apps }

            // The standby answers from the shared state, and forwards a request to the leader.
            try await ReplicaCluster.eventually("the standby's server listens", both) { ServerProcess.listeningURL(in: standby.output) != nil }
            let standbyURL = try #require(ServerProcess.listeningURL(in: standby.output))
            try await ReplicaCluster.eventually("the standby lists every application as Synced", both) {
                let items = (try? await Self.call("GET", standbyURL + "/api/v1/applications"))?.json["items"]?.arrayValue ?? []
                return items.count == Self.apps && items.allSatisfy { $0["sync"]?["status"] == "Synced" }
            }
            let forwarded = try await Self.call("POST", standbyURL + "/api/v1/applications/app-3/refresh")
            #expect(forwarded.status == 202, "\(forwarded.body)")
            try await ReplicaCluster.eventually("the leader takes the forwarded refresh and clears its annotation", both) {
                let writes = (try? await cluster.writes()) ?? []
                let forward = writes.firstIndex { $0.userAgent == "keelson/replica-b" && $0.path.hasSuffix("/applications/app-3") }
                return forward.map { index in
                    writes[(index + 1)...].contains { $0.userAgent == "keelson/replica-a" && $0.path.hasSuffix("/applications/app-3") }
                } ?? false
            }
            let beforeKill = try await cluster.writes().filter { $0.userAgent.hasPrefix("keelson/") }
            #expect(!beforeKill.isEmpty)
            let standbyWrites = beforeKill.filter { $0.userAgent != "keelson/replica-a" }
            #expect(
                standbyWrites.map(\.path) == ["/apis/keelson.dev/v1alpha1/namespaces/keelson/applications/app-3"],
                "the standby wrote more than the forwarded request: \(standbyWrites.map { "\($0.verb) \($0.path)" })")

            // The leader dies without releasing the Lease; a new commit waits for the standby.
            leader.kill()
            // The dead leader's last renewal, as the Lease records it (a renewal still in flight
            // could land later, which only makes the gap below look longer).
            let lastRenewal = try #require(await cluster.leaseTime("renewTime"))
            try await cluster.commit("2")
            try await ReplicaCluster.eventually("replica-b takes the Lease", ["replica-b": standby]) { await cluster.holder() == "replica-b" }
            // The Lease is taken a lease duration after the standby last saw it renewed, and on the
            // next try, measured by the Lease's own stamps so that this test's own work (a commit,
            // polling) on a busy machine does not count; a few seconds more for the replica's.
            let acquired = try #require(await cluster.leaseTime("acquireTime"))
            let takeover = acquired.timeIntervalSince(lastRenewal)
            #expect(takeover >= ReplicaCluster.leaseDuration - 0.5, "the Lease was taken \(takeover) s after its last renewal, before it expired")
            #expect(takeover < ReplicaCluster.leaseDuration + 2 * ReplicaCluster.retryPeriod + 6, "takeover took \(takeover) s")
            try await ReplicaCluster.eventually("the new leader syncs the new commit", ["replica-b": standby]) {
                await cluster.names(holding: "2").count == Self.apps
            }
            // One writer at a time: replica-a's writes all come before replica-b's (but the forward).
            let writers = try await cluster.writes().filter { $0.userAgent.hasPrefix("keelson/") }
            let firstOfB = try #require(writers.firstIndex { $0.userAgent == "keelson/replica-b" && !$0.path.hasSuffix("/applications/app-3") })
            let lateA = writers[firstOfB...].filter { $0.userAgent == "keelson/replica-a" }
            #expect(lateA.isEmpty, "replica-a wrote after replica-b began: \(lateA.map { "\($0.verb) \($0.path)" })")
            let lease = try await cluster.client.get(ReplicaCluster.leaseKind, name: "keelson-controller", namespace: "keelson")
            #expect(lease.object["spec"]?["leaseTransitions"] == 1)

            // A leader told to stop finishes its work, releases the Lease and exits cleanly; the
            // next replica takes the Lease without waiting for it to expire.
            let third = try cluster.start("replica-c", elected)
            defer { third.kill() }
            try await ReplicaCluster.eventually("replica-c campaigns", ["replica-c": third]) { third.output.contains("campaigning for leadership") }
            #expect(standby.terminate() == 0, "\(standby.output.suffix(2000))")
            #expect(standby.output.contains("released the Lease"), "\(standby.output.suffix(2000))")
            try await ReplicaCluster.eventually("replica-c takes the released Lease", ["replica-c": third]) { await cluster.holder() == "replica-c" }
            // A standby told to stop exits cleanly too.
            let fourth = try cluster.start("replica-d", elected)
            defer { fourth.kill() }
            try await ReplicaCluster.eventually("replica-d campaigns", ["replica-d": fourth]) { fourth.output.contains("campaigning for leadership") }
            #expect(fourth.terminate() == 0, "\(fourth.output.suffix(2000))")
        }
    }

    struct Reply {
        var status: Int
        var body: String
        var json: JSONValue { (try? JSONParser.parse(Array(body.utf8), file: "response")) ?? .null }
    }

    /// One request with the admin token.
    static func call(_ method: String, _ url: String) async throws -> Reply {
        var request = URLRequest(url: URL(string: url)!)
        request.httpMethod = method
        request.setValue("Bearer \(ServerHarness.tokens["admin"]!)", forHTTPHeaderField: "Authorization")
        if method == "POST" {
            request.httpBody = Data("{}".utf8)
            request.setValue("application/json", forHTTPHeaderField: "Content-Type")
        }
        let (data, response) = try await URLSession.shared.data(for: request)
        return Reply(status: (response as? HTTPURLResponse)?.statusCode ?? 0, body: String(decoding: data, as: UTF8.self))
    }
}
