import Foundation
import Helm
import Kube
import Manifests
import Secrets

/// ESO's `vault` provider, for Vault and OpenBao: KV v1 and v2 under `path` (the mount; when
/// absent, `remoteRef.key`'s first segment), `remoteRef.key` a secret's path (the mount prefix
/// may be repeated, as ESO allows), `property` a field of its data (dotted for nested objects),
/// `version` a KV v2 version number. Without a property the value is the secret's data as JSON.
///
/// Authentication: `tokenSecretRef`, `appRole` (`roleId` or `roleRef`, and `secretRef`), or
/// `kubernetes` (`role`, with `serviceAccountRef`, whose short-lived token Keelson requests, or
/// `secretRef`, a token in a Secret). Keelson never lends its own identity: a store without one
/// of these is refused.
struct VaultSecretProvider: SecretStoreProvider {
    let vault: VaultClient
    let mount: String?
    let version: VaultKVVersion

    /// The largest number of secrets one `find` reads, and of folders it walks.
    static let maximumFound = 1000

    init(_ context: ProviderContext) async throws(SecretStoreError) {
        let field = context.field
        let settings = try context.read { reader throws(ObjectFieldError) in
            let spec = try reader.object(
                .object(context.store.providerSpec), field, known: ["server", "path", "version", "namespace", "caBundle", "auth"])
            guard let server = try reader.string(spec["server"], field + ".server"), !server.isEmpty else {
                throw reader.error(field + ".server", "is required")
            }
            let version = try reader.string(spec["version"], field + ".version") ?? "v2"
            guard let kv = VaultKVVersion(rawValue: version) else { throw reader.error(field + ".version", "must be v1 or v2") }
            let auth = try reader.object(spec["auth"], field + ".auth", known: ["tokenSecretRef", "appRole", "kubernetes"])
            guard auth.count == 1 else {
                throw reader.error(field + ".auth", "must name exactly one of tokenSecretRef, appRole, kubernetes")
            }
            var ca: String?
            if let bundle = try reader.string(spec["caBundle"], field + ".caBundle"), !bundle.isEmpty {
                guard let decoded = Data(base64Encoded: bundle) else { throw reader.error(field + ".caBundle", "is not base64") }
                ca = String(decoding: decoded, as: UTF8.self)
            }
            return (
                server: server, mount: try reader.string(spec["path"], field + ".path"), version: kv,
                namespace: try reader.string(spec["namespace"], field + ".namespace"), ca: ca, auth: auth
            )
        }
        let auth = try await Self.auth(settings.auth, context: context)
        do {
            vault = try VaultClient(.init(address: settings.server, auth: auth, namespace: settings.namespace, caPEM: settings.ca))
        } catch {
            throw context.invalid(field + ".server", error.description)
        }
        mount = settings.mount.map { $0.trimmingCharacters(in: ["/"]) }.flatMap { $0.isEmpty ? nil : $0 }
        version = settings.version
    }

