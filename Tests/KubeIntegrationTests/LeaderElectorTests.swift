import Foundation
import KeelsonTesting
import Kube
import KubeSandbox
import Manifests
import Synchronization
import Testing

/// Leader election on a Lease in the sandbox, in virtual time: who takes the Lease, when a
/// standby may take it over, and when a leader must give up.
@Suite("Leader election on a Lease")
struct LeaderElectorTests {
    static let lease = GroupVersionKind(group: "coordination.k8s.io", version: "v1", kind: "Lease")

    /// Settings for `identity` on `clock`, the wall time following the clock (so every renewal
    /// writes a new `renewTime`, as on a real machine).
    static func settings(_ identity: String, _ clock: ManualClock) -> LeaderElectionSettings {
        var settings = LeaderElectionSettings(namespace: "default", name: "keelson-controller", identity: identity)
        settings.clock = clock
        settings.now = { Date(timeIntervalSince1970: 1_800_000_000 + Double(clock.now.offset.components.seconds)) }
        return settings
    }

    static func spec(_ client: KubeClient) async throws -> JSONValue {
        try await client.get(lease, name: "keelson-controller", namespace: "default").object["spec"] ?? .null
    }

    @Test func theFirstCandidateTakesTheLeaseAndAStandbyWaitsOneLeaseDurationAfterTheLastChange() async throws {
        try await withSandboxClient { client, _ in
            let clock = ManualClock()
            let a = LeaderElector(client: client, settings: Self.settings("a", clock))
            let b = LeaderElector(client: client, settings: Self.settings("b", clock))
            #expect(await a.tryAcquireOrRenew())
            var spec = try await Self.spec(client)
            #expect(spec["holderIdentity"] == "a" && spec["leaseDurationSeconds"] == 15 && spec["leaseTransitions"] == 0)
            let stamp = try #require(spec["renewTime"]?.stringValue)
            #expect(stamp.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{6}Z/) != nil, "MicroTime: \(stamp)")

            #expect(!(await b.tryAcquireOrRenew()))
            #expect(await b.holder == "a")
            // The leader renews at 10 s: the standby's wait starts again from when it sees that.
            clock.advance(by: .seconds(10))
            #expect(await a.tryAcquireOrRenew())
            #expect(!(await b.tryAcquireOrRenew()))
            clock.advance(by: .seconds(14))
            #expect(!(await b.tryAcquireOrRenew()), "taken 14 s after the standby saw the last renewal")
            clock.advance(by: .seconds(2))
            #expect(await b.tryAcquireOrRenew(), "not taken 16 s after the last renewal was seen")
            spec = try await Self.spec(client)
            #expect(spec["holderIdentity"] == "b" && spec["leaseTransitions"] == 1)
            #expect(!(await a.tryAcquireOrRenew()))
            #expect(!(await a.isLeader))
        }
    }

    @Test func ofTwoCandidatesWritingAtOnceOneWins() async throws {
        try await withSandboxClient { client, _ in
            let clock = ManualClock()
            let electors = (0..<6).map { LeaderElector(client: client, settings: Self.settings("replica-\($0)", clock)) }
            _ = await electors[0].tryAcquireOrRenew()
            _ = await electors[0].release()
            // The Lease is free: every candidate tries at once; the resourceVersion lets one through.
            let winners = await withTaskGroup(of: Bool.self) { group in
                for elector in electors.dropFirst() { group.addTask { await elector.tryAcquireOrRenew() } }
                return await group.reduce(0) { $0 + ($1 ? 1 : 0) }
            }
            #expect(winners == 1)
            let holder = try await Self.spec(client)["holderIdentity"]?.stringValue ?? ""
            var leaders: [String] = []
            for elector in electors where await elector.isLeader { leaders.append(elector.settings.identity) }
            #expect(leaders == [holder])
        }
    }

    @Test func aLeaderThatEndsReleasesTheLeaseAndAStandbyTakesItAtOnce() async throws {
        try await withSandboxClient { client, _ in
            let clock = ManualClock()
            let a = LeaderElector(client: client, settings: Self.settings("a", clock))
            let b = LeaderElector(client: client, settings: Self.settings("b", clock))
            let ran = try await a.whileLeading { "ran" }
            #expect(ran == "ran")
            let spec = try await Self.spec(client)
            #expect(spec["holderIdentity"] == "" && spec["leaseDurationSeconds"] == 1)
            #expect(await b.tryAcquireOrRenew(), "a released Lease is free without waiting")
            #expect(try await Self.spec(client)["leaseTransitions"] == 1)
        }
    }

