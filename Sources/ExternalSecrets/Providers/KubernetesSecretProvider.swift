import Helm
import Kube
import Manifests

/// ESO's `kubernetes` provider: Secrets of `remoteNamespace` (default `default`) in the cluster
/// Keelson runs in. `remoteRef.key` names a Secret, `property` one of its keys; without a
/// property the value is the Secret's data as a JSON object of strings.
///
/// Reads never give a tenant more than its RBAC allows: a SecretStore needs
/// `auth.serviceAccount` (of its own namespace) and every read impersonates that ServiceAccount,
/// so the API server's RBAC decides. A ClusterSecretStore, which only an administrator makes,
/// reads as Keelson unless it names a ServiceAccount too.
struct KubernetesSecretProvider: SecretStoreProvider {
    let client: any KubernetesAPI
    let remoteNamespace: String
    let store: String

    init(_ context: ProviderContext) throws(SecretStoreError) {
        let field = context.field
        let (remote, account) = try context.read { reader throws(ObjectFieldError) in
            let spec = try reader.object(.object(context.store.providerSpec), field, known: ["remoteNamespace", "auth", "server"])
            let server = try reader.object(spec["server"], field + ".server", known: ["url"])
            if let url = try reader.string(server["url"], field + ".server.url"), !url.isEmpty {
                throw reader.error(field + ".server.url", "another cluster is not supported; the store reads the cluster Keelson runs in")
            }
            let auth = try reader.object(spec["auth"], field + ".auth", known: ["serviceAccount"])
            var account: (name: String, namespace: String?)?
            if let value = auth["serviceAccount"], !value.isNull {
                let fields = try reader.object(value, field + ".auth.serviceAccount", known: ["name", "namespace", "audiences"])
                guard let name = try reader.string(fields["name"], field + ".auth.serviceAccount.name"), !name.isEmpty else {
                    throw reader.error(field + ".auth.serviceAccount.name", "is required")
                }
                account = (name, try reader.string(fields["namespace"], field + ".auth.serviceAccount.namespace"))
            }
            return (try reader.string(spec["remoteNamespace"], field + ".remoteNamespace") ?? "default", account)
        }
        let identity: Impersonation?
        if let own = context.store.namespace {
            // A tenant's store acts as one of the tenant's ServiceAccounts, never as Keelson.
            guard let account else {
                throw context.invalid(field + ".auth.serviceAccount", "is required: a SecretStore reads Secrets as a ServiceAccount of its namespace")
            }
            if let namespace = account.namespace, namespace != own {
                throw context.invalid(field + ".auth.serviceAccount.namespace", "must be the store's namespace \(own)")
            }
            identity = .serviceAccount(namespace: own, name: account.name)
        } else if let account {
            guard let namespace = account.namespace else {
                throw context.invalid(field + ".auth.serviceAccount.namespace", "is required in a ClusterSecretStore")
            }
            identity = .serviceAccount(namespace: namespace, name: account.name)
        } else {
            identity = nil
        }
        client = identity.map { context.client.impersonating($0) } ?? context.client
        remoteNamespace = remote
        store = context.store.id
    }

    func value(for ref: RemoteRef) async throws(SecretStoreError) -> [UInt8] {
        if ref.version != nil {
            throw SecretStoreError(code: .invalidConfiguration, key: ref.key, message: "version is not supported by the kubernetes provider")
        }
        let data = try await KubernetesSecrets.read(client, name: ref.key, namespace: remoteNamespace)
        guard let property = ref.property else { return SecretJSON.object(data) }
        guard let value = data[property] else {
            // ESO reports a missing property as an error, not as a secret gone: no deletionPolicy applies.
            throw SecretStoreError(code: .badValue, key: ref.key, message: "Secret \(remoteNamespace)/\(ref.key) has no key \"\(property)\"")
        }
        return value
    }

    func values(extracting ref: RemoteRef) async throws(SecretStoreError) -> [String: [UInt8]] {
        guard ref.property != nil else { return try await KubernetesSecrets.read(client, name: ref.key, namespace: remoteNamespace) }
        guard let fields = SecretJSON.fields(try await value(for: ref)) else {
            throw SecretStoreError(code: .badValue, key: ref.key, message: "property \"\(ref.property ?? "")\" is not a JSON object")
        }
        return fields
    }

    /// Secrets of the remote namespace whose name matches (`name.regexp`) and whose labels hold
    /// every tag; each as a JSON object of its data, under its name.
    func all(find: FindRef) async throws(SecretStoreError) -> [String: [UInt8]] {
        let options = ListOptions(labelSelector: find.tags.isEmpty ? nil : .matching(find.tags))
        let list: ObjectList
        do { list = try await client.listAll(KubernetesSecrets.kind, namespace: remoteNamespace, options: options) } catch {
            throw KubernetesSecrets.storeError(error, key: nil, subject: "Secrets of namespace \(remoteNamespace)")
        }
        let regex = try find.nameRegexp.map { pattern throws(SecretStoreError) in
            guard let regex = TenantRegex.compile(pattern) else {
                throw SecretStoreError(code: .invalidConfiguration, message: "find.name.regexp is not a regular expression Keelson runs")
            }
            return regex
        }
        var out: [String: [UInt8]] = [:]
        for secret in list.items {
            if let regex, !TenantRegex.contains(regex, in: secret.name) { continue }
            if let path = find.path, !secret.name.hasPrefix(path) { continue }
            out[secret.name] = SecretJSON.object(try KubernetesSecrets.data(of: secret))
        }
        return out
    }

    /// The identity may list the remote namespace's Secrets.
    func validate() async throws(SecretStoreError) {
        do { _ = try await client.list(KubernetesSecrets.kind, namespace: remoteNamespace, options: ListOptions(limit: 1)) } catch {
            throw KubernetesSecrets.storeError(error, key: nil, subject: "Secrets of namespace \(remoteNamespace)")
        }
    }
}
