import Foundation
import Kube
import Manifests
import Sync
import Synchronization

/// One Application as the controller last saw it, with the status it last wrote.
public struct ApplicationView: Sendable {
    /// The Application object (its `status` is the controller's latest).
    public var object: Manifest
    /// The parsed spec; `nil` when the object is invalid (its status says why).
    public var application: Application?

    /// `namespace/name`.
    public var id: String { "\(object.namespace)/\(object.name)" }
    /// `metadata.name`.
    public var name: String { object.name }
    /// `metadata.namespace`.
    public var namespace: String { object.namespace }
    /// Whether the Application is marked for deletion (with the resources finalizer, its objects
    /// are being deleted; `status.conditions` says how far).
    public var isDeleting: Bool { object.isMarkedForDeletion }
    /// `status`, or `null` before the first reconcile.
    public var status: JSONValue { object.object["status"] ?? .null }

    /// Creates a view of `object`, parsed as `application` (`nil` when invalid).
    public init(object: Manifest, application: Application?) {
        self.object = object
        self.application = application
    }
}

/// The objects one application's source rendered to, at a revision. Holds decrypted Secret
/// values in memory only: whoever shows them must mask them (`SecretMasker`).
public struct DesiredState: Sendable {
    /// The commit rendered.
    public var revision: String
    /// The rendered objects, namespaced as they will be applied.
    public var manifests: [Manifest]
}

/// What a person or a webhook asks the controller to do for an application.
public enum ApplicationRequest: Sendable, Hashable {
    /// Fetch the source and compare now.
    case refresh
    /// Sync now; with `revision`, pin that commit as a rollback does (until a newer commit arrives).
    case sync(prune: Bool?, revision: String?)
    /// Pin the revision of history entry `historyID`.
    case rollback(historyID: Int)
}

/// A standby replica could not hand a request to the leader (the write of the Application's
/// annotation failed); the message says why, never with a secret.
public struct RequestNotForwarded: Error, CustomStringConvertible {
    /// Why.
    public var description: String

    /// An error saying `description`.
    public init(_ description: String) { self.description = description }
}

/// A registered cluster as the controller last saw it (never its credentials).
public struct ClusterConnection: Sendable, Hashable {
    /// The name Applications use in `spec.destination.cluster`.
    public var name: String
    /// The API server's URL.
    public var server: String
    /// Whether it answered the last check; `nil` before the first (no Application used it yet).
    public var reachable: Bool?
    /// Why it did not answer.
    public var message: String

    /// A connection state.
    public init(name: String, server: String, reachable: Bool?, message: String) {
        self.name = name
        self.server = server
        self.reachable = reachable
        self.message = message
    }
}

