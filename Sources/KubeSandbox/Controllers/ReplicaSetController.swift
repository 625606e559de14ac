import Foundation
import Manifests

/// The part of the ReplicaSet controller the sandbox plays: a ReplicaSet (its own, or one a
/// Deployment controls) has as many Pods as its replicas, named `NAME-xxxxx` from its template
/// and controlled by it; a Pod deleted by hand comes back, extra ones go, newest first. The Pods'
/// status is the Pod rule's (they run after the ready delay).
extension ClusterStore {
    /// Brings the Pods of one ReplicaSet to its replicas; nothing is written when they are.
    func scalePods(_ replicaSets: ResourceType, namespace: String, name: String, manager: String) throws(APIError) {
        guard let pods = catalog.lookup(apiVersion: "v1", kind: "Pod"),
            let replicaSet = try? get(replicaSets, namespace: namespace, name: name), !replicaSet.isTerminating,
            let uid = replicaSet.meta("uid"), let template = replicaSet["spec"]?["template"]?.objectValue
        else { return }
        let wanted = max(0, Int(replicaSet["spec"]?["replicas"]?.intValue ?? 1))
        let owned = all(pods, namespace: namespace).filter { Self.isControlled($0, byUID: uid) && !$0.isTerminating }
        let options = WriteOptions(fieldManager: manager)
        if owned.count < wanted {
            for _ in owned.count..<wanted {
                _ = try create(pods, namespace: namespace, body: Self.pod(of: replicaSet, template: template), options: options)
            }
        } else if owned.count > wanted {
            let newestFirst = owned.sorted { ($0.meta("creationTimestamp") ?? "", $0.name) > ($1.meta("creationTimestamp") ?? "", $1.name) }
            for pod in newestFirst.prefix(owned.count - wanted) {
                _ = try delete(pods, namespace: namespace, name: pod.name, preconditions: DeletePreconditions(), options: options)
            }
        }
    }

    /// A new Pod of `replicaSet` from its template.
    private static func pod(of replicaSet: JSONObject, template: JSONObject) -> JSONObject {
        var metadata = template["metadata"]?.objectValue ?? [:]
        metadata["name"] = nil
        metadata["generateName"] = .string(replicaSet.name + "-")
        metadata["namespace"] = .string(replicaSet.namespace)
        metadata["ownerReferences"] = [
            [
                "apiVersion": "apps/v1", "kind": "ReplicaSet", "name": .string(replicaSet.name), "uid": .string(replicaSet.meta("uid") ?? ""),
                "controller": true, "blockOwnerDeletion": true,
            ]
        ]
        return ["apiVersion": "v1", "kind": "Pod", "metadata": .object(metadata), "spec": template["spec"] ?? [:]]
    }
}
