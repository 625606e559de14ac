import Kube
import Logging
import Manifests

/// The objects of one Keelson kind (Applications, Projects), kept current by a watch: the
/// controller's loop reads them from memory every tick instead of listing them, and each change
/// wakes the loop. Each object is parsed once per resourceVersion.
actor ResourceStore<Value: Sendable> {
    /// One object and its parse.
    struct Entry: Sendable {
        var object: Manifest
        var parsed: Result<Value, ApplicationError>
    }

    private let client: any KubernetesAPI
    private let kind: GroupVersionKind
    private let namespace: String?
    private let parse: @Sendable (Manifest) throws(ApplicationError) -> Value
    private let logger: Logger
    private let onChange: @Sendable () -> Void
    private var entries: [String: Entry] = [:]
    private var listed = false
    private var task: Task<Void, Never>?

    /// A store of `kind` in `namespace` (every namespace when `nil`).
    init(
        client: any KubernetesAPI, kind: GroupVersionKind, namespace: String? = nil, logger: Logger,
        parse: @escaping @Sendable (Manifest) throws(ApplicationError) -> Value, onChange: @escaping @Sendable () -> Void
    ) {
        self.client = client
        self.kind = kind
        self.namespace = namespace
        self.parse = parse
        self.logger = logger
        self.onChange = onChange
    }

    /// Starts the watch.
    func start() {
        guard task == nil else { return }
        let watcher = ResourceWatcher(api: client, kind: kind, namespace: namespace, logger: logger)
        let kind = self.kind
        task = Task { [weak self] in
            while !Task.isCancelled {
                do {
                    for try await update in watcher {
                        guard let self else { return }
                        await self.apply(update)
                    }
                } catch {
                    self?.logger.warning("cannot watch \(kind.kind) objects; retrying", metadata: ["error": "\(error)"])
                    try? await Task.sleep(for: .seconds(2))
                }
            }
        }
    }

    /// Stops the watch.
    func stop() {
        task?.cancel()
        task = nil
    }

    /// Every object, or `nil` before the first list arrived.
    func all() -> [Entry]? { listed ? Array(entries.values) : nil }

    private func apply(_ update: ResourceWatcher.Update) {
        switch update {
        case .listed(let list):
            var next: [String: Entry] = [:]
            for object in list.items { next[Self.id(object)] = entry(object, previous: entries[Self.id(object)]) }
            entries = next
            listed = true
        case .event(let event):
            guard let object = event.manifest else { return }
            let id = Self.id(object)
            entries[id] = event.type == .deleted ? nil : entry(object, previous: entries[id])
        }
        onChange()
    }

    private func entry(_ object: Manifest, previous: Entry?) -> Entry {
        if let previous, previous.object.resourceVersion == object.resourceVersion, object.resourceVersion != nil {
            return previous
        }
        let parsed: Result<Value, ApplicationError>
        do { parsed = .success(try parse(object)) } catch { parsed = .failure(error) }
        return Entry(object: object, parsed: parsed)
    }

    static func id(_ object: Manifest) -> String { "\(object.namespace)/\(object.name)" }
}

/// The cluster's Applications.
typealias ApplicationStore = ResourceStore<Application>
/// The Projects of the controller's namespace.
typealias ProjectStore = ResourceStore<Project>
