import Kube
import Logging
import Manifests

/// The cluster's SecretStores, ClusterSecretStores and ExternalSecrets of both APIs, kept by
/// watches. ESO's kinds are looked for again every `optionalKindRetry` where they are not served.
struct ExternalSecretsStores: Sendable {
    typealias Store<Value: Sendable> = ResourceStore<Value, ObjectFieldError>

    let secretStores: [ExternalSecretsAPI: Store<SecretStore>]
    /// Empty in a namespaced install (a cluster-scoped kind cannot be watched there).
    let clusterStores: [ExternalSecretsAPI: Store<SecretStore>]
    let externalSecrets: [ExternalSecretsAPI: Store<ExternalSecret>]

    init(client: any KubernetesAPI, configuration: ExternalSecretsConfiguration, logger: Logger, onChange: @escaping @Sendable () -> Void) {
        var secretStores: [ExternalSecretsAPI: Store<SecretStore>] = [:]
        var clusterStores: [ExternalSecretsAPI: Store<SecretStore>] = [:]
        var externalSecrets: [ExternalSecretsAPI: Store<ExternalSecret>] = [:]
        let scope = configuration.watchScope
        for api in ExternalSecretsAPI.allCases where configuration.apis.contains(api) {
            let retry: Duration = api == .keelson ? .seconds(2) : configuration.optionalKindRetry
            let parseStore = { @Sendable (object: Manifest) throws(ObjectFieldError) -> SecretStore in try SecretStore(object) }
            secretStores[api] = Store(
                client: client, kind: api.kind(.secretStore), scope: scope, retryDelay: retry, logger: logger, parse: parseStore,
                onChange: onChange)
            if scope == .cluster {
                clusterStores[api] = Store(
                    client: client, kind: api.kind(.clusterSecretStore), scope: scope, retryDelay: retry, logger: logger, parse: parseStore,
                    onChange: onChange)
            }
            externalSecrets[api] = Store(
                client: client, kind: api.kind(.externalSecret), scope: scope, retryDelay: retry, logger: logger,
                parse: { object throws(ObjectFieldError) in try ExternalSecret(object) }, onChange: onChange)
        }
        self.secretStores = secretStores
        self.clusterStores = clusterStores
        self.externalSecrets = externalSecrets
    }

    /// Lists and watches every kind until the task is cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            for store in Array(secretStores.values) + Array(clusterStores.values) { group.addTask { await store.run() } }
            for store in externalSecrets.values { group.addTask { await store.run() } }
        }
    }

    /// Whether the ExternalSecret `object` names a store of another controller class (read from the
    /// object itself, so that one Keelson cannot parse is skipped too): such ExternalSecrets are
    /// left to that controller, without a status.
    func belongsToAnotherController(_ object: Manifest) async -> Bool {
        guard let api = ExternalSecretsAPI(apiVersion: object.apiVersion), let ref = object.object["spec"]?["secretStoreRef"],
            let name = ref["name"]?.stringValue
        else { return false }
        let isCluster = ref["kind"]?.stringValue == ExternalSecretsKind.clusterSecretStore.rawValue
        let cache = isCluster ? clusterStores[api] : secretStores[api]
        let id = isCluster ? "/\(name)" : "\(object.namespace)/\(name)"
        guard let entry = await cache?.all()?.first(where: { Store<SecretStore>.id($0.object) == id }) else { return false }
        return SecretStore.controllerClass(of: entry.object) != nil
    }

    /// The store `externalSecret` names, as the cluster has it (`nil` when absent).
    func store(for externalSecret: ExternalSecret) async -> Store<SecretStore>.Entry? {
        let ref = externalSecret.storeRef
        let cache = ref.kind == .clusterSecretStore ? clusterStores[externalSecret.api] : secretStores[externalSecret.api]
        let id = ref.kind == .clusterSecretStore ? "/\(ref.name)" : "\(externalSecret.namespace)/\(ref.name)"
        return await cache?.all()?.first { Store<SecretStore>.id($0.object) == id }
    }
}
