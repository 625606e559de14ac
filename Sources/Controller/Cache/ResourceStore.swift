import Kube
import Logging
import Manifests

/// The cluster's Applications.
typealias ApplicationStore = StartedStore<Application>
/// The Projects of the controller's namespace.
typealias ProjectStore = StartedStore<Project>

/// Transitional: Kube's `ResourceStore` run by `start()`/`stop()`, the calls ControllerService
/// makes today. It goes once ControllerService runs its stores in its own task group
/// (`group.addTask { await store.run() }`, with `ResourceStore<Application, ApplicationError>`).
actor StartedStore<Value: Sendable> {
    let store: ResourceStore<Value, ApplicationError>
    private var task: Task<Void, Never>?

    /// A store of `kind` in `namespace` (every namespace when `nil`).
    init(
        client: any KubernetesAPI, kind: GroupVersionKind, namespace: String? = nil, logger: Logger,
        parse: @escaping @Sendable (Manifest) throws(ApplicationError) -> Value, onChange: @escaping @Sendable () -> Void
    ) {
        store = ResourceStore(client: client, kind: kind, namespace: namespace, logger: logger, parse: parse, onChange: onChange)
    }

    /// Starts the watch.
    func start() {
        guard task == nil else { return }
        task = Task { [store] in await store.run() }
    }

    /// Stops the watch.
    func stop() {
        task?.cancel()
        task = nil
    }

    /// Every object, or `nil` before the first list arrived.
    func all() async -> [ResourceStore<Value, ApplicationError>.Entry]? { await store.all() }

    static func id(_ object: Manifest) -> String { ResourceStore<Value, ApplicationError>.id(object) }
}
