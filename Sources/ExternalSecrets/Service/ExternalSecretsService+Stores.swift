import Foundation
import Kube
import Manifests

extension ExternalSecretsService {
    /// Validations due now: new or changed stores, and stores whose interval passed.
    func dueValidations(_ stores: ExternalSecretsStores, now: C.Instant) async -> [Work] {
        var work: [Work] = []
        for cache in Array(stores.secretStores.values) + Array(stores.clusterStores.values) {
            for entry in await cache.all() ?? [] {
                let object = entry.object
                if !object.namespace.isEmpty, !(configuration.namespaces?(object.namespace) ?? true) { continue }
                // Another controller class's store is not Keelson's: no validation, no status.
                if SecretStore.controllerClass(of: object) != nil { continue }
                let id = "\(object.apiVersion) \(object.kind) \(object.namespace)/\(object.name)"
                let version = RefreshSchedule.syncedVersion(of: object)
                switch entry.parsed {
                case .failure(let error):
                    if await state.shouldReportInvalidStore(id, version: version) {
                        await writeStatus(
                            object, condition: StatusCondition.ready(false, ReadyCondition.invalidProviderConfig, error.description))
                    }
                case .success(let store):
                    guard await state.storeDue(id, version: version, now: now) else { continue }
                    work.append(Work(key: id) { await validate(store, object: object, id: id, version: version) })
                }
            }
        }
        return work
    }

    /// Builds the store's provider and asks it to validate; writes the store's `Ready` condition.
    func validate(_ store: SecretStore, object: Manifest, id: String, version: String) async {
        let context = ProviderContext(
            store: store, namespace: store.namespace ?? configuration.controllerNamespace, client: client, httpClient: configuration.httpClient,
            environment: configuration.environment)
        let condition = await validation(of: context)
        if !condition.isTrue {
            logger.warning("secret store not valid", metadata: ["k8s.resource": "\(store.id)", "error": "\(condition.message)"])
        }
        // A store that failed is looked at again sooner: its Secret or its endpoint may be back.
        let wait = condition.isTrue ? configuration.storeValidationInterval : min(configuration.retryInterval, configuration.storeValidationInterval)
        await state.finishValidation(id, version: version, next: clock.now.advanced(by: wait))
        await writeStatus(object, condition: condition) { status in status["capabilities"] = "ReadOnly" }
    }

    /// The store's `Ready` condition: its provider is built (else InvalidProviderConfig) and validates (else ValidationFailed).
    func validation(of context: ProviderContext) async -> StatusCondition {
        let provider: any SecretStoreProvider
        do { provider = try await configuration.providers.provider(for: context) } catch {
            let reason = error.code == .invalidConfiguration ? ReadyCondition.invalidProviderConfig : ReadyCondition.validationFailed
            return StatusCondition.ready(false, reason, error.description)
        }
        let condition: StatusCondition
        do {
            try await provider.validate()
            condition = StatusCondition.ready(true, ReadyCondition.storeValid, "store validated")
        } catch {
            var error = error
            if error.store.isEmpty { error.store = context.store.id }
            condition = StatusCondition.ready(false, ReadyCondition.validationFailed, error.description)
        }
        await provider.close()
        return condition
    }

    /// Rewrites the object's status: `update` edits it, `condition` is merged into `conditions`.
    func writeStatus(_ object: Manifest, condition: StatusCondition, _ update: (inout JSONObject) -> Void = { _ in }) async {
        let gvk = GroupVersionKind(group: object.group, version: object.version, kind: object.kind)
        let namespace = object.namespace.isEmpty ? nil : object.namespace
        for _ in 0..<3 {
            do {
                var current = try await client.get(gvk, name: object.name, namespace: namespace)
                let generation = current.metadata["generation"]?.intValue ?? 0
                var status = current.object["status"]?.objectValue ?? [:]
                update(&status)
                status["conditions"] = condition.merged(into: status["conditions"], generation: generation, now: configuration.now())
                current.object["status"] = .object(status)
                _ = try await client.updateStatus(current, options: WriteOptions(fieldManager: Self.fieldManager))
                return
            } catch {
                guard error.isConflict else {
                    if !error.isNotFound {
                        logger.warning(
                            "cannot write status",
                            metadata: ["k8s.resource": "\(object.kind)/\(object.namespace)/\(object.name)", "error": "\(error)"])
                    }
                    return
                }
            }
        }
    }

    /// Applies the three CRDs and waits until they are served.
    func installCRDs() async throws {
        for (file, yaml) in ExternalSecretsCRDs.all {
            for object in try Manifest.decode(Array(yaml.utf8), file: file) {
                _ = try await client.apply(object, options: ApplyOptions(fieldManager: Self.fieldManager, force: true))
            }
        }
        for kind in ExternalSecretsKind.allCases {
            for attempt in 0..<100 {
                if (try? await client.resource(for: ExternalSecretsAPI.keelson.kind(kind))) != nil { break }
                if attempt == 99 { logger.warning("CRD not served yet", metadata: ["kind": "\(kind.rawValue)"]) }
                try await Task.sleep(for: .milliseconds(100))
            }
        }
    }
}
