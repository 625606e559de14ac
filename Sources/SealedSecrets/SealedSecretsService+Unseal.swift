import Foundation
import Kube
import Manifests
import Secrets

/// Why one unsealing did not write its Secret: the condition to write and what the ledger records.
struct UnsealFailure: Error {
    var outcome: UnsealLedger.Outcome
    var condition: SyncedCondition

    /// An API failure: tried again with backoff. The condition names the call and the API's
    /// status code and reason, not its message.
    static func transient(_ error: any Error, doing what: String) -> UnsealFailure {
        let detail =
            (error as? KubeError).map { error in error.status.map { "HTTP \($0.code) \($0.reason)" } ?? error.code.rawValue } ?? "\(type(of: error))"
        return UnsealFailure(
            outcome: .transient, condition: SyncedCondition(synced: false, reason: "ErrUpdateFailed", message: "cannot \(what): \(detail); retrying"))
    }
}

extension SealedSecretsService {
    /// Unseals one SealedSecret into its Secret and writes its `Synced` condition; returns how it
    /// ended and the fingerprint of the key that opened it.
    func reconcile(_ sealed: Manifest, keys: [SealingPrivateKey], preferring: String?) async -> (outcome: UnsealLedger.Outcome, key: String?) {
        let resource = "SealedSecret/\(sealed.namespace)/\(sealed.name)"
        do {
            let (digest, key) = try await unseal(sealed, keys: keys, preferring: preferring)
            logger.info("unsealed", metadata: ["k8s.resource": "\(resource)"])
            await writeStatus(sealed, condition: SyncedCondition(synced: true, reason: "Unsealed", message: "SealedSecret unsealed successfully"))
            return (.unsealed(digest: digest), key)
        } catch {
            logger.warning(
                "cannot unseal",
                metadata: ["k8s.resource": "\(resource)", "reason": "\(error.condition.reason)", "error": "\(error.condition.message)"])
            await writeStatus(sealed, condition: error.condition)
            return (error.outcome, nil)
        }
    }

    /// Creates or replaces the Secret; returns the digest of what it wrote and the key that opened it.
    func unseal(_ sealed: Manifest, keys: [SealingPrivateKey], preferring: String?) async throws(UnsealFailure) -> (String, String?) {
        let existing: Manifest?
        do { existing = try await secret(named: sealed.name, in: sealed.namespace) } catch {
            throw .transient(error, doing: "read Secret \(sealed.namespace)/\(sealed.name)")
        }
        let ownership = SecretOwnership.decide(existing: existing, ownerUID: sealed.metadata["uid"]?.stringValue ?? "")
        // Refused before any decryption: someone else's Secret costs no RSA operation.
        guard ownership != .refuse else {
            throw UnsealFailure(
                outcome: .refused,
                condition: SyncedCondition(
                    synced: false, reason: "ErrUpdateFailed",
                    message:
                        "Secret \"\(sealed.name)\" already exists and is not managed by SealedSecret (annotate it \(SecretOwnership.managedAnnotation): \"true\" to hand it over)"
                ))
        }
        let unsealed: SealedSecretUnsealer.Unsealed
        do { unsealed = try SealedSecretUnsealer(keys: keys).open(sealed, preferring: preferring) } catch {
            throw UnsealFailure(outcome: .failed, condition: SyncedCondition(synced: false, reason: "ErrUnsealFailed", message: error.description))
        }
        let desired = unsealed.secret
        do {
            if var secret = existing {
                let before = secret
                for field in ["data", "type", "immutable"] { secret.object[field] = desired.object[field] }
                for field in ["labels", "annotations", "ownerReferences"] { secret.setMetadata(field, desired.metadata[field]) }
                // A managed Secret keeps the annotation that handed it over.
                if before.annotations[SecretOwnership.managedAnnotation] == "true" {
                    secret.setAnnotation(SecretOwnership.managedAnnotation, "true")
                }
                if secret != before { _ = try await client.update(secret, options: WriteOptions(fieldManager: Self.fieldManager)) }
            } else {
                _ = try await client.create(desired, options: WriteOptions(fieldManager: Self.fieldManager))
            }
        } catch {
            throw .transient(error, doing: "write Secret \(sealed.namespace)/\(sealed.name)")
        }
        return (UnsealLedger.digest(of: desired), unsealed.keyFingerprint)
    }

    /// Whether the Secret of `sealed` still exists with the type and data last written.
    func secretMatches(_ sealed: Manifest, digest: String) async -> Bool {
        guard let secret = try? await secret(named: sealed.name, in: sealed.namespace) else { return false }
        return UnsealLedger.digest(of: secret) == digest
    }

    /// The Secret `namespace/name`, or `nil` when there is none.
    func secret(named name: String, in namespace: String) async throws(KubeError) -> Manifest? {
        do {
            return try await client.get(Self.secretKind, name: name, namespace: namespace)
        } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    /// Writes `status.observedGeneration` and the `Synced` condition, retrying on conflicts.
    func writeStatus(_ sealed: Manifest, condition: SyncedCondition) async {
        for _ in 0..<3 {
            do {
                var current = try await client.get(Self.sealedSecretKind, name: sealed.name, namespace: sealed.namespace)
                let generation = current.metadata["generation"]?.intValue ?? 0
                var status = current.object["status"]?.objectValue ?? [:]
                let conditions = condition.merged(into: status["conditions"], now: configuration.now())
                guard conditions != status["conditions"] || status["observedGeneration"]?.intValue != generation else { return }
                status["observedGeneration"] = .number(JSONNumber(generation))
                status["conditions"] = conditions
                current.object["status"] = .object(status)
                _ = try await client.updateStatus(current, options: WriteOptions(fieldManager: Self.fieldManager))
                return
            } catch {
                guard error.isConflict else {
                    logger.warning(
                        "cannot write status", metadata: ["k8s.resource": "SealedSecret/\(sealed.namespace)/\(sealed.name)", "error": "\(error)"])
                    return
                }
            }
        }
    }
}
