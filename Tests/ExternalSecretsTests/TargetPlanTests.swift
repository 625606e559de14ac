import ExternalSecrets
import Foundation
import Manifests
import Testing

/// The target Secret decision, one rule per policy, without I/O.
@Suite struct TargetPlanTests {
    static let owner = TargetPlan.Owner(apiVersion: "keelson.dev/v1alpha1", kind: "ExternalSecret", name: "es", uid: "uid-1")

    static func externalSecret(creation: Target.CreationPolicy = .owner, deletion: Target.DeletionPolicy = .retain) -> ExternalSecret {
        var target = Target()
        target.creationPolicy = creation
        target.deletionPolicy = deletion
        var externalSecret = ExternalSecret(api: .keelson, namespace: "ns", name: "es", storeRef: .init(name: "store"), target: target)
        externalSecret.dataFrom = [.init(source: .find(FindRef(nameRegexp: "^app-")))]
        return externalSecret
    }

    static func secret(_ data: [String: String], labels: [String: String] = [:], owner: String? = nil) -> Manifest {
        var object = Manifest(unchecked: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "es", "namespace": "ns"]])
        var encoded = JSONObject()
        for key in data.keys.sorted() { encoded[key] = .string(Data((data[key] ?? "").utf8).base64EncodedString()) }
        object.object["data"] = .object(encoded)
        for (key, value) in labels { object.setLabel(key, value) }
        if let owner {
            object.setMetadata("ownerReferences", [["kind": "ExternalSecret", "name": "other", "uid": .string(owner), "controller": true]])
        }
        return object
    }

    static func fetched(_ values: [String: String], missing: [String] = []) -> FetchedData {
        var fetched = FetchedData()
        fetched.values = values.mapValues { Array($0.utf8) }
        fetched.missing = missing
        return fetched
    }

    static func rendered(_ fetched: FetchedData) -> RenderedSecret { RenderedSecret(data: fetched.values) }

    @Test func ownerCreatesWithOwnerReferenceAndLabel() throws {
        let fetched = Self.fetched(["k": "v"])
        guard
            case .create(let secret) = try TargetPlan.plan(
                Self.externalSecret(), owner: Self.owner, rendered: Self.rendered(fetched), fetched: fetched, existing: nil)
        else { Issue.record("expected a create"); return }
        #expect(secret.metadata["ownerReferences"]?.arrayValue?.first?["uid"]?.stringValue == "uid-1")
        #expect(secret.labels[TargetPlan.managedLabel] == "es")
        #expect(secret.object["data"]?["k"]?.stringValue == "dg==")
    }

    @Test func ownerRefusesASecretAnotherObjectControls() {
        let fetched = Self.fetched(["k": "v"])
        #expect(throws: TargetPlanError.self) {
            try TargetPlan.plan(
                Self.externalSecret(), owner: Self.owner, rendered: Self.rendered(fetched), fetched: fetched,
                existing: Self.secret(["k": "old"], owner: "someone-else"))
        }
    }

    @Test func sameContentIsUnchanged() throws {
        let fetched = Self.fetched(["k": "v"])
        let first = try TargetPlan.plan(Self.externalSecret(), owner: Self.owner, rendered: Self.rendered(fetched), fetched: fetched, existing: nil)
        guard case .create(let created) = first else { Issue.record("expected a create"); return }
        #expect(
            try TargetPlan.plan(Self.externalSecret(), owner: Self.owner, rendered: Self.rendered(fetched), fetched: fetched, existing: created)
                == .unchanged)
    }

    @Test func mergeKeepsOtherKeysAndNeedsTheSecret() throws {
        let fetched = Self.fetched(["k": "v"])
        let es = Self.externalSecret(creation: .merge)
        guard
            case .update(let merged) = try TargetPlan.plan(
                es, owner: Self.owner, rendered: Self.rendered(fetched), fetched: fetched, existing: Self.secret(["other": "x"]))
        else { Issue.record("expected an update"); return }
        #expect(merged.object["data"]?.objectValue?.keys.sorted() == ["k", "other"])
        #expect(merged.metadata["ownerReferences"] == nil)
        #expect(throws: TargetPlanError.self) {
            try TargetPlan.plan(es, owner: Self.owner, rendered: Self.rendered(fetched), fetched: fetched, existing: nil)
        }
    }

    @Test func noneWritesNothing() throws {
        let fetched = Self.fetched(["k": "v"])
        #expect(
            try TargetPlan.plan(
                Self.externalSecret(creation: .none), owner: Self.owner, rendered: Self.rendered(fetched), fetched: fetched, existing: nil)
                == .nothing)
    }

    @Test func deleteOnlyDeletesItsOwnSecretOnceEverythingIsGone() throws {
        let gone = Self.fetched([:], missing: ["k"])
        let es = Self.externalSecret(deletion: .delete)
        let ours = Self.secret(["k": "v"], labels: [TargetPlan.managedLabel: "es"])
        #expect(try TargetPlan.plan(es, owner: Self.owner, rendered: Self.rendered(gone), fetched: gone, existing: ours) == .delete)
        #expect(
            try TargetPlan.plan(es, owner: Self.owner, rendered: Self.rendered(gone), fetched: gone, existing: Self.secret(["k": "v"])) == .unchanged)
        let partly = Self.fetched(["a": "1"], missing: ["k"])
        if case .delete = try TargetPlan.plan(es, owner: Self.owner, rendered: Self.rendered(partly), fetched: partly, existing: ours) {
            Issue.record("a Secret with values left is not deleted")
        }
    }

    /// A find that succeeds with nothing (its tag no longer matches) leaves a Retain Secret as it is.
    @Test func retainKeepsTheSecretWhenAFindMatchesNothing() throws {
        let nothing = Self.fetched([:])
        let ours = Self.secret(["k": "v"], labels: [TargetPlan.managedLabel: "es"])
        for creation in [Target.CreationPolicy.owner, .orphan, .merge] {
            #expect(
                try TargetPlan.plan(
                    Self.externalSecret(creation: creation), owner: Self.owner, rendered: Self.rendered(nothing), fetched: nothing, existing: ours)
                    == .unchanged, "creationPolicy \(creation)")
        }
        #expect(
            try TargetPlan.plan(Self.externalSecret(), owner: Self.owner, rendered: Self.rendered(nothing), fetched: nothing, existing: nil)
                == .unchanged, "no empty Secret is created either")
    }

    /// Under Delete, a find that succeeds with nothing deletes the Secret, only when it is this ExternalSecret's.
    @Test func deleteDeletesWhenAFindMatchesNothing() throws {
        let nothing = Self.fetched([:])
        let es = Self.externalSecret(deletion: .delete)
        let ours = Self.secret(["k": "v"], labels: [TargetPlan.managedLabel: "es"])
        #expect(try TargetPlan.plan(es, owner: Self.owner, rendered: Self.rendered(nothing), fetched: nothing, existing: ours) == .delete)
        #expect(
            try TargetPlan.plan(es, owner: Self.owner, rendered: Self.rendered(nothing), fetched: nothing, existing: Self.secret(["k": "v"]))
                == .unchanged)
    }
}