    /// The login method of `spec.provider.vault.auth`, its credentials read now.
    static func auth(_ auth: JSONObject, context: ProviderContext) async throws(SecretStoreError) -> VaultAuth {
        let field = context.field + ".auth"
        if let selector = auth["tokenSecretRef"] {
            return .token(try await context.credential(selector, field + ".tokenSecretRef"))
        }
        if let value = auth["appRole"] {
            let role = try context.read { reader throws(ObjectFieldError) in
                let fields = try reader.object(value, field + ".appRole", known: ["path", "roleId", "roleRef", "secretRef"])
                return (
                    path: try reader.string(fields["path"], field + ".appRole.path") ?? "approle",
                    roleID: try reader.string(fields["roleId"], field + ".appRole.roleId"), roleRef: fields["roleRef"],
                    secretRef: fields["secretRef"]
                )
            }
            let roleID: String
            if let id = role.roleID, !id.isEmpty {
                roleID = id
            } else if let ref = role.roleRef {
                roleID = try await context.credential(ref, field + ".appRole.roleRef")
            } else {
                throw context.invalid(field + ".appRole", "needs roleId or roleRef")
            }
            let secretID = try await context.credential(role.secretRef, field + ".appRole.secretRef")
            return .appRole(mount: role.path, roleID: roleID, secretID: secretID)
        }
        let value = auth["kubernetes"] ?? .null
        let settings = try context.read { reader throws(ObjectFieldError) in
            let fields = try reader.object(value, field + ".kubernetes", known: ["mountPath", "role", "serviceAccountRef", "secretRef"])
            guard let role = try reader.string(fields["role"], field + ".kubernetes.role"), !role.isEmpty else {
                throw reader.error(field + ".kubernetes.role", "is required")
            }
            var account: (name: String, namespace: String?, audiences: [String])?
            if let ref = fields["serviceAccountRef"], !ref.isNull {
                let refField = field + ".kubernetes.serviceAccountRef"
                let fields = try reader.object(ref, refField, known: ["name", "namespace", "audiences"])
                guard let name = try reader.string(fields["name"], refField + ".name"), !name.isEmpty else {
                    throw reader.error(refField + ".name", "is required")
                }
                account = (
                    name, try reader.string(fields["namespace"], refField + ".namespace"),
                    try strings(reader, fields["audiences"], refField + ".audiences")
                )
            }
            return (
                mount: try reader.string(fields["mountPath"], field + ".kubernetes.mountPath") ?? "kubernetes", role: role, account: account,
                secretRef: fields["secretRef"]
            )
        }
        if let secretRef = settings.secretRef, !secretRef.isNull {
            let token = try await context.credential(secretRef, field + ".kubernetes.secretRef")
            return .kubernetes(mount: settings.mount, role: settings.role) { token }
        }
        guard let account = settings.account else {
            throw context.invalid(
                field + ".kubernetes", "needs serviceAccountRef or secretRef (Keelson does not lend its own ServiceAccount's token)")
        }
        // A SecretStore logs in as a ServiceAccount of its own namespace; a ClusterSecretStore names the namespace.
        let namespace: String
        if let own = context.store.namespace {
            if let named = account.namespace, named != own {
                throw context.invalid(field + ".kubernetes.serviceAccountRef.namespace", "must be the store's namespace \(own)")
            }
            namespace = own
        } else {
            guard let named = account.namespace else {
                throw context.invalid(field + ".kubernetes.serviceAccountRef.namespace", "is required in a ClusterSecretStore")
            }
            namespace = named
        }
        let client = context.client
        return .kubernetes(mount: settings.mount, role: settings.role) {
            try await client.serviceAccountToken(name: account.name, namespace: namespace, audiences: account.audiences)
        }
    }

    /// The mount and the path under it of `key`. As ESO, a KV v2 key may spell the API's `data/`
    /// after the mount (`secret/data/foo` is `foo` of mount `secret`).
    func locate(_ key: String) throws(SecretStoreError) -> (mount: String, path: String) {
        let trimmed = key.trimmingCharacters(in: ["/"])
        let mount: String
        var path: String
        if let own = self.mount {
            mount = own
            path = trimmed.hasPrefix(own + "/") ? String(trimmed.dropFirst(own.count + 1)) : trimmed
        } else {
            guard let slash = trimmed.firstIndex(of: "/") else {
                throw SecretStoreError(code: .invalidConfiguration, key: key, message: "must start with the mount (the store has no path)")
            }
            (mount, path) = (String(trimmed[..<slash]), String(trimmed[trimmed.index(after: slash)...]))
        }
        if version == .v2, path.hasPrefix("data/") { path.removeFirst("data/".count) }
        guard !path.isEmpty else { throw SecretStoreError(code: .invalidConfiguration, key: key, message: "names no secret under mount \(mount)") }
        return (mount, path)
    }

    func read(_ key: String, version requested: String?) async throws(SecretStoreError) -> VaultKVSecret {
        let (mount, path) = try locate(key)
        var secretVersion: Int?
        if let requested {
            guard version == .v2, let number = Int(requested), number > 0 else {
                throw SecretStoreError(code: .invalidConfiguration, key: key, message: "version must be a KV v2 version number")
            }
            secretVersion = number
        }
        do {
            return try await vault.readKV(mount: mount, path: path, version: version, secretVersion: secretVersion)
        } catch {
            throw Self.storeError(error, key: key)
        }
    }

