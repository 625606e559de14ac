import Foundation
import Kube
import Manifests
import Secrets

extension SealedSecretsService {
    /// Unseals one SealedSecret into its Secret and writes its `Synced` condition.
    func reconcile(_ sealed: Manifest, keys: [SealingPrivateKey]) async {
        let resource = "SealedSecret/\(sealed.namespace)/\(sealed.name)"
        let outcome: SyncedCondition
        do {
            outcome = try await unseal(sealed, keys: keys)
            logger.info("unsealed", metadata: ["k8s.resource": "\(resource)"])
        } catch let failure as SyncedCondition {
            outcome = failure
            logger.warning("cannot unseal", metadata: ["k8s.resource": "\(resource)", "reason": "\(failure.reason)", "error": "\(failure.message)"])
        } catch {
            outcome = SyncedCondition(synced: false, reason: "ErrUpdateFailed", message: "\(error)")
            logger.warning("cannot unseal", metadata: ["k8s.resource": "\(resource)", "error": "\(error)"])
        }
        await writeStatus(sealed, condition: outcome)
    }

    /// Creates or replaces the Secret; a failure comes back as the condition to write.
    func unseal(_ sealed: Manifest, keys: [SealingPrivateKey]) async throws -> SyncedCondition {
        let desired: Manifest
        do { desired = try SealedSecretUnsealer(keys: keys).unseal(sealed) } catch {
            throw SyncedCondition(synced: false, reason: "ErrUnsealFailed", message: error.description)
        }
        let existing = try await secret(named: sealed.name, in: sealed.namespace)
        let uid = sealed.metadata["uid"]?.stringValue ?? ""
        switch SecretOwnership.decide(existing: existing, ownerUID: uid) {
        case .create:
            _ = try await client.create(desired, options: WriteOptions(fieldManager: Self.fieldManager))
        case .update:
            guard var secret = existing else { break }
            let before = secret
            for field in ["data", "type", "immutable"] { secret.object[field] = desired.object[field] }
            for field in ["labels", "annotations", "ownerReferences"] { secret.setMetadata(field, desired.metadata[field]) }
            // A managed Secret keeps the annotation that handed it over.
            if before.annotations[SecretOwnership.managedAnnotation] == "true" {
                secret.setAnnotation(SecretOwnership.managedAnnotation, "true")
            }
            if secret != before { _ = try await client.update(secret, options: WriteOptions(fieldManager: Self.fieldManager)) }
        case .refuse:
            throw SyncedCondition(
                synced: false, reason: "ErrUpdateFailed",
                message:
                    "Secret \"\(sealed.name)\" already exists and is not managed by SealedSecret (annotate it \(SecretOwnership.managedAnnotation): \"true\" to hand it over)"
            )
        }
        return SyncedCondition(synced: true, reason: "Unsealed", message: "SealedSecret unsealed successfully")
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
