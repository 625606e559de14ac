import Foundation
import KeelsonFoundation
import Manifests

/// The part of the Deployment controller the sandbox plays, so `kubectl rollout history`,
/// `rollout undo` and `describe deployment` work as on a cluster: every pod template a Deployment
/// has had is a ReplicaSet it controls, named `NAME-HASH` and labelled `pod-template-hash`, with a
/// `deployment.kubernetes.io/revision`. The ReplicaSet of the current template (an old one comes
/// back under a new revision, as a rollback does) runs the Deployment's replicas, the others none,
/// and each scaling is a `ScalingReplicaSet` Event; the oldest beyond `revisionHistoryLimit` go,
/// and a paused Deployment starts none. The switch is immediate: there is no surge.
extension ClusterStore {
    /// The annotation holding a ReplicaSet's (and its Deployment's) revision.
    static let revisionAnnotation = "deployment.kubernetes.io/revision"
    /// The label telling a Deployment's ReplicaSets and their Pods apart.
    static let podTemplateHashLabel = "pod-template-hash"
    /// Deployment annotations the controller does not copy to its ReplicaSets.
    private static let uncopiedAnnotations: Set<String> = [
        revisionAnnotation, "deployment.kubernetes.io/revision-history", "deployment.kubernetes.io/desired-replicas",
        "deployment.kubernetes.io/max-replicas", "kubectl.kubernetes.io/last-applied-configuration",
    ]

    /// Brings the ReplicaSets of one Deployment in line with it; nothing is written when they are.
    /// `manager` names the writes, as the controller manager's on a cluster.
    func rollOut(_ deployments: ResourceType, namespace: String, name: String, manager: String) throws(APIError) {
        guard let replicaSets = catalog.lookup(apiVersion: "apps/v1", kind: "ReplicaSet"),
            let deployment = try? get(deployments, namespace: namespace, name: name), !deployment.isTerminating,
            let uid = deployment.meta("uid"), let template = deployment["spec"]?["template"]?.objectValue
        else { return }
        let options = WriteOptions(fieldManager: manager)
        let replicas = deployment["spec"]?["replicas"]?.intValue ?? 1
        let owned = all(replicaSets, namespace: namespace).filter { Self.isControlled($0, byUID: uid) }
        let latest = owned.map(Self.revision).max() ?? 0
        // Templates compare as the API server's types hold them: a null field (kubectl sends
        // `creationTimestamp: null` back on undo) is no field.
        let wanted = Self.canonical(.object(template))
        var current = owned.first { Self.templateWithoutHash($0).map { Self.canonical(.object($0)) } == wanted }
        // A paused Deployment starts no new ReplicaSet until it is resumed; it scales its newest.
        if current == nil && deployment["spec"]?["paused"]?.boolValue == true {
            guard let newest = owned.max(by: { Self.revision($0) < Self.revision($1) }) else { return }
            current = newest
        }
        if current == nil {
            let created = try create(
                replicaSets, namespace: namespace,
                body: Self.replicaSet(of: deployment, template: template, revision: latest + 1), options: options)
            current = created
            try recordScaling(of: deployment, replicaSet: created.name, from: 0, to: replicas, manager: manager)
        } else if var object = current, Self.revision(object) != latest || object["spec"]?["replicas"]?.intValue != replicas {
            let from = object["spec"]?["replicas"]?.intValue ?? 0
            if Self.revision(object) != latest { object.setAnnotation(Self.revisionAnnotation, String(latest + 1)) }
            object["spec"]?["replicas"] = .int(replicas)
            current = try update(replicaSets, namespace: namespace, name: object.name, body: object, options: options, subresource: nil)
            if from != replicas { try recordScaling(of: deployment, replicaSet: object.name, from: from, to: replicas, manager: manager) }
        }
        guard let current else { return }
        for var old in owned where old.name != current.name && (old["spec"]?["replicas"]?.intValue ?? 0) != 0 {
            let from = old["spec"]?["replicas"]?.intValue ?? 0
            old["spec"]?["replicas"] = .int(0)
            _ = try update(replicaSets, namespace: namespace, name: old.name, body: old, options: options, subresource: nil)
            try recordScaling(of: deployment, replicaSet: old.name, from: from, to: 0, manager: manager)
        }
        // Old ReplicaSets beyond `revisionHistoryLimit` go, the oldest revisions first.
        let limit = max(0, Int(deployment["spec"]?["revisionHistoryLimit"]?.intValue ?? 10))
        let history = owned.filter { $0.name != current.name }.sorted { Self.revision($0) < Self.revision($1) }
        for old in history.dropLast(limit) {
            _ = try delete(replicaSets, namespace: namespace, name: old.name, preconditions: DeletePreconditions(), options: options)
        }
        let revision = current.annotations[Self.revisionAnnotation]
        if let revision, deployment.annotations[Self.revisionAnnotation] != revision {
            var annotated = deployment
            annotated.setAnnotation(Self.revisionAnnotation, revision)
            _ = try update(deployments, namespace: namespace, name: name, body: annotated, options: options, subresource: nil)
        }
    }

