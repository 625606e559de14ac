import Sync

extension Application {
    /// The sync options the application's spec asks for (namespace, prune, allowEmpty,
    /// CreateNamespace, AllowSharedResource, ignoreDifferences); timing options are left at their defaults.
    public var syncOptions: SyncOptions {
        var options = SyncOptions()
        options.namespace = spec.destination.namespace
        options.prune = spec.syncPolicy.automated?.prune ?? false
        options.allowEmpty = spec.syncPolicy.automated?.allowEmpty ?? false
        options.createNamespace = spec.syncPolicy.syncOptions.contains("CreateNamespace=true")
        options.allowSharedResources = spec.syncPolicy.syncOptions.contains("AllowSharedResource=true")
        options.ignoreDifferences = spec.ignoreDifferences.map {
            IgnoreRule(group: $0.group, kind: $0.kind, name: $0.name, namespace: $0.namespace, jsonPointers: $0.jsonPointers)
        }
        return options
    }
}
