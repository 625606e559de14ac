import Kube
import Logging
import Manifests

/// The cluster's ApplicationSets of each API read, and its Applications, kept by watches.
/// Argo CD's kind is looked for again every minute while its CRD is not served.
struct ApplicationSetStores: Sendable {
    let sets: [ApplicationSet.API: ResourceStore<ApplicationSet, ObjectFieldError>]
    let applications: ResourceStore<Bool, Never>

    init(client: any KubernetesAPI, configuration: ApplicationSetConfiguration, logger: Logger, onChange: @escaping @Sendable () -> Void) {
        var sets: [ApplicationSet.API: ResourceStore<ApplicationSet, ObjectFieldError>] = [:]
        // Argo CD's own sets are translated into Keelson's (ForeignObjectsService, keelson import).
        for api in [ApplicationSet.API.keelson] {
            sets[api] = ResourceStore(
                client: client, kind: api.kind, scope: configuration.watchScope, retryDelay: .seconds(2),
                logger: logger, parse: { object throws(ObjectFieldError) in try ApplicationSet(object) }, onChange: onChange)
        }
        self.sets = sets
        applications = ResourceStore(
            client: client, kind: GroupVersionKind(group: "keelson.dev", version: "v1alpha1", kind: "Application"), scope: configuration.watchScope,
            retryDelay: .seconds(2), logger: logger, parse: { _ in true }, onChange: onChange)
    }

    /// Lists and watches every kind until the task is cancelled.
    func run() async {
        await withDiscardingTaskGroup { group in
            for store in sets.values { group.addTask { await store.run() } }
            group.addTask { await applications.run() }
        }
    }
}