    func value(for ref: RemoteRef) async throws(SecretStoreError) -> [UInt8] {
        let secret = try await read(ref.key, version: ref.version)
        let whole = SecretJSON.bytes(of: .object(secret.data))
        guard let property = ref.property else { return whole }
        guard let value = SecretJSON.property(property, in: whole) else {
            // ESO reports a missing property as an error, not as a secret gone: no deletionPolicy applies.
            throw SecretStoreError(code: .badValue, key: ref.key, message: "has no property \"\(property)\"")
        }
        return value
    }

    /// Walks the folders under `find.path` (KV v2 only, as ESO), keeping the secrets whose path
    /// matches `name.regexp` and whose custom metadata holds every tag.
    func all(find: FindRef) async throws(SecretStoreError) -> [String: [UInt8]] {
        guard version == .v2 else {
            throw SecretStoreError(code: .invalidConfiguration, message: "find needs a KV v2 store (version: v2)")
        }
        let start = find.path.map { $0.trimmingCharacters(in: ["/"]) } ?? ""
        let (mount, root): (String, String)
        if let own = self.mount {
            (mount, root) = (own, start.hasPrefix(own + "/") ? String(start.dropFirst(own.count + 1)) : (start == own ? "" : start))
        } else {
            guard !start.isEmpty else { throw SecretStoreError(code: .invalidConfiguration, message: "find needs a path when the store has none") }
            let parts = start.split(separator: "/", maxSplits: 1).map(String.init)
            (mount, root) = (parts[0], parts.count > 1 ? parts[1] : "")
        }
        let regex = find.nameRegexp.flatMap(TenantRegex.compile)
        if find.nameRegexp != nil && regex == nil {
            throw SecretStoreError(code: .invalidConfiguration, message: "find.name.regexp is not a regular expression Keelson runs")
        }
        var folders = [root.isEmpty ? "" : root + "/"]
        var visited = 0
        var found: [String: [UInt8]] = [:]
        while let folder = folders.popLast() {
            visited += 1
            guard visited <= Self.maximumFound else {
                throw SecretStoreError(code: .providerError, message: "find walked more than \(Self.maximumFound) folders; narrow its path")
            }
            let names: [String]
            do { names = try await vault.listKV(mount: mount, path: folder, version: .v2) } catch {
                throw Self.storeError(error, key: folder)
            }
            for name in names {
                let path = folder + name
                if name.hasSuffix("/") {
                    folders.append(path)
                    continue
                }
                if let regex, !TenantRegex.contains(regex, in: path) { continue }
                if !find.tags.isEmpty {
                    let tags: [String: String]
                    do { tags = try await vault.kvMetadata(mount: mount, path: path).customMetadata } catch {
                        throw Self.storeError(error, key: path)
                    }
                    guard find.tags.allSatisfy({ tags[$0.key] == $0.value }) else { continue }
                }
                guard found.count < Self.maximumFound else {
                    throw SecretStoreError(code: .providerError, message: "find matched more than \(Self.maximumFound) secrets")
                }
                let secret: VaultKVSecret
                do { secret = try await vault.readKV(mount: mount, path: path, version: .v2) } catch {
                    throw Self.storeError(error, key: path)
                }
                found[path] = SecretJSON.bytes(of: .object(secret.data))
            }
        }
        return found
    }

    /// Logs in and looks the token up (`auth/token/lookup-self`, which every token may call):
    /// the server answers and accepts the credentials. An expired or revoked token is refused.
    func validate() async throws(SecretStoreError) {
        do { _ = try await vault.lookupSelf() } catch { throw Self.storeError(error, key: nil) }
    }

    /// Revokes the login this sync made (AppRole, Kubernetes), so tokens do not pile up in Vault.
    func close() async { await vault.revokeLogin() }

    static func storeError(_ error: VaultError, key: String?) -> SecretStoreError {
        let code: SecretStoreError.Code =
            switch error.code {
            case .notFound: .notFound
            case .permissionDenied, .authentication: .accessDenied
            case .transport: .unreachable
            case .configuration: .invalidConfiguration
            case .malformedResponse, .responseTooLarge, .status: .providerError
            }
        return SecretStoreError(code: code, key: key, message: error.description)
    }
}
