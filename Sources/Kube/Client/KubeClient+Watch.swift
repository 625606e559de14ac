import AsyncHTTPClient
import Manifests
import NIOCore

extension KubeClient {
    /// The server-side timeout asked of a watch when the caller gives none.
    public static let defaultWatchTimeoutSeconds = 300

    /// Watches a collection from `options.resourceVersion`, with bookmarks.
    public func watch(_ gvk: GroupVersionKind, namespace: String? = nil, options: ListOptions = ListOptions()) -> WatchStream {
        WatchStream {
            let source = HTTPWatchSource(client: self, gvk: gvk, namespace: namespace, options: options)
            return { try await source.next() }
        }
    }
}

/// Reads one watch request's newline-delimited JSON events.
private final class HTTPWatchSource {
    let client: KubeClient
    let gvk: GroupVersionKind
    let namespace: String?
    let options: ListOptions
    let resource: String
    var body: HTTPClientResponse.Body.AsyncIterator?
    var started = false
    var splitter: LineSplitter
    var pending: [[UInt8]] = []

    init(client: KubeClient, gvk: GroupVersionKind, namespace: String?, options: ListOptions) {
        self.client = client
        self.gvk = gvk
        self.namespace = namespace
        self.options = options
        resource = "watch \(gvk.kind)" + (namespace.map { "/\($0)" } ?? "")
        splitter = LineSplitter(maximumLineLength: client.options.maxResponseBytes)
    }

    func next() async throws(KubeError) -> WatchEvent? {
        if !started {
            started = true
            body = try await open().body.makeAsyncIterator()
        }
        while pending.isEmpty {
            guard var iterator = body else { return nil }
            let chunk: ByteBuffer?
            do { chunk = try await iterator.next() } catch {
                body = nil
                throw KubeError(.transport, "watch stream broke", resource: resource, cause: error)
            }
            body = iterator
            guard let chunk else {
                body = nil
                if let rest = splitter.finish() { pending.append(rest) }
                break
            }
            pending += try splitter.append(chunk.readableBytesView, resource: resource)
        }
        guard !pending.isEmpty else { return nil }
        return try WatchEvent.decode(line: pending.removeFirst(), resource: resource)
    }

    private func open() async throws(KubeError) -> HTTPClientResponse {
        let apiResource = try await client.resource(for: gvk)
        var query = options
        let timeout = options.timeoutSeconds ?? KubeClient.defaultWatchTimeoutSeconds
        query.timeoutSeconds = timeout
        let path = ResourcePath.path(for: apiResource, namespace: namespace)
        let items = [("watch", "1"), ("allowWatchBookmarks", "true")] + query.queryItems
        return try await client.open(
            APIRequest(method: .GET, path: path, query: items, resource: resource), timeout: .seconds(timeout + 60))
    }
}
