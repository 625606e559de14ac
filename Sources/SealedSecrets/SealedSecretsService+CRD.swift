import Foundation
import Kube
import Manifests

/// Who installed the SealedSecret CRD found in the cluster.
enum SealedSecretCRDOwner: Equatable {
    /// Keelson (its label, or one of its field managers): keep it current.
    case keelson
    /// Someone else (Bitnami's chart or manifest), named by its field manager.
    case foreign(String)
    /// No CRD yet.
    case missing
    /// It could not be read (RBAC of a namespaced install): go on as configured.
    case unknown

    /// The label Keelson's copy of the CRD carries, whoever applied it.
    static let managedByLabel = "app.kubernetes.io/managed-by"

    /// The owner of `crd`: Keelson's when labelled managed by keelson or written by a keelson field manager.
    static func of(_ crd: Manifest) -> SealedSecretCRDOwner {
        if crd.labels[managedByLabel] == "keelson" { return .keelson }
        let managers = (crd.metadata["managedFields"]?.arrayValue ?? []).compactMap { $0["manager"]?.stringValue }
        if managers.contains(where: { $0.hasPrefix("keelson") }) { return .keelson }
        return .foreign(managers.first ?? crd.labels[managedByLabel] ?? "another tool")
    }
}

extension SealedSecretsService {
    static let crdKind = GroupVersionKind(group: "apiextensions.k8s.io", version: "v1", kind: "CustomResourceDefinition")

    /// Finds who installed the CRD; applies Keelson's when it is missing or Keelson's (and
    /// installing is on), never over another installation's.
    func prepareCRD() async -> SealedSecretCRDOwner {
        let owner: SealedSecretCRDOwner
        do { owner = .of(try await client.get(Self.crdKind, name: SealedSecretCRDs.name, namespace: nil)) } catch {
            owner = error.isNotFound ? .missing : .unknown
        }
        if case .foreign = owner { return owner }
        if configuration.installCRDs {
            do { try await installCRDs() } catch { logger.warning("cannot install the SealedSecret CRD", metadata: ["error": "\(error)"]) }
        }
        return owner
    }

    /// Applies the SealedSecret CRD and waits until it is served.
    func installCRDs() async throws {
        for (file, yaml) in SealedSecretCRDs.all {
            for object in try Manifest.decode(Array(yaml.utf8), file: file) {
                _ = try await client.apply(object, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
            }
        }
        for attempt in 0..<100 {
            if (try? await client.resource(for: Self.sealedSecretKind)) != nil { return }
            if attempt == 99 { logger.warning("the SealedSecret CRD is not served yet") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }
}
