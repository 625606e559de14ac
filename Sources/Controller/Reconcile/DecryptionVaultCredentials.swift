import Foundation
import Kube
import Manifests
import Secrets

/// Vault credentials in an Application's decryption Secret (`spec.source.decryption.secretRef`),
/// beside its age identities. Flux's key name where Flux has one; Keelson's own otherwise:
///
/// | key                                   | meaning                                                   |
/// |---------------------------------------|-----------------------------------------------------------|
/// | `sops.vault-token`                    | a Vault token (Flux's key)                                |
/// | `sops.vault-approle-role-id`          | AppRole role id (with the secret id)                      |
/// | `sops.vault-approle-secret-id`        | AppRole secret id                                         |
/// | `sops.vault-approle-mount`            | AppRole mount (default `approle`)                         |
/// | `sops.vault-kubernetes-role`          | Kubernetes auth role; logs in with a short-lived token    |
/// |                                       | of a ServiceAccount in the Application's namespace        |
/// | `sops.vault-kubernetes-service-account` | that ServiceAccount (default `default`)                 |
/// | `sops.vault-kubernetes-mount`         | Kubernetes auth mount (default `kubernetes`)              |
/// | `sops.vault-namespace`                | `X-Vault-Namespace`                                       |
/// | `sops.vault-ca.crt`                   | PEM CA trusted for https Vault servers                    |
///
/// The server is the one each file names in its metadata, as with sops. Kubernetes auth never
/// sends the controller's own token: a tenant's Application logs in as a ServiceAccount of its
/// own namespace, so a Vault role bound to another namespace's accounts refuses it.
enum DecryptionVaultCredentials {
    /// The credentials in `secret`, or nil when it holds none.
    static func read(_ secret: Manifest, application: String, client: any KubernetesAPI) throws -> VaultCredentials? {
        func value(_ key: String) throws -> String? { try DecryptionSecretData.text(secret, key: key, application: application) }
        let auth: VaultAuth
        if let token = try value("sops.vault-token") {
            auth = .token(token)
        } else if let roleID = try value("sops.vault-approle-role-id") {
            guard let secretID = try value("sops.vault-approle-secret-id") else {
                throw ApplicationError(
                    application: application, field: "spec.source.decryption.secretRef",
                    message: "Secret \(secret.namespace)/\(secret.name) has sops.vault-approle-role-id but no sops.vault-approle-secret-id")
            }
            auth = .appRole(mount: try value("sops.vault-approle-mount") ?? "approle", roleID: roleID, secretID: secretID)
        } else if let role = try value("sops.vault-kubernetes-role") {
            let account = try value("sops.vault-kubernetes-service-account") ?? "default"
            let namespace = secret.namespace
            auth = .kubernetes(mount: try value("sops.vault-kubernetes-mount") ?? "kubernetes", role: role) {
                try await client.serviceAccountToken(name: account, namespace: namespace)
            }
        } else {
            return nil
        }
        return VaultCredentials(auth: auth, namespace: try value("sops.vault-namespace"), caPEM: try value("sops.vault-ca.crt"))
    }
}
