import KeelsonTesting
import Kube
import Testing

@testable import Controller

/// Who owns an Application: rendezvous hashing over live members (a join moves about 1/N, a
/// leave moves only the leaver's), `K/N` shards, the `keelson.dev/shard` override, the settle
/// time before an Application that moved is taken, and nothing owned without a recent renewal.
@Suite struct ShardAssignmentTests {
    static let apps = (0..<3000).map { "keelson/app-\($0)" }

    static func owners(_ members: [String]) -> [String: String] {
        Dictionary(uniqueKeysWithValues: apps.map { ($0, ShardAssignment.owner(of: $0, members: members, override: nil)!) })
    }

    @Test func aJoinMovesAboutOneNthAndALeaveOnlyTheLeaversShare() {
        let three = Self.owners(["a", "b", "c"])
        let counts = Dictionary(grouping: three.values, by: { $0 }).mapValues(\.count)
        for member in ["a", "b", "c"] { #expect((900...1100).contains(counts[member] ?? 0), "shares: \(counts)") }

        let four = Self.owners(["a", "b", "c", "d"])
        let moved = Self.apps.filter { three[$0] != four[$0] }
        #expect(moved.allSatisfy { four[$0] == "d" }, "a join moved applications between the old members")
        #expect((600...900).contains(moved.count), "a fourth member took \(moved.count) of 3000")

        let two = Self.owners(["a", "c"])
        let movedByLeave = Self.apps.filter { three[$0] != two[$0] }
        #expect(movedByLeave.allSatisfy { three[$0] == "b" }, "a leave moved applications that were not the leaver's")
        #expect(movedByLeave.count == counts["b"])
    }

    @Test func manualShardsSplitByHashAndTheAnnotationOverrides() {
        let shards = Self.apps.map { ShardAssignment.shard(of: $0, count: 3, override: nil) }
        #expect(Set(shards) == [0, 1, 2])
        #expect(ShardAssignment.shard(of: "keelson/x", count: 3, override: 5) == 2)
        #expect(ShardAssignment.owner(of: "keelson/x", members: ["a", "b", "c"], override: 1) == "b")
        #expect(ShardAssignment.override(["keelson.dev/shard": " 2 "]) == 2)
        #expect(ShardAssignment.override(["keelson.dev/shard": "-1"]) == nil)
        #expect(ShardAssignment.override(["keelson.dev/shard": "two"]) == nil)
        let manual = ShardOwnership(mode: .manual(index: 1, count: 3))
        #expect(manual.owns("keelson/x", annotations: ["keelson.dev/shard": "1"]))
        #expect(!manual.owns("keelson/x", annotations: ["keelson.dev/shard": "0"]))
    }

    @Test func anApplicationThatMovesHereIsTakenOnlyAfterTheViewSettles() throws {
        let clock = ManualClock()
        var settings = LeaderElectionSettings(namespace: "keelson", name: "keelson-shard", identity: "d")
        settings.clock = clock
        settings.retryPeriod = .seconds(2)
        let ownership = ShardOwnership(mode: .auto(settings))
        #expect(!ownership.owns("keelson/app-0", annotations: [:]), "no members seen yet")
        ownership.renewed(sinceSent: clock.stopwatch())
        ownership.update(members: ["a", "b", "c", "d"])
        let (four, three) = (Self.owners(["a", "b", "c", "d"]), Self.owners(["a", "b", "d"]))
        let app = try #require(Self.apps.first { four[$0] == "d" })
        #expect(!ownership.owns(app, annotations: [:]), "taken before the others can have seen this replica")
        clock.advance(by: .seconds(3))
        #expect(!ownership.owns(app, annotations: [:]))
        clock.advance(by: .seconds(1))
        #expect(ownership.owns(app, annotations: [:]))
        // A member leaves: what stays this replica's is reconciled on, what comes to it waits.
        ownership.update(members: ["a", "b", "d"])
        #expect(ownership.owns(app, annotations: [:]))
        let arriving = try #require(Self.apps.first { three[$0] == "d" && four[$0] == "c" })
        #expect(!ownership.owns(arriving, annotations: [:]))
        clock.advance(by: .seconds(4))
        #expect(ownership.owns(arriving, annotations: [:]))
        clock.advance(by: .seconds(3))
        #expect(!ownership.owns(arriving, annotations: [:]), "owned 11 s after this replica last renewed its Lease (deadline 10 s)")
        ownership.renewed(sinceSent: clock.stopwatch())
        #expect(ownership.owns(arriving, annotations: [:]))
        // A renewal counts from when it was sent: one answered 9 s late leaves 1 s of the deadline.
        let sent = clock.stopwatch()
        clock.advance(by: .seconds(9))
        ownership.renewed(sinceSent: sent)
        #expect(ownership.owns(arriving, annotations: [:]))
        clock.advance(by: .seconds(1))
        #expect(!ownership.owns(arriving, annotations: [:]), "owned 10 s after the last renewal was sent")
    }
}

/// What a replica keeps of Applications another replica reconciles: only whether they are ready.
@Suite struct OtherShardsStateTests {
    @Test func aDependencyOnAnotherShardIsReadyWhenItsStatusSaysSo() async {
        let state = ControllerState(clock: ManualClock())
        await state.setGraph(["keelson/web": ["keelson/db"]], cycles: [])
        #expect(await state.waitingDependencies("keelson/web") == ["keelson/db"])
        await state.setOthers(["keelson/db"], othersReady: ["keelson/db"])
        #expect(await state.waitingDependencies("keelson/web").isEmpty)
        await state.setOthers(["keelson/db"], othersReady: [])
        #expect(await state.waitingDependencies("keelson/web") == ["keelson/db"])
    }
}