    /// A new ReplicaSet for `template`: the Deployment's selector and labels plus the template's hash.
    private static func replicaSet(of deployment: JSONObject, template: JSONObject, revision: Int64) -> JSONObject {
        let hash = podTemplateHash(template)
        var labelled = template
        var labels = template["metadata"]?["labels"]?.objectValue ?? [:]
        labels[podTemplateHashLabel] = .string(hash)
        labelled["metadata"] = .object((template["metadata"]?.objectValue ?? [:]).merging("labels", .object(labels)))
        var selector = deployment["spec"]?["selector"]?.objectValue ?? [:]
        var matchLabels = selector["matchLabels"]?.objectValue ?? [:]
        matchLabels[podTemplateHashLabel] = .string(hash)
        selector["matchLabels"] = .object(matchLabels)
        var annotations: JSONObject = [:]
        for (key, value) in deployment.metadata["annotations"]?.objectValue ?? [:] where !uncopiedAnnotations.contains(key) {
            annotations[key] = value
        }
        annotations[revisionAnnotation] = .string(String(revision))
        let replicas = deployment["spec"]?["replicas"]?.intValue ?? 1
        annotations["deployment.kubernetes.io/desired-replicas"] = .string(String(replicas))
        annotations["deployment.kubernetes.io/max-replicas"] = .string(String(replicas))
        let owner: JSONObject = [
            "apiVersion": "apps/v1", "kind": "Deployment", "name": .string(deployment.name),
            "uid": .string(deployment.meta("uid") ?? ""), "controller": true, "blockOwnerDeletion": true,
        ]
        return [
            "apiVersion": "apps/v1", "kind": "ReplicaSet",
            "metadata": [
                "name": .string("\(deployment.name)-\(hash)"), "namespace": .string(deployment.namespace), "labels": .object(labels),
                "annotations": .object(annotations), "ownerReferences": [.object(owner)],
            ],
            "spec": ["replicas": .int(replicas), "selector": .object(selector), "template": .object(labelled)],
        ]
    }

    /// A `ScalingReplicaSet` Event on the Deployment, as `kubectl describe` shows it.
    private func recordScaling(of deployment: JSONObject, replicaSet: String, from: Int64, to: Int64, manager: String) throws(APIError) {
        guard from != to, let events = catalog.lookup(apiVersion: "v1", kind: "Event") else { return }
        let time = JSONValue.string(Timestamp.string(now()))
        let event: JSONObject = [
            "apiVersion": "v1", "kind": "Event",
            "metadata": ["generateName": .string(deployment.name + "."), "namespace": .string(deployment.namespace)],
            "involvedObject": [
                "apiVersion": "apps/v1", "kind": "Deployment", "name": .string(deployment.name),
                "namespace": .string(deployment.namespace), "uid": .string(deployment.meta("uid") ?? ""),
            ],
            "reason": "ScalingReplicaSet", "type": "Normal",
            "message": .string("Scaled \(to > from ? "up" : "down") replica set \(replicaSet) from \(from) to \(to)"),
            "source": ["component": "deployment-controller"], "reportingComponent": "deployment-controller",
            "firstTimestamp": time, "lastTimestamp": time, "count": 1,
        ]
        _ = try create(events, namespace: deployment.namespace, body: event, options: WriteOptions(fieldManager: manager))
    }

    /// Whether `object`'s controlling owner is the object with `uid`.
    static func isControlled(_ object: JSONObject, byUID uid: String) -> Bool {
        (object.metadata["ownerReferences"]?.arrayValue ?? []).contains {
            $0["controller"]?.boolValue == true && $0["uid"]?.stringValue == uid
        }
    }

    /// A ReplicaSet's revision, 0 when it has none.
    private static func revision(_ replicaSet: JSONObject) -> Int64 {
        replicaSet.annotations[revisionAnnotation].flatMap { Int64($0) } ?? 0
    }

    /// A ReplicaSet's pod template without the hash label, to compare with a Deployment's.
    private static func templateWithoutHash(_ replicaSet: JSONObject) -> JSONObject? {
        guard var template = replicaSet["spec"]?["template"]?.objectValue else { return nil }
        var labels = template["metadata"]?["labels"]?.objectValue ?? [:]
        labels[podTemplateHashLabel] = nil
        var metadata = template["metadata"]?.objectValue ?? [:]
        metadata["labels"] = labels.isEmpty ? nil : .object(labels)
        template["metadata"] = metadata.isEmpty ? nil : .object(metadata)
        return template
    }

    /// A short, stable name for a pod template: FNV-1a (32 bits) of its canonical JSON, written with
    /// the API server's safe alphabet (no vowels, no look-alike digits).
    static func podTemplateHash(_ template: JSONObject) -> String {
        let value = FNV1a.hash32(JSONWriter.compact(canonical(.object(template))).utf8)
        let alphabet = Array("bcdfghjklmnpqrstvwxz2456789")
        return String(String(value).utf8.map { alphabet[Int($0) % alphabet.count] })
    }

    /// `value` with every object's keys in order and its null fields dropped, so equal templates
    /// write equal JSON.
    private static func canonical(_ value: JSONValue) -> JSONValue {
        switch value {
        case .object(let object):
            var sorted = JSONObject()
            for key in object.keys.sorted() where object[key]?.isNull == false { sorted[key] = canonical(object[key]!) }
            return .object(sorted)
        case .array(let items): return .array(items.map(canonical))
        default: return value
        }
    }
}

extension JSONObject {
    /// The object with `key` set to `value`.
    fileprivate func merging(_ key: String, _ value: JSONValue) -> JSONObject {
        var copy = self
        copy[key] = value
        return copy
    }
}