/// The controller as the server sees it: the applications and their last renders, requests
/// that wake the work queue at once, and a stream of events. Cheap to call; reads memory only.
public actor ControllerHandle {
    private var views: [String: ApplicationView] = [:]
    private var desired: [String: DesiredState] = [:]
    private var pending: [String: [ApplicationRequest]] = [:]
    private var recent: [ApplicationEvent] = []
    private var sequence = 0
    private var subscribers: [UUID: AsyncStream<ApplicationEvent>.Continuation] = [:]
    private var listed = false
    private var clusterConnections: [ClusterConnection] = []
    private nonisolated let leading = Atomic<Bool>(true)
    private var forwarder: (@Sendable (String, ApplicationRequest) async throws(RequestNotForwarded) -> Void)?
    private var handledHere: (@Sendable (ApplicationView) -> Bool)?
    /// Wakes the controller's loop (a request, a watch event, a finished reconcile).
    private nonisolated let wakeup = WakeSignal()

    /// How many recent events are kept for clients that reconnect.
    public static let recentLimit = 1000

    /// Where the controller reports reconcile, sync, Git, Kubernetes and queue measurements.
    public nonisolated let metrics = ControllerMetrics()

    /// The controller's namespace, where inventories live (a sync or preview the server makes
    /// reads and writes them there).
    public nonisolated let controllerNamespace: String

    /// Creates an empty handle.
    public init(controllerNamespace: String = Application.defaultNamespace) { self.controllerNamespace = controllerNamespace }

    // MARK: Reads

    /// Every application, sorted by namespace and name.
    public func applications() -> [ApplicationView] {
        views.values.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) }
    }

    /// One application.
    public func application(namespace: String, name: String) -> ApplicationView? { views["\(namespace)/\(name)"] }

    /// The applications named `name`, in any namespace.
    public func applications(named name: String) -> [ApplicationView] {
        applications().filter { $0.name == name }
    }

    /// The last render of `id`, if any.
    public func desiredState(_ id: String) -> DesiredState? { desired[id] }

    /// The registered clusters other than the controller's own, sorted by name.
    public func clusters() -> [ClusterConnection] { clusterConnections }

    func setClusters(_ connections: [ClusterConnection]) { clusterConnections = connections }

    /// Whether the controller has read the applications at least once.
    public var isReady: Bool { listed }

    /// The events after `sequence` that are still kept.
    public func events(after sequence: Int = 0) -> [ApplicationEvent] { recent.filter { $0.sequence > sequence } }

    /// Events as they happen (after the ones returned by `events(after:)`).
    public func subscribe() -> AsyncStream<ApplicationEvent> {
        let (stream, continuation) = AsyncStream.makeStream(of: ApplicationEvent.self, bufferingPolicy: .bufferingNewest(256))
        let id = UUID()
        subscribers[id] = continuation
        continuation.onTermination = { _ in Task { await self.unsubscribe(id) } }
        return stream
    }

    private func unsubscribe(_ id: UUID) { subscribers[id] = nil }

    // MARK: Requests

    /// Queues `request` for `id` and wakes the controller; `false` when no such application exists.
    /// On a replica that does not reconcile the Application (a standby, or another shard's) the
    /// request is forwarded through the Application's annotations; `RequestNotForwarded` when
    /// that write fails.
    @discardableResult
    public func request(_ id: String, _ request: ApplicationRequest) async throws(RequestNotForwarded) -> Bool {
        guard views[id] != nil else { return false }
        if let forwarder, let view = views[id], !(handledHere?(view) ?? isLeading) {
            try await forwarder(id, request)
            emit(.requested, id: id, message: Self.describe(request) + " (forwarded to the leader)")
            return true
        }
        pending[id, default: []].append(request)
        emit(.requested, id: id, message: Self.describe(request))
        wake()
        return true
    }

    /// Wakes the controller to look at `ids` (a webhook's refresh).
    public func refresh(_ ids: [String]) {
        for id in ids where views[id] != nil {
            if !(pending[id] ?? []).contains(.refresh) { pending[id, default: []].append(.refresh) }
        }
        if !ids.isEmpty { wake() }
    }

    // MARK: Leadership

    /// Whether this replica reconciles and writes: always when it runs alone; with leader
    /// election, only while it holds the Lease (a standby serves reads and forwards requests).
    public nonisolated var isLeading: Bool { leading.load(ordering: .acquiring) }

    nonisolated func setLeading(_ value: Bool) {
        leading.store(value, ordering: .releasing)
        wake()
    }

    /// Sets how a standby forwards requests to the leader.
    func setForwarder(_ forwarder: @escaping @Sendable (String, ApplicationRequest) async throws(RequestNotForwarded) -> Void) {
        self.forwarder = forwarder
    }

    /// Sets which Applications this replica reconciles itself (its shard's); the others' requests are forwarded.
    func setHandledHere(_ predicate: @escaping @Sendable (ApplicationView) -> Bool) { handledHere = predicate }

    // MARK: Controller side

    func takeRequests(_ id: String) -> [ApplicationRequest] { pending.removeValue(forKey: id) ?? [] }

    /// The applications with requests waiting.
    func requestedIDs() -> Set<String> { Set(pending.filter { !$0.value.isEmpty }.keys) }

    /// Wakes the loop without a request (a watch saw a change).
    nonisolated func wake() { wakeup.wake() }

    /// Waits until something wakes the controller or `timeout` passes on `clock`.
    nonisolated func waitForWake(timeout: Duration, clock: any Clock<Duration>) async {
        await wakeup.wait(timeout: timeout, clock: clock)
    }

    /// Replaces the set of applications (after a list); emits `deleted` for the vanished.
    func setApplications(_ current: [ApplicationView]) {
        listed = true
        let ids = Set(current.map(\.id))
        for id in views.keys where !ids.contains(id) {
            views[id] = nil
            desired[id] = nil
            pending[id] = nil
            emit(.deleted, id: id, message: "application deleted")
        }
        for view in current {
            // Keep the status the controller wrote last if the listed copy is older.
            if let known = views[view.id], !known.status.isNull, view.status.isNull { continue }
            if let known = views[view.id] {
                views[view.id] = view
                // A changed spec (suspended, resumed, edited) may write no status: pages and streams hear of it here.
                if known.object.object["spec"] != view.object.object["spec"] { emit(.updated, id: view.id, message: "application changed") }
            } else {
                views[view.id] = view; emit(.updated, id: view.id, message: "application found")
            }
        }
    }

    /// Records the status just written for `object`; emits an event when the summary changed.
    func statusWritten(_ object: Manifest, application: Application?, status: JSONValue, message: String) {
        let id = "\(object.namespace)/\(object.name)"
        var object = object
        object.object["status"] = status
        let before = views[id].map(Self.summary)
        let previous = views[id]?.status["rollouts"]
        let view = ApplicationView(object: object, application: application)
        views[id] = view
        if before == nil || before! != Self.summary(view) || !message.isEmpty { emit(.updated, id: id, message: message) }
        let rollouts = status["rollouts"] ?? .null
        if before != nil, rollouts != (previous ?? .null) {
            emit(.rollout, id: id, message: Self.describe(rollouts: rollouts), rollouts: rollouts)
        }
    }

    func setDesired(_ id: String, _ state: DesiredState) { desired[id] = state }

    private func emit(_ kind: ApplicationEvent.Kind, id: String, message: String, rollouts: JSONValue = .null) {
        sequence += 1
        let summary = views[id].map(Self.summary) ?? Summary(sync: "", health: "", revision: "")
        let event = ApplicationEvent(
            sequence: sequence, kind: kind, application: id, time: Date(), sync: summary.sync, health: summary.health,
            revision: summary.revision, message: message, rollouts: rollouts)
        recent.append(event)
        if recent.count > Self.recentLimit { recent.removeFirst(recent.count - Self.recentLimit) }
        for continuation in subscribers.values { continuation.yield(event) }
    }

    struct Summary: Hashable {
        var sync: String
        var health: String
        var revision: String
    }

    static func summary(_ view: ApplicationView) -> Summary {
        Summary(
            sync: view.status["sync"]?["status"]?.stringValue ?? "", health: view.status["health"]?["status"]?.stringValue ?? "",
            revision: view.status["revision"]?.stringValue ?? "")
    }

    /// `shop/web Paused at step 1 (20%)`, one clause per rollout (steps count from 0, as the Rollout's status does).
    static func describe(rollouts: JSONValue) -> String {
        (rollouts.arrayValue ?? []).map { report in
            let name = "\(report["namespace"]?.stringValue ?? "")/\(report["name"]?.stringValue ?? "")"
            let step = report["step"]?.intValue.map { " at step \($0)" } ?? ""
            let weight = report["setWeight"]?.intValue.map { " (\($0)%)" } ?? ""
            return "\(name) \(report["phase"]?.stringValue ?? "")\(step)\(weight)"
        }.joined(separator: "; ")
    }

    static func describe(_ request: ApplicationRequest) -> String {
        switch request {
        case .refresh: return "refresh requested"
        case .sync(_, let revision?): return "sync to \(revision.prefix(12)) requested"
        case .sync: return "sync requested"
        case .rollback(let id): return "rollback to history entry \(id) requested"
        }
    }
}
