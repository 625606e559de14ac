import Foundation
import KeelsonTesting
import Manifests
import Testing

@testable import SealedSecrets

/// The controller's pure decisions: who may write a Secret, and when a key is due.
@Suite struct SealedSecretsRulesTests {
    static func secret(annotations: [String: String] = [:], owner: (uid: String, controller: Bool)? = nil) -> Manifest {
        var secret = Manifest(unchecked: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": "db", "namespace": "shop"]])
        for (key, value) in annotations { secret.setAnnotation(key, value) }
        if let owner {
            secret.setMetadata(
                "ownerReferences",
                [
                    [
                        "apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret", "name": "db", "uid": .string(owner.uid),
                        "controller": .bool(owner.controller),
                    ]
                ])
        }
        return secret
    }

    // No Secret: create. Controlled by this SealedSecret, or annotated managed: update.
    // Controlled by another object, owned without controller, or unowned: refuse.
    @Test func ownership() {
        #expect(SecretOwnership.decide(existing: nil, ownerUID: "u1") == .create)
        #expect(SecretOwnership.decide(existing: Self.secret(owner: ("u1", true)), ownerUID: "u1") == .update)
        #expect(SecretOwnership.decide(existing: Self.secret(annotations: ["sealedsecrets.bitnami.com/managed": "true"]), ownerUID: "u1") == .update)
        #expect(SecretOwnership.decide(existing: Self.secret(owner: ("u2", true)), ownerUID: "u1") == .refuse)
        #expect(SecretOwnership.decide(existing: Self.secret(owner: ("u1", false)), ownerUID: "u1") == .refuse)
        #expect(SecretOwnership.decide(existing: Self.secret(), ownerUID: "u1") == .refuse)
        #expect(SecretOwnership.decide(existing: Self.secret(annotations: ["sealedsecrets.bitnami.com/managed": "yes"]), ownerUID: "u1") == .refuse)
    }

    // The first key at once; then one period after the newest; never without a period.
    @Test func renewal() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        let day: Duration = .seconds(86400)
        #expect(KeyRenewal.due(newest: nil, period: nil, now: now) == .now)
        #expect(KeyRenewal.due(newest: now, period: nil, now: now) == .never)
        #expect(KeyRenewal.due(newest: now.addingTimeInterval(-86400), period: day * 30, now: now) == .after(day * 29))
        #expect(KeyRenewal.due(newest: now.addingTimeInterval(-30 * 86400), period: day * 30, now: now) == .now)
    }

    // A condition keeps its times while nothing changes; a new status moves both.
    @Test func conditionTimes() throws {
        let first = Date(timeIntervalSince1970: 1_000_000)
        let failed = SyncedCondition(synced: false, reason: "ErrUnsealFailed", message: "m")
        let once = failed.merged(into: nil, now: first)
        let again = failed.merged(into: once, now: first.addingTimeInterval(60))
        #expect(once == again)
        let fixed = SyncedCondition(synced: true, reason: "Unsealed", message: "ok").merged(into: again, now: first.addingTimeInterval(120))
        let condition = try #require(fixed.arrayValue?.first)
        #expect(condition["status"]?.stringValue == "True")
        #expect(condition["lastTransitionTime"]?.stringValue == SyncedCondition.format(first.addingTimeInterval(120)))
    }
}

/// The CRD the service installs is the file `deploy/crds/` ships.
@Suite struct SealedSecretCRDTests {
    @Test func shippedCRDMatches() throws {
        let shipped = try String(contentsOfFile: Fixtures.packageRoot() + "/deploy/crds/sealedsecret.yaml", encoding: .utf8)
        #expect(shipped == SealedSecretCRDs.sealedSecret)
    }
}
