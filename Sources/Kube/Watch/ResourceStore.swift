import Logging
import Manifests

/// The objects of one kind, kept current by a `ResourceWatcher`: loops that act on them (the
/// controller's Applications and Projects, image automation's policies) read them from memory
/// instead of listing, and `onChange` tells them when to look again. Each object is parsed once
/// per resourceVersion. `run()` lists and watches until its task is cancelled, so the store
/// lives inside its owner's task group, as long as the owner's `Service.run()`.
///
/// ```swift
/// let store = ResourceStore(client: client, kind: gvk, logger: logger, parse: { try Thing($0) }) { wakeup.wake() }
/// await withDiscardingTaskGroup { group in
///     group.addTask { await store.run() }
///     for entry in await store.all() ?? [] { ... }
///     group.cancelAll()
/// }
/// ```
public actor ResourceStore<Value: Sendable, Failure: Error> {
    /// One object and its parse.
    public struct Entry: Sendable {
        /// The object as the cluster has it.
        public var object: Manifest
        /// What `parse` made of it.
        public var parsed: Result<Value, Failure>
    }

    private let client: any KubernetesAPI
    private let kind: GroupVersionKind
    /// The namespaces watched one by one, or `[nil]` for one watch of every namespace.
    private let namespaces: [String?]
    private let parse: @Sendable (Manifest) throws(Failure) -> Value
    private let retryDelay: Duration
    private let clock: any Clock<Duration>
    private let logger: Logger
    private let onChange: @Sendable () -> Void
    private var entries: [String: Entry] = [:]
    /// The namespaces (`nil`: all) whose first list has arrived.
    private var listed: Set<String?> = []
    /// The namespaces whose watch failed before their first list (Forbidden: no Role there yet).
    private var failing: Set<String?> = []

    /// A store of `kind` in `namespace` (every namespace when `nil`). A watch that fails for good
    /// (Forbidden, or a kind not served yet because its CRD is still to come) is tried again after
    /// `retryDelay`, so a CRD installed later is watched once it is served.
    public init(
        client: any KubernetesAPI, kind: GroupVersionKind, namespace: String? = nil, retryDelay: Duration = .seconds(2),
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger, parse: @escaping @Sendable (Manifest) throws(Failure) -> Value,
        onChange: @escaping @Sendable () -> Void
    ) {
        self.init(
            client: client, kind: kind, scope: namespace.map { .namespaces([$0]) } ?? .cluster, retryDelay: retryDelay, clock: clock,
            logger: logger, parse: parse, onChange: onChange)
    }

    /// A store of `kind` in the namespaces of `scope`, one watch each (a namespaced install's
    /// RBAC allows no watch across the cluster).
    public init(
        client: any KubernetesAPI, kind: GroupVersionKind, scope: WatchScope, retryDelay: Duration = .seconds(2),
        clock: any Clock<Duration> = ContinuousClock(), logger: Logger, parse: @escaping @Sendable (Manifest) throws(Failure) -> Value,
        onChange: @escaping @Sendable () -> Void
    ) {
        self.client = client
        self.kind = kind
        self.namespaces = scope.namespaces ?? [nil]
        self.parse = parse
        self.retryDelay = retryDelay
        self.clock = clock
        self.logger = logger
        self.onChange = onChange
    }

    /// Lists and watches until the task is cancelled.
    public nonisolated func run() async {
        await withDiscardingTaskGroup { group in
            for namespace in namespaces { group.addTask { await self.follow(namespace) } }
        }
    }

    private nonisolated func follow(_ namespace: String?) async {
        let watcher = ResourceWatcher(api: client, kind: kind, namespace: namespace, clock: clock, logger: logger)
        while !Task.isCancelled {
            do {
                for try await update in watcher { await apply(update, namespace: namespace) }
            } catch {
                await failed(namespace)
                // A kind whose CRD is not installed is expected (optional kinds, a CRD on its way): no warning for it.
                let unserved = (error as? KubeError)?.code == .unknownKind
                logger.log(
                    level: unserved ? .debug : .warning, "cannot watch \(kind.kind) objects; retrying",
                    metadata: ["k8s.kind": "\(kind)", "error": "\(error)"])
                do { try await clock.sleep(for: retryDelay) } catch { return }
            }
        }
    }

    /// Every object, or `nil` before the first list arrived. With several namespaces, once each
    /// has listed or failed and one has listed: a namespace whose Role is missing holds up none
    /// of the others (its objects appear when its watch succeeds).
    public func all() -> [Entry]? {
        let ready = namespaces.count == 1 ? !listed.isEmpty : !listed.isEmpty && listed.union(failing).count == namespaces.count
        return ready ? Array(entries.values) : nil
    }

    private func failed(_ namespace: String?) {
        guard !listed.contains(namespace), failing.insert(namespace).inserted else { return }
        onChange()
    }

    /// `namespace/name`, the key of an object in the store.
    public static func id(_ object: Manifest) -> String { "\(object.namespace)/\(object.name)" }

    private func apply(_ update: ResourceWatcher.Update, namespace: String?) {
        switch update {
        case .listed(let list):
            // A list replaces what its namespace held (everything, for a watch of every namespace).
            var next = namespace.map { namespace in entries.filter { $0.value.object.namespace != namespace } } ?? [:]
            for object in list.items { next[Self.id(object)] = entry(object, previous: entries[Self.id(object)]) }
            entries = next
            listed.insert(namespace)
            failing.remove(namespace)
        case .event(let event):
            guard let object = event.manifest else { return }
            let id = Self.id(object)
            entries[id] = event.type == .deleted ? nil : entry(object, previous: entries[id])
        }
        onChange()
    }

    private func entry(_ object: Manifest, previous: Entry?) -> Entry {
        let version = object.metadata["resourceVersion"]?.stringValue
        if let previous, version != nil, previous.object.metadata["resourceVersion"]?.stringValue == version { return previous }
        let parsed: Result<Value, Failure>
        do throws(Failure) { parsed = .success(try parse(object)) } catch { parsed = .failure(error) }
        return Entry(object: object, parsed: parsed)
    }
}