    @Test func aLeaderThatEndsDuringARenewalStillReleasesTheLease() async throws {
        try await withSandboxClient { client, endpoint in
            let clock = ManualClock()
            let a = LeaderElector(client: client, settings: Self.settings("a", clock))
            let admin = SandboxAdmin(url: endpoint.url)
            let (finish, finishing) = AsyncStream.makeStream(of: Never.self)
            let leading = Task { try await a.whileLeading { for await _ in finish {} } }
            try await eventually { clock.sleeps.count == 1 }  // leading, and waiting to renew
            // The renewal's read is slow; the work ends while it is on its way.
            try await admin.faults("POST", #"{"latencyMs": 2000}"#)
            let seen = try await admin.counter("requests")
            clock.advance(by: .seconds(2))
            try await eventually { try await admin.counter("requests") > seen }
            finishing.finish()
            try await admin.faults("DELETE")
            try await self.ended(leading)
            #expect(try await Self.spec(client)["holderIdentity"] == "", "the Lease was not released")
        }
    }

    @Test func aLeaderThatSeesAnotherHolderStopsAndItsWorkIsCancelled() async throws {
        try await withSandboxClient { client, _ in
            let clock = ManualClock()
            let a = LeaderElector(client: client, settings: Self.settings("a", clock))
            let cancelled = Mutex(false)
            let leading = Task {
                try await a.whileLeading {
                    do { try await Task.sleep(for: .seconds(3600)) } catch { cancelled.withLock { $0 = true } }
                }
            }
            try await eventually { clock.sleeps.count == 1 }  // leading, and waiting to renew
            // Someone takes the Lease behind the leader's back (as after a long pause).
            var lease = try await client.get(Self.lease, name: "keelson-controller", namespace: "default")
            lease.object["spec"]?["holderIdentity"] = "intruder"
            _ = try await client.update(lease, options: WriteOptions())
            clock.advance(by: .seconds(2))
            let error = await #expect(throws: LeaderElectionError.self) { try await self.ended(leading) }
            #expect(error == .lost("the Lease is held by intruder"))
            #expect(cancelled.withLock { $0 })
            #expect(try await Self.spec(client)["holderIdentity"] == "intruder", "a leader that lost must not write the Lease")
        }
    }

    @Test func aLeaderThatCannotRenewWithinTheRenewDeadlineGivesUp() async throws {
        try await withSandboxClient(options: KubeClientOptions(retry: .none)) { client, endpoint in
            let clock = ManualClock()
            let a = LeaderElector(client: client, settings: Self.settings("a", clock))
            let leading = Task { try await a.whileLeading { try await Task.sleep(for: .seconds(3600)) } }
            try await eventually { clock.sleeps.count == 1 }  // leading, and waiting to renew
            try await SandboxAdmin(url: endpoint.url).faults("POST", #"{"errorRate": 1, "codes": [503]}"#)
            // Renewals fail every 2 s; until 10 s have passed without one, the leader goes back
            // to waiting (a renewal's wait, and the bound on its request, are two sleeps).
            for round in 1...4 {
                clock.advance(by: .seconds(2))
                try await eventually { clock.sleeps.count == 1 + 2 * round }
            }
            #expect(!(await a.isLeader))
            clock.advance(by: .seconds(2))
            let error = await #expect(throws: LeaderElectionError.self) { try await self.ended(leading) }
            #expect(error == .lost("no renewal succeeded within 10.0 seconds"))
        }
    }

    @Test func settingsAreCheckedAsClientGoChecksThem() {
        var settings = LeaderElectionSettings(namespace: "keelson", name: "keelson-controller", identity: "a")
        #expect(throws: Never.self) { try settings.validate() }
        settings.renewDeadline = .seconds(15)
        #expect(throws: LeaderElectionError.self) { try settings.validate() }
        settings.renewDeadline = .seconds(2)
        #expect(throws: LeaderElectionError.self) { try settings.validate() }
        settings = LeaderElectionSettings(namespace: "keelson", name: "keelson-controller", identity: "")
        #expect(throws: LeaderElectionError.self) { try settings.validate() }
    }

    /// The result of `task`, cancelling it after a generous real-time guard so a leader that
    /// never stops fails the test instead of hanging it.
    func ended<T: Sendable>(_ task: Task<T, any Error>) async throws -> T {
        let guardTask = Task {
            try await Task.sleep(for: .seconds(30))
            task.cancel()
        }
        defer { guardTask.cancel() }
        return try await task.value
    }

    /// Polls `condition` until it holds (a generous real-time guard, never a proof of absence).
    func eventually(_ condition: @Sendable () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now + .seconds(30)
        while !(try await condition()) {
            guard ContinuousClock.now < deadline else { throw TestFailure("timed out") }
            try await Task.sleep(for: .milliseconds(10))
        }
    }
}
