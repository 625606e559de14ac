import Foundation
import Manifests
import Testing

@testable import Controller

/// The controller's policy, decided without I/O.
@Suite struct ReconcilerTests {
    func spec(automated: ApplicationSpec.Automated? = .init(prune: true, selfHeal: false), suspend: Bool = false) throws -> ApplicationSpec {
        var app = try Application(
            try Manifest([
                "apiVersion": "keelson.dev/v1alpha1", "kind": "Application", "metadata": ["name": "a"], "spec": ["source": ["repoURL": "file:///r"]],
            ]))
        app.spec.syncPolicy.automated = automated
        app.spec.suspend = suspend
        return app.spec
    }

    @Test func newRevisionSyncsWhenAutomated() throws {
        var record = AppRecord()
        record.syncedRevision = "c1"
        #expect(
            Reconciler.decide(try spec(), &record, Observation(latestRevision: "c2", outOfSync: true)) == .sync(revision: "c2", initiator: .automated)
        )
        #expect(
            Reconciler.decide(try spec(automated: nil), &record, Observation(latestRevision: "c2", outOfSync: true))
                == .reportOutOfSync(revision: "c2"))
        #expect(
            Reconciler.decide(try spec(suspend: true), &record, Observation(latestRevision: "c2", outOfSync: true))
                == .reportOutOfSync(revision: "c2"))
    }

    @Test func aNewRevisionThatRendersTheSameIsInSyncWithoutASync() throws {
        var record = AppRecord()
        record.syncedRevision = "c1"
        let unchanged = Observation(latestRevision: "c2", outOfSync: false)
        #expect(Reconciler.decide(try spec(), &record, unchanged) == .inSync(revision: "c2"))
        #expect(record.syncedRevision == "c2" && record.history.entries.isEmpty)
        // A person asking still gets a sync; a first sync always happens.
        record.syncedRevision = "c1"
        #expect(
            Reconciler.decide(try spec(), &record, Observation(latestRevision: "c2", outOfSync: false, manualSync: true))
                == .sync(revision: "c2", initiator: .manual))
        var fresh = AppRecord()
        #expect(Reconciler.decide(try spec(), &fresh, unchanged) == .sync(revision: "c2", initiator: .automated))
    }

    @Test func driftIsRevertedOnlyWithSelfHeal() throws {
        var record = AppRecord()
        record.syncedRevision = "c1"
        let drift = Observation(latestRevision: "c1", outOfSync: true)
        #expect(Reconciler.decide(try spec(), &record, drift) == .reportOutOfSync(revision: "c1"))
        #expect(Reconciler.decide(try spec(automated: .init(selfHeal: true)), &record, drift) == .sync(revision: "c1", initiator: .selfHeal))
        #expect(Reconciler.decide(try spec(), &record, Observation(latestRevision: "c1", outOfSync: false)) == .inSync(revision: "c1"))
    }

    @Test func rollbackPinsUntilANewerCommit() throws {
        var record = AppRecord()
        record.history.record(revision: "c1", at: Date(), initiator: .automated, result: "Succeeded", digest: "d1", message: "")
        let second = record.history.record(revision: "c2", at: Date(), initiator: .automated, result: "Succeeded", digest: "d2", message: "")
        record.syncedRevision = "c2"
        #expect(second == 2)
        let pin = try #require(Reconciler.rollback(&record, to: 1, latest: "c2"))
        #expect(pin.revision == "c1")
        // Automation stays on, but the pin is the target while Git stays at c2.
        #expect(
            Reconciler.decide(try spec(), &record, Observation(latestRevision: "c2", outOfSync: true)) == .sync(revision: "c1", initiator: .rollback))
        record.syncedRevision = "c1"
        #expect(Reconciler.decide(try spec(), &record, Observation(latestRevision: "c2", outOfSync: false)) == .inSync(revision: "c1"))
        #expect(record.pin != nil)
        // A newer commit releases the pin.
        #expect(
            Reconciler.decide(try spec(), &record, Observation(latestRevision: "c3", outOfSync: true)) == .sync(revision: "c3", initiator: .automated)
        )
        #expect(record.pin == nil)
        // Unknown history ids pin nothing.
        #expect(Reconciler.rollback(&record, to: 99, latest: "c3") == nil)
    }

    @Test func historyIsBoundedAndIdsKeepIncreasing() {
        var history = History()
        for i in 1...15 { history.record(revision: "c\(i)", at: Date(), initiator: .automated, result: "Succeeded", digest: "", message: "") }
        #expect(history.entries.count == History.limit)
        #expect(history.entries.first?.id == 6)
        #expect(history.entries.last?.id == 15)
        #expect(history.entry(3) == nil)
    }

    /// A rollout's entry is the newest while it runs: another sync of that revision belongs to it;
    /// one of another revision, or after the rollout ended, does not.
    @Test func aRolloutUnderWayIsTheNewestEntryOfItsRevision() {
        var history = History()
        history.record(revision: "a", at: Date(), initiator: .automated, result: "Succeeded", digest: "", message: "")
        #expect(!history.isRollingOut("a"))
        history.record(revision: "b", at: Date(), initiator: .automated, result: History.progressing, digest: "", message: "")
        #expect(history.isRollingOut("b") && !history.isRollingOut("a"))
        let completed = history.complete(revision: "b", result: "Succeeded", message: "promoted")
        #expect(completed)
        #expect(!history.isRollingOut("b"))
    }

    @Test(arguments: [(0, 5.0), (1, 10), (2, 20), (5, 160), (6, 180), (20, 180)])
    func backoffIsExponentialAndCapped(_ attempt: Int, _ seconds: Double) {
        let retry = ApplicationSpec.Retry(limit: 5, backoff: .seconds(5), factor: 2, maxBackoff: .seconds(180))
        #expect(Reconciler.backoff(retry, attempt: attempt) == .milliseconds(Int64(seconds * 1000)))
    }

    @Test func dependencyCyclesAreFound() {
        #expect(Dependencies.cycles(["a": ["b"], "b": ["c"], "c": []]).isEmpty)
        #expect(Dependencies.cycles(["a": ["b"], "b": ["c"], "c": ["a"], "d": ["a"]]) == [["a", "b", "c"]])
        #expect(Dependencies.cycles(["x": ["x"]]) == [["x"]])
        #expect(Dependencies.waiting("web", graph: ["web": ["db", "cache"]], ready: ["db"]) == ["cache"])
    }
}
