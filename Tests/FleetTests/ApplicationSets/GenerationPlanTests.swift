import Fleet
import Manifests
import Testing

/// The plan of a pass: ownership, applicationsSync, the deletion cap. One test per rule.
@Suite struct GenerationPlanTests {
    static func set(_ policy: String = "") throws -> ApplicationSet {
        try applicationSet(
            """
            apiVersion: keelson.dev/v1alpha1
            kind: ApplicationSet
            metadata: {name: fleet, namespace: team, uid: u-1}
            spec:
              generators: [{list: {elements: [{name: a}]}}]
              template:
                metadata: {name: '{{name}}'}
                spec: {source: {repoURL: 'https://git.example.com/r.git', path: '{{name}}'}, destination: {namespace: default}}
              \(policy)
            """)
    }

    static func desired(_ set: ApplicationSet, _ names: [String], path: String? = nil) throws -> [Manifest] {
        try ApplicationBuilder().applications(for: set, parameters: names.map { ["name": .string($0)] }).map { app in
            guard let path else { return app }
            var changed = app
            changed.object["spec"] = [
                "source": ["repoURL": "https://git.example.com/r.git", "path": .string(path)], "destination": ["namespace": "default"],
            ]
            return changed
        }
    }

    /// Existing objects: as built, with a resourceVersion.
    static func existing(_ apps: [Manifest]) -> [Manifest] {
        apps.map { app in
            var copy = app
            copy.setMetadata("resourceVersion", "1")
            return copy
        }
    }

    /// Wanted and absent: created. Wanted and owned and equal: nothing.
    @Test func createsWhatIsMissing() throws {
        let set = try Self.set()
        let plan = GenerationPlan.plan(
            set, desired: try Self.desired(set, ["a", "b"]), existing: Self.existing(try Self.desired(set, ["a"])), freshGeneration: true)
        #expect(plan.creates.map(\.name) == ["b"])
        #expect(plan.updates.isEmpty && plan.deletes.isEmpty)
    }

    /// A changed spec of an owned Application is written, with its resourceVersion kept.
    @Test func updatesOwnedApplications() throws {
        let set = try Self.set()
        let plan = GenerationPlan.plan(
            set, desired: try Self.desired(set, ["a"], path: "new"), existing: Self.existing(try Self.desired(set, ["a"])), freshGeneration: true)
        #expect(plan.updates.map(\.name) == ["a"])
        #expect(plan.updates[0].resourceVersion == "1")
        #expect(plan.updates[0].object["spec"]?["source"]?["path"] == "new")
    }

    /// An Application of the same name the set does not own is never touched, and reported.
    @Test func neverTouchesWhatItDoesNotOwn() throws {
        let set = try Self.set()
        var foreign = try Self.desired(set, ["a"])[0]
        foreign.setMetadata("ownerReferences", nil)
        let plan = GenerationPlan.plan(set, desired: try Self.desired(set, ["a"], path: "new"), existing: [foreign], freshGeneration: true)
        #expect(plan.notOwned == ["a"])
        #expect(plan.creates.isEmpty && plan.updates.isEmpty && plan.deletes.isEmpty)
        // Nor deleted when no longer wanted.
        #expect(GenerationPlan.plan(set, desired: [], existing: [foreign], freshGeneration: true).deletes.isEmpty)
    }

    /// At most maxDeletionShare of the owned Applications per generation (default 25%), at least
    /// one for a non-zero share; a share of 0 deletes none and holds every one back.
    @Test(arguments: [
        ("", 10, 2), ("syncPolicy: {maxDeletionShare: '50%'}", 10, 5), ("syncPolicy: {maxDeletionShare: 3}", 10, 3), ("", 2, 1),
        ("syncPolicy: {maxDeletionShare: 0}", 10, 0), ("syncPolicy: {maxDeletionShare: '0%'}", 10, 0), ("syncPolicy: {maxDeletionShare: 0}", 1, 0),
    ])
    func deletionCap(policy: String, owned: Int, deleted: Int) throws {
        let set = try Self.set(policy)
        let names = (0..<owned).map { "app-\($0)" }
        let plan = GenerationPlan.plan(set, desired: [], existing: Self.existing(try Self.desired(set, names)), freshGeneration: true)
        #expect(plan.deletes.count == deleted)
        #expect(plan.heldBackDeletions.count == owned - deleted)
        #expect(!plan.isUpToDate)
    }

    /// A plan that follows no fresh generation (the Applications changed, as a deletion itself
    /// changes them) deletes nothing: the cap holds per generation, not per pass.
    @Test func replanningWithoutAGenerationDeletesNothing() throws {
        let set = try Self.set()
        let names = (0..<8).map { "app-\($0)" }
        let existing = Self.existing(try Self.desired(set, names))
        let desired = try Self.desired(set, Array(names.prefix(4)))
        let generated = GenerationPlan.plan(set, desired: desired, existing: existing, freshGeneration: true)
        #expect(generated.deletes.map(\.name) == ["app-4", "app-5"])
        // What the API shows after those two deletions: terminating, with new versions.
        let afterwards = existing.map { app in
            guard generated.deletes.map(\.name).contains(app.name) else { return app }
            var terminating = app
            terminating.setMetadata("deletionTimestamp", "2026-01-01T00:00:00Z")
            terminating.setMetadata("resourceVersion", "2")
            return terminating
        }
        let replanned = GenerationPlan.plan(set, desired: desired, existing: afterwards, freshGeneration: false)
        #expect(replanned.deletes.isEmpty)
        #expect(replanned.heldBackDeletions == ["app-6", "app-7"])
        #expect(!replanned.isUpToDate)
    }

    /// Terminating Applications do not count toward the share: 25% of the 6 live ones is 1.
    @Test func terminatingApplicationsAreNotCounted() throws {
        let set = try Self.set()
        let names = (0..<8).map { "app-\($0)" }
        let existing = Self.existing(try Self.desired(set, names)).map { app in
            guard ["app-0", "app-1"].contains(app.name) else { return app }
            var terminating = app
            terminating.setMetadata("deletionTimestamp", "2026-01-01T00:00:00Z")
            return terminating
        }
        let plan = GenerationPlan.plan(set, desired: try Self.desired(set, ["app-2", "app-3", "app-4"]), existing: existing, freshGeneration: true)
        #expect(plan.deletes.map(\.name) == ["app-5"])
        #expect(plan.heldBackDeletions == ["app-6", "app-7"])
    }

    /// applicationsSync: create-only neither updates nor deletes; create-update never deletes;
    /// create-delete never updates.
    @Test(arguments: [("create-only", false, false), ("create-update", true, false), ("create-delete", false, true), ("sync", true, true)])
    func applicationsSync(mode: String, updates: Bool, deletes: Bool) throws {
        let set = try Self.set("syncPolicy: {applicationsSync: \(mode)}")
        let current = Self.existing(try Self.desired(set, ["a", "gone"]))
        let plan = GenerationPlan.plan(set, desired: try Self.desired(set, ["a", "new"], path: "changed"), existing: current, freshGeneration: true)
        #expect(plan.creates.map(\.name) == ["new"])
        #expect(plan.updates.isEmpty == !updates)
        #expect(plan.deletes.isEmpty == !deletes)
    }
}
