import Foundation
import GoTemplate
import Helm
import KeelsonFoundation
import Kube
import Manifests
import Synchronization

/// What Helm's `lookup` may read of the destination cluster: objects of the destination
/// namespace and cluster-scoped objects, never Secrets unless `helm.lookupSecrets` allows them.
/// Reading only; a refused lookup fails the render with the reason.
struct LookupPolicy: Sendable, Hashable {
    /// The destination namespace.
    var namespace: String
    /// Whether Secrets may be read.
    var allowSecrets: Bool

    /// A lookup the policy refuses.
    struct Refused: Error, Sendable, CustomStringConvertible {
        var description: String
    }

    /// The namespace to read (nil: cluster-scoped), or why the lookup is refused.
    func namespace(for gvk: GroupVersionKind, namespaced: Bool, requested: String) throws(Refused) -> String? {
        if gvk.group.isEmpty && gvk.kind == "Secret" && !allowSecrets {
            throw Refused(description: "lookup of Secrets is not allowed (set spec.source.helm.lookupSecrets)")
        }
        guard namespaced else { return nil }
        guard requested == namespace else {
            let asked = requested.isEmpty ? "all namespaces" : "namespace \"\(requested)\""
            throw Refused(description: "lookup of \(gvk.kind) in \(asked) is not allowed: only the destination namespace \"\(namespace)\"")
        }
        return namespace
    }
}

/// Helm's `lookup` against the destination cluster, read-only and fenced by a `LookupPolicy`.
///
/// The renderer calls `lookup` synchronously; the read runs as a task on the async client while
/// the calling thread waits. The render must therefore run on a thread of its own (see
/// `ClusterLookup.run`), never on the cooperative pool, which a blocked thread would starve.
struct ClusterLookup: LookupSource {
    /// Reads as the Application's identity, so Kubernetes RBAC has the last word.
    let client: any KubernetesAPI
    let policy: LookupPolicy

    func lookup(apiVersion: String, kind: String, namespace: String, name: String) throws -> Value {
        let box = ResultBox()
        Task {
            let value: Result<Value, any Error>
            do { value = .success(try await read(apiVersion: apiVersion, kind: kind, namespace: namespace, name: name)) } catch {
                value = .failure(error)
            }
            box.put(value)
        }
        return try box.take().get()
    }

    /// Hands a lookup's result from the task that read it to the render thread waiting for it.
    private final class ResultBox: Sendable {
        private let result = Mutex<Result<Value, any Error>?>(nil)
        private let done = DispatchSemaphore(value: 0)

        func put(_ value: Result<Value, any Error>) {
            result.withLock { $0 = value }
            done.signal()
        }

        func take() -> Result<Value, any Error> {
            done.wait()
            return result.withLock { $0! }
        }
    }

    /// The object (`{}` when missing) or, with an empty name, the list, as Go's JSON decoding
    /// gives it to templates (numbers are float64).
    func read(apiVersion: String, kind: String, namespace: String, name: String) async throws -> Value {
        let gvk = GroupVersionKind(apiVersion: apiVersion, kind: kind)
        let resource = try await client.resource(for: gvk)
        let target = try policy.namespace(for: gvk, namespaced: resource.namespaced, requested: namespace)
        if name.isEmpty {
            let list = try await client.listAll(gvk, namespace: target)
            return Self.value(
                [
                    "apiVersion": .string(apiVersion), "kind": .string(kind + "List"),
                    "metadata": ["resourceVersion": .string(list.resourceVersion)], "items": .array(list.items.map { .object($0.object) }),
                ])
        }
        do {
            return Self.value(.object(try await client.get(gvk, name: name, namespace: target).object))
        } catch {
            guard error.isNotFound else { throw error }
            return .map([:])
        }
    }

    /// A JSON value as `encoding/json` decodes it into `interface{}`.
    static func value(_ json: JSONValue) -> Value {
        switch json {
        case .null: .null
        case .bool(let flag): .bool(flag)
        case .number(let number): .float(number.doubleValue)
        case .string(let text): .string(text)
        case .array(let items): .list(items.map(value))
        case .object(let object): .map(Dictionary(uniqueKeysWithValues: object.map { ($0.key, value($0.value)) }))
        }
    }

    /// Runs `body` (a render that may call `lookup`) on a thread of its own and waits for it
    /// without holding a thread of the cooperative pool.
    static func run<T: Sendable>(_ body: @escaping @Sendable () throws -> T) async throws -> T {
        try await onOwnThread("keelson-helm-render", stackSize: 16 << 20, body)
    }
}
