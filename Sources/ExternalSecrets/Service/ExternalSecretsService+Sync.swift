import Foundation
import Kube
import Manifests

extension ExternalSecretsService {
    /// Fetches, renders and writes one ExternalSecret's target Secret, then its status. On any
    /// failure the Secret is left exactly as it was. The object is read again first and that
    /// reading is the one synced (`cached` may be older), so the spec and the version recorded match.
    func sync(_ cachedSpec: ExternalSecret, cached: Manifest, id: String, stores: ExternalSecretsStores) async {
        let gvk = cachedSpec.api.kind(.externalSecret)
        let object: Manifest
        let externalSecret: ExternalSecret
        do {
            object = try await client.get(gvk, name: cachedSpec.name, namespace: cachedSpec.namespace)
            externalSecret = try ExternalSecret(object)
        } catch {
            // Not readable now (throttled, timed out, gone, or changed into an invalid spec the watch
            // will report): tried again later, not at once.
            logger.debug("external secret not read", metadata: ["k8s.resource": "ExternalSecret \(cachedSpec.id)", "error": "\(error)"])
            await state.finish(
                id, version: RefreshSchedule.syncedVersion(of: cached), succeeded: false, at: clock.now, retry: retryDelay(cachedSpec),
                maximumRetry: configuration.maximumRetryInterval)
            return
        }
        let version = RefreshSchedule.syncedVersion(of: object)
        let resource = "ExternalSecret \(externalSecret.id)"
        var values: [String: [UInt8]] = [:]
        let condition: StatusCondition
        var succeeded = false
        do {
            let store = try await resolveStore(externalSecret, stores: stores)
            let context = ProviderContext(
                store: store, namespace: externalSecret.namespace, client: client, httpClient: configuration.httpClient,
                environment: configuration.environment)
            let provider = try await configuration.providers.provider(for: context)
            let fetched: FetchedData
            do {
                fetched = try await FetchedData.fetch(externalSecret, from: provider)
                await provider.close()
            } catch {
                await provider.close()
                var error = error
                if error.store.isEmpty { error.store = store.id }
                throw error
            }
            values = fetched.values
            let rendered = try SecretRenderer.render(externalSecret, values: fetched.values)
            let owner = TargetPlan.Owner(
                apiVersion: externalSecret.api.rawValue, kind: "ExternalSecret", name: externalSecret.name,
                uid: object.metadata["uid"]?.stringValue ?? "")
            let existing = try await currentSecret(externalSecret)
            let action = try TargetPlan.plan(externalSecret, owner: owner, rendered: rendered, fetched: fetched, existing: existing)
            try await perform(action, externalSecret)
            succeeded = true
            if action == .delete {
                condition = StatusCondition.ready(false, ReadyCondition.deleted, "secret deleted due to DeletionPolicy")
            } else if action == .nothing {
                condition = StatusCondition.ready(true, ReadyCondition.synced, "secret synced (creationPolicy None: nothing written)")
            } else {
                condition = StatusCondition.ready(true, ReadyCondition.synced, "secret synced")
            }
            metrics.record(namespace: externalSecret.namespace, name: externalSecret.name, succeeded: true)
            logger.debug("external secret synced", metadata: ["k8s.resource": "\(resource)", "action": "\(Self.describe(action))"])
        } catch {
            let message = Redaction.redact(Self.message(error), values: values)
            condition = StatusCondition.ready(false, ReadyCondition.syncedError, message)
            metrics.record(namespace: externalSecret.namespace, name: externalSecret.name, succeeded: false)
            logger.warning(
                "external secret not synced; the target Secret is left as it was", metadata: ["k8s.resource": "\(resource)", "error": "\(message)"])
        }
        await state.finish(
            id, version: version, succeeded: succeeded, at: clock.now, retry: retryDelay(externalSecret),
            maximumRetry: configuration.maximumRetryInterval)
        let now = StatusCondition.timestamp(configuration.now())
        await writeStatus(object, condition: condition) { status in
            status["binding"] = ["name": .string(externalSecret.secretName)]
            if succeeded {
                status["refreshTime"] = .string(now)
                status["syncedResourceVersion"] = .string(version)
            }
        }
    }

