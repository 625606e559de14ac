/// How a `VaultClient` gets its token.
///
/// Logins (AppRole, Kubernetes) are cached until shortly before their lease ends; a 403 answer
/// logs in again once. A static token is used as given.
public enum VaultAuth: Sendable {
    /// A token used as is (`VAULT_TOKEN`).
    case token(String)
    /// The AppRole method: `POST /v1/auth/MOUNT/login` with a role id and a secret id.
    case appRole(mount: String = "approle", roleID: String, secretID: String)
    /// The Kubernetes method: `POST /v1/auth/MOUNT/login` with a role and a ServiceAccount token,
    /// asked of `jwt` at each login (projected tokens rotate).
    case kubernetes(mount: String = "kubernetes", role: String, jwt: @Sendable () async throws -> String)

    /// The method's name, for messages.
    var method: String {
        switch self {
        case .token: "token"
        case .appRole(let mount, _, _): "AppRole (auth/\(mount))"
        case .kubernetes(let mount, let role, _): "Kubernetes (auth/\(mount), role \(role))"
        }
    }
}
