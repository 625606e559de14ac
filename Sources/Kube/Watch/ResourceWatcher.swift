import Logging

/// Lists a collection, then watches it for good: resumes from the last seen resourceVersion
/// (bookmarks included) after the stream ends or breaks, and lists again when the server says
/// that version is gone (410). Transient failures wait with backoff on the injected clock;
/// other failures (Forbidden, unknown kind) are thrown.
///
/// ```swift
/// for try await update in ResourceWatcher(api: client, kind: gvk, namespace: "ns") {
///     switch update { case .listed(let list): reset(list.items); case .event(let event): apply(event) }
/// }
/// ```
public struct ResourceWatcher: AsyncSequence, Sendable {
    /// What the watcher reports.
    public enum Update: Sendable, Hashable {
        /// A full list (at the start and after every relist): replace what you know.
        case listed(ObjectList)
        /// A change (ADDED, MODIFIED, DELETED; bookmarks are absorbed).
        case event(WatchEvent)
    }

    /// The element type.
    public typealias Element = Update

    let api: any KubernetesAPI
    let kind: GroupVersionKind
    let namespace: String?
    let options: ListOptions
    let backoff: RetryPolicy
    let clock: any Clock<Duration>
    let logger: Logger

    /// Creates a watcher; `options` carries the selectors (its resourceVersion and continue are ignored).
    public init(
        api: any KubernetesAPI, kind: GroupVersionKind, namespace: String? = nil, options: ListOptions = ListOptions(),
        backoff: RetryPolicy = RetryPolicy(initialDelay: .milliseconds(500), maxDelay: .seconds(30)), clock: any Clock<Duration> = ContinuousClock(),
        logger: Logger = Logger(label: "keelson.kube")
    ) {
        self.api = api
        self.kind = kind
        self.namespace = namespace
        var options = options
        options.resourceVersion = nil
        options.continueToken = nil
        self.options = options
        self.backoff = backoff
        self.clock = clock
        self.logger = logger
    }

    /// Starts listing and watching.
    public func makeAsyncIterator() -> AsyncIterator { AsyncIterator(watcher: self) }

    /// Drives the list/watch loop.
    public struct AsyncIterator: AsyncIteratorProtocol {
        let watcher: ResourceWatcher
        /// The version to resume from; `nil` means list first.
        var resourceVersion: String?
        var stream: WatchStream.AsyncIterator?
        var failures = 0
        var random = SystemRandomNumberGenerator()

        init(watcher: ResourceWatcher) { self.watcher = watcher }

        /// The next update; `nil` only when the task is cancelled.
        public mutating func next() async throws -> Update? {
            while !Task.isCancelled {
                do {
                    guard let version = resourceVersion else {
                        let list = try await watcher.api.listAll(watcher.kind, namespace: watcher.namespace, options: watcher.options)
                        resourceVersion = list.resourceVersion
                        failures = 0
                        return .listed(list)
                    }
                    if stream == nil {
                        var options = watcher.options
                        options.resourceVersion = version
                        stream = watcher.api.watch(watcher.kind, namespace: watcher.namespace, options: options).makeAsyncIterator()
                    }
                    guard let event = try await stream?.next() else {
                        // The server ended the watch (its timeout): resume where we were.
                        stream = nil
                        continue
                    }
                    failures = 0
                    if !event.resourceVersion.isEmpty { resourceVersion = event.resourceVersion }
                    if event.type == .bookmark { continue }
                    return .event(event)
                } catch let error as KubeError where error.isGone {
                    watcher.logger.debug("watch expired, listing again", metadata: ["k8s.kind": "\(watcher.kind)"])
                    resourceVersion = nil
                    stream = nil
                } catch let error as KubeError where Self.isTransient(error) {
                    stream = nil
                    failures += 1
                    let delay = watcher.backoff.delay(beforeRetry: failures, retryAfter: nil, using: &random)
                    watcher.logger.debug(
                        "watch failed, retrying", metadata: ["k8s.kind": "\(watcher.kind)", "k8s.delay": "\(delay)", "error": "\(error)"])
                    do { try await watcher.clock.sleep(for: delay) } catch { return nil }
                }
            }
            return nil
        }

        /// Failures worth waiting out: the connection, throttling, server errors.
        static func isTransient(_ error: KubeError) -> Bool {
            switch error.code {
            case .transport: return true
            case .api: return (error.status?.code ?? 0) >= 500 || error.isTooManyRequests
            default: return false
            }
        }
    }
}
