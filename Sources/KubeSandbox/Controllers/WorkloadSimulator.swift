import Foundation
import Logging
import Manifests
import ServiceLifecycle

/// Plays the cluster's controllers so health is observable: workloads become ready (or visibly
/// fail), Jobs complete, Pods run and PVCs bind, each after the configured delay; Deployments
/// keep ReplicaSets and ReplicaSets keep Pods.
struct WorkloadSimulator: Service {
    /// The field manager status writes are recorded under, as in a real cluster.
    static let manager = "kube-controller-manager"

    let store: ClusterStore
    let catalog: ResourceCatalog
    let readyDelay: Duration
    let logger: Logger

    func run() async throws {
        let (events, sink) = AsyncStream<WatchEvent>.makeStream()
        await store.setOnCommit { sink.yield($0) }
        await withDiscardingTaskGroup { group in
            group.addTask {
                try? await gracefulShutdown()
                sink.finish()
            }
            for await event in events {
                await playOwners(event)
                guard event.type != "DELETED", let rule = SimulationRules.rule(forStorageID: event.storageID),
                    let type = catalog.all.first(where: { $0.storageID == event.storageID }),
                    let generation = rule.pendingGeneration(event.object)
                else { continue }
                let key = (namespace: event.object.namespace, name: event.object.name)
                await write(type, key, rule.progressing)
                let delay = SimulationRules.readyDelay(of: event.object) ?? readyDelay
                group.addTask {
                    try? await Task.sleep(for: delay)
                    guard !Task.isCancelled else { return }
                    await write(type, key, generation: generation) { object in
                        SimulationRules.isBroken(object) ? rule.failed(object) : rule.ready(object)
                    }
                }
            }
            // Shutting down: the objects still waiting for their delay stay as they are.
            group.cancelAll()
        }
    }

    /// Plays the controllers that keep objects of their own: a Deployment's ReplicaSets (and
    /// Events), a ReplicaSet's Pods, also when one of its Pods goes.
    private func playOwners(_ event: WatchEvent) async {
        let object = event.object
        do {
            switch (event.storageID, event.type) {
            case ("apps/deployments", let change) where change != "DELETED":
                guard let type = catalog.lookup(apiVersion: "apps/v1", kind: "Deployment") else { return }
                try await store.rollOut(type, namespace: object.namespace, name: object.name, manager: Self.manager)
            case ("apps/replicasets", let change) where change != "DELETED":
                guard let type = catalog.lookup(apiVersion: "apps/v1", kind: "ReplicaSet") else { return }
                try await store.scalePods(type, namespace: object.namespace, name: object.name, manager: Self.manager)
            case ("/pods", "DELETED"):
                let owner = (object.metadata["ownerReferences"]?.arrayValue ?? []).first {
                    $0["controller"]?.boolValue == true && $0["kind"]?.stringValue == "ReplicaSet" && $0["apiVersion"]?.stringValue == "apps/v1"
                }
                guard let name = owner?["name"]?.stringValue, let type = catalog.lookup(apiVersion: "apps/v1", kind: "ReplicaSet") else { return }
                try await store.scalePods(type, namespace: object.namespace, name: name, manager: Self.manager)
            default:
                return
            }
        } catch {
            logger.debug("simulated controller skipped", metadata: ["k8s.resource": "\(object.namespace)/\(object.name)", "error": "\(error)"])
        }
    }

    /// Rewrites an object's status through the status subresource, if it still exists and
    /// (when `generation` is given) has not been changed since.
    private func write(
        _ type: ResourceType, _ key: (namespace: String, name: String), generation: Int64? = nil,
        _ status: @Sendable (JSONObject) -> JSONValue?
    ) async {
        do {
            try await store.writeStatus(type, namespace: key.namespace, name: key.name, generation: generation, manager: Self.manager, status)
        } catch {
            logger.debug("simulated status write skipped", metadata: ["k8s.resource": "\(key.namespace)/\(key.name)", "error": "\(error)"])
        }
    }
}