    /// The first wait after a failure: the retry interval, or the refresh interval when shorter.
    func retryDelay(_ externalSecret: ExternalSecret) -> Duration {
        externalSecret.refreshInterval > .zero ? min(externalSecret.refreshInterval, configuration.retryInterval) : configuration.retryInterval
    }

    /// The store the ExternalSecret names, if it may use it.
    func resolveStore(_ externalSecret: ExternalSecret, stores: ExternalSecretsStores) async throws(SecretStoreError) -> SecretStore {
        let ref = externalSecret.storeRef
        let described = ref.kind == .clusterSecretStore ? "ClusterSecretStore \(ref.name)" : "SecretStore \(externalSecret.namespace)/\(ref.name)"
        guard let entry = await stores.store(for: externalSecret) else {
            throw SecretStoreError(code: .invalidConfiguration, store: described, message: "not found")
        }
        let store: SecretStore
        switch entry.parsed {
        case .success(let parsed): store = parsed
        case .failure(let error): throw SecretStoreError(code: .invalidConfiguration, store: described, message: "is invalid: \(error)")
        }
        if !store.conditions.isEmpty {
            // Without the Namespace's labels a selector (NotIn, DoesNotExist) could admit wrongly: fail closed.
            let namespace: Manifest
            do { namespace = try await client.get(Self.namespaceKind, name: externalSecret.namespace, namespace: nil) } catch {
                throw SecretStoreError(
                    code: error.code == .transport ? .unreachable : .providerError, store: described,
                    message: "cannot read Namespace \(externalSecret.namespace) to check spec.conditions: \(error.status?.message ?? error.message)")
            }
            guard store.admits(namespace: externalSecret.namespace, labels: namespace.labels) else {
                throw SecretStoreError(
                    code: .invalidConfiguration, store: described,
                    message: "may not be used from namespace \(externalSecret.namespace) (spec.conditions)")
            }
        }
        return store
    }

    func currentSecret(_ externalSecret: ExternalSecret) async throws(KubeError) -> Manifest? {
        do { return try await client.get(Self.secretKind, name: externalSecret.secretName, namespace: externalSecret.namespace) } catch {
            if error.isNotFound { return nil }
            throw error
        }
    }

    func perform(_ action: TargetAction, _ externalSecret: ExternalSecret) async throws(KubeError) {
        let options = WriteOptions(fieldManager: Self.fieldManager)
        switch action {
        case .nothing, .unchanged: return
        case .create(let secret): _ = try await client.create(secret, options: options)
        case .update(let secret): _ = try await client.update(secret, options: options)
        case .delete:
            do {
                _ = try await client.delete(
                    Self.secretKind, name: externalSecret.secretName, namespace: externalSecret.namespace, options: DeleteOptions())
            } catch  where error.isNotFound {}
        }
    }

    static func describe(_ action: TargetAction) -> String {
        switch action {
        case .nothing: "nothing (creationPolicy None)"
        case .unchanged: "unchanged"
        case .create: "created"
        case .update: "updated"
        case .delete: "deleted"
        }
    }

    /// A status message for `error`, saying plainly when the store is down.
    static func message(_ error: any Error) -> String {
        switch error {
        case let error as SecretStoreError where error.code == .unreachable:
            "the store is unreachable, the Secret is kept as it was: \(error)"
        case let error as SecretStoreError: "could not get secret data from provider: \(error)"
        case let error as SecretRenderError: "could not render the template: \(error)"
        case let error as TargetPlanError: error.message
        case let error as KubeError: "could not write the Secret: \(error.status?.message ?? error.message)"
        default: "\(error)"
        }
    }
}
