import Foundation
import KeelsonTesting
import Manifests
import Secrets
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

    // A huge renewal period waits (capped) instead of crashing on overflow.
    @Test func renewalOverflow() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        #expect(KeyRenewal.due(newest: now, period: .seconds(Int64.max), now: now) == .after(.seconds(365 * 86400)))
    }

    // --sealing-key-renewal: 0 never renews; under an hour or over a century is refused.
    @Test func renewalPeriods() throws {
        #expect(try SealedSecretsConfiguration.renewal(.zero) == nil)
        #expect(try SealedSecretsConfiguration.renewal(.seconds(3600)) == .seconds(3600))
        #expect(throws: SealedSecretsConfigurationError.self) { try SealedSecretsConfiguration.renewal(.seconds(1800)) }
        #expect(throws: SealedSecretsConfigurationError.self) { try SealedSecretsConfiguration.renewal(.seconds(Int64.max)) }
    }

    static func keySecret(name: String, labels: [String: String], owned: Bool = false) -> Manifest {
        var secret = Manifest(unchecked: ["apiVersion": "v1", "kind": "Secret", "metadata": ["name": .string(name), "namespace": "keelson"]])
        for (key, value) in labels { secret.setLabel(key, value) }
        if owned { secret.setMetadata("ownerReferences", [["apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret", "name": "x", "uid": "u"]]) }
        return secret
    }

    // Keys are Secrets labelled active, or Bitnami's unlabelled `sealed-secrets-key`; never a
    // Secret with an owner reference (a SealedSecret's Secret), whatever its label.
    @Test func whichSecretsAreKeys() {
        let label = SealingKeySecret.label
        #expect(SealingKeySecret.isSealingKey(Self.keySecret(name: "sealed-secrets-keyab12c", labels: [label: "active"])))
        #expect(SealingKeySecret.isSealingKey(Self.keySecret(name: "sealed-secrets-key", labels: [:])))
        #expect(!SealingKeySecret.isSealingKey(Self.keySecret(name: "sealed-secrets-key", labels: [label: "compromised"])))
        #expect(!SealingKeySecret.isSealingKey(Self.keySecret(name: "other", labels: [:])))
        #expect(!SealingKeySecret.isSealingKey(Self.keySecret(name: "planted", labels: [label: "active"], owned: true)))
        #expect(!SealingKeySecret.isSealingKey(Self.keySecret(name: "sealed-secrets-key", labels: [:], owned: true)))
    }

    // The newest Secret seals, whatever its certificate claims; on equal creation times a current
    // certificate start decides (one in the future counts for nothing), then the name.
    @Test func keyRanking() throws {
        let now = Date(timeIntervalSince1970: 1_750_000_000)
        let pair = try SealingKeyPair.generate(bits: 2048, now: now.addingTimeInterval(-60))
        let future = try SealingKeyPair.generate(bits: 2048, now: now.addingTimeInterval(100 * 86400))
        func names(_ keys: [SealingKey]) -> [String] { SealingKeyRegistry.rank(keys, now: now).map(\.name) }
        let older = SealingKey(pair: future, name: "old", created: now.addingTimeInterval(-86400))
        let newer = SealingKey(pair: pair, name: "new", created: now)
        #expect(names([older, newer]) == ["new", "old"])
        let sameTimeFuture = SealingKey(pair: future, name: "z-future", created: now)
        #expect(names([sameTimeFuture, newer]) == ["new", "z-future"])
        let twin = SealingKey(pair: pair, name: "a-twin", created: now)
        #expect(names([twin, newer]) == ["new", "a-twin"])
        #expect(names([newer, twin]) == ["new", "a-twin"])
    }

    // The ledger decrypts again only when the generation, annotations or (after a failure) the
    // key set change, verifies at resync, and retries transient failures with capped backoff.
    @Test func ledger() {
        let now = Date(timeIntervalSince1970: 1_000_000)
        var sealed = Manifest(unchecked: [
            "apiVersion": "bitnami.com/v1alpha1", "kind": "SealedSecret",
            "metadata": ["name": "db", "namespace": "shop", "generation": 1, "resourceVersion": "10", "uid": "u1"],
        ])
        let version = UnsealLedger.version(of: sealed)
        sealed.setMetadata("resourceVersion", "11")
        #expect(UnsealLedger.version(of: sealed) == version, "a status write changes nothing")
        sealed.setAnnotation(SealingScope.clusterWideAnnotation, "true")
        #expect(UnsealLedger.version(of: sealed) != version, "a scope change is a change")

        var ledger = UnsealLedger()
        #expect(ledger.action(for: "shop/db", version: version, keySet: "k1", resync: false, now: now) == .unseal)
        ledger.record(.unsealed(digest: "d"), for: "shop/db", version: version, keySet: "k1", key: "k1", now: now)
        #expect(ledger.action(for: "shop/db", version: version, keySet: "k1,k2", resync: false, now: now) == .none)
        #expect(ledger.action(for: "shop/db", version: version, keySet: "k1", resync: true, now: now) == .verify(digest: "d"))
        #expect(ledger.action(for: "shop/db", version: "other", keySet: "k1", resync: false, now: now) == .unseal)
        #expect(ledger.preferredKey(for: "shop/db") == "k1")

        ledger.record(.failed, for: "shop/db", version: version, keySet: "k1", key: nil, now: now)
        #expect(ledger.action(for: "shop/db", version: version, keySet: "k1", resync: true, now: now) == .none)
        #expect(ledger.action(for: "shop/db", version: version, keySet: "k1,k2", resync: false, now: now) == .unseal)

        ledger.record(.refused, for: "shop/db", version: version, keySet: "k1", key: nil, now: now)
        #expect(ledger.action(for: "shop/db", version: version, keySet: "k1", resync: false, now: now) == .none)
        #expect(ledger.action(for: "shop/db", version: version, keySet: "k1", resync: true, now: now) == .unseal)

        var delays: [TimeInterval] = []
        for _ in 0..<8 {
            ledger.record(.transient, for: "shop/db", version: version, keySet: "k1", key: nil, now: now)
            let retry = ledger.nextRetry ?? now
            delays.append(retry.timeIntervalSince(now))
            #expect(ledger.action(for: "shop/db", version: version, keySet: "k1", resync: false, now: retry.addingTimeInterval(-1)) == .none)
            #expect(ledger.action(for: "shop/db", version: version, keySet: "k1", resync: false, now: retry) == .unseal)
        }
        #expect(delays == [5, 10, 20, 40, 80, 160, 300, 300])
        ledger.keep(only: [])
        #expect(ledger.nextRetry == nil)
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
