import Kube
import Logging
import Manifests

/// The Application objects of the cluster, kept current by a watch: the controller's loop reads
/// them from memory every tick instead of listing them, and each change wakes the loop.
/// Each object is parsed once per resourceVersion.
actor ApplicationStore {
    /// One Application object and its parse.
    struct Entry: Sendable {
        var object: Manifest
        var parsed: Result<Application, ApplicationError>
    }

    private let client: any KubernetesAPI
    private let logger: Logger
    private let onChange: @Sendable () -> Void
    private var entries: [String: Entry] = [:]
    private var listed = false
    private var task: Task<Void, Never>?

    init(client: any KubernetesAPI, logger: Logger, onChange: @escaping @Sendable () -> Void) {
        self.client = client
        self.logger = logger
        self.onChange = onChange
    }

    /// Starts the watch.
    func start() {
        guard task == nil else { return }
        let watcher = ResourceWatcher(api: client, kind: ControllerService.applicationKind, logger: logger)
        task = Task { [weak self] in
            while !Task.isCancelled {
                do {
                    for try await update in watcher {
                        guard let self else { return }
                        await self.apply(update)
                    }
                } catch {
                    self?.logger.warning("cannot watch Applications; retrying", metadata: ["error": "\(error)"])
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

    /// Every Application, or `nil` before the first list arrived.
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
        if let previous, LiveObjectCache.version(previous.object) == LiveObjectCache.version(object), LiveObjectCache.version(object) != nil {
            return previous
        }
        let parsed: Result<Application, ApplicationError>
        do { parsed = .success(try Application(object)) } catch { parsed = .failure(error) }
        return Entry(object: object, parsed: parsed)
    }

    static func id(_ object: Manifest) -> String { "\(object.namespace)/\(object.name)" }
}
